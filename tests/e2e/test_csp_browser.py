"""The Content-Security-Policy in a real browser (issue 13, item 7): the live board works under it,
and what it refuses is refused and reported, so every other browser test fails on a violation."""
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CspWatch
from tests.factories import gen_small_contest

pytestmark = pytest.mark.browser


def wait_for(condition, seconds=5.0):
    """Poll `condition` (reports arrive from the browser asynchronously)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_the_board_runs_under_the_policy_which_refuses_inline_code(chromium, live_server):
    with live_server.app.app_context():
        _event, contest, _teams, _a, _b = gen_small_contest()
        contest_id = contest.id
    # Its own watch, not the `browser` fixture's: this test provokes violations on purpose.
    watch = CspWatch(chromium)
    context = watch.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    try:
        response = page.goto(live_server(f"/display/{contest_id}"))
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("#conn")).to_have_attribute("data-state", "online")
        # connect-src lets the live connection use its websocket, not only long polling.
        assert wait_for(lambda: any("transport=websocket" in url for url in sockets)), sockets
        assert page.evaluate("htmx.config.allowEval") is False
        assert watch.violations == []

        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.append(script);
            document.body.insertAdjacentHTML("beforeend",
                '<p id="styled" style="color: rgb(255, 0, 0)">x</p>'
                + '<button id="handler" onclick="window.ranHandler = true">x</button>');
            document.getElementById("handler").click();
        }""")
        assert page.evaluate("window.ranInline") is None
        assert page.evaluate("window.ranHandler") is None
        assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") \
            != "rgb(255, 0, 0)"
        directives = ("script-src-elem", "script-src-attr", "style-src-attr")
        assert wait_for(lambda: all(any(d in v for v in watch.violations) for d in directives)), \
            watch.violations
        # Chromium's console says it too: the channel that also covers pages without JavaScript.
        assert any(v.startswith("console") and "Content Security Policy" in v
                   for v in watch.violations)
    finally:
        watch.close()
