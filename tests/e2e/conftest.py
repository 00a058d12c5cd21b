"""Browser fixtures: the app served by a real server process, driven by Debian's Chromium."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scoreboard import create_app
from scoreboard.extensions import db
from tests.conftest import base_config, fresh_database_url, skip_or_fail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "docs" / "screenshots"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Runs first in every document of a watched context: each Content-Security-Policy violation
# (an inline script or handler, eval, a style attribute, a connection the policy does not list)
# is reported to the test at once, so a page the test has already closed still counts.
CSP_LISTENER = """
window.addEventListener("securitypolicyviolation", function (event) {
  window.__reportCspViolation(location.pathname + ": " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "(inline)") + " at " + event.sourceFile + ":" + event.lineNumber
    + (event.sample ? " [" + event.sample + "]" : ""));
});
"""


class CspWatch:
    """The shared Chromium, as tests use it, with every page it opens watched for CSP violations.

    The listener catches what happens while scripts run; Chromium's console messages catch the
    rest (a page without JavaScript, a blocked style attribute in the first HTML).
    """

    def __init__(self, chromium):
        self._chromium = chromium
        self._watched = []
        self.violations: list[str] = []

    def new_context(self, **options):
        """A browser context whose pages report violations."""
        context = self._chromium.new_context(**options)
        self.watch(context)
        return context

    def new_page(self, **options):
        """A page in a context of its own (closed with the page), watched like the others."""
        page = self._chromium.new_page(**options)
        self.watch(page.context)
        return page

    def watch(self, context) -> None:
        """Report every violation in `context`'s pages, present and future."""
        self._watched.append(context)
        context.expose_function("__reportCspViolation", self._report)
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._read_console)
        for page in context.pages:
            self._read_console(page)

    def _report(self, violation: str) -> None:
        self.violations.append(violation)

    def _read_console(self, page) -> None:
        def record(message):
            if "Content Security Policy" in message.text:
                self.violations.append(f"console ({page.url}): {message.text}")
        page.on("console", record)

    def close(self) -> None:
        """Close what the test left open; the round trips deliver any report still under way."""
        for context in self._watched:
            try:
                context.close()
            except Exception:  # noqa: BLE001 - already closed, or its browser is gone
                pass

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium shared by the session's browser tests."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser(chromium):
    """The shared Chromium for one test, which fails if any of its pages broke the CSP."""
    watch = CspWatch(chromium)
    yield watch
    watch.close()
    if watch.violations:
        pytest.fail("Content-Security-Policy violations (scoreboard/headers.py):\n  "
                    + "\n  ".join(watch.violations), pytrace=False)


class LiveServer:
    """A running server process plus an app object on the same database for setup and checks."""

    def __init__(self, url: str, app, process):
        self.url = url
        self.app = app
        self.process = process

    def __call__(self, path: str) -> str:
        return self.url + path


def start_event_day_server(database_url: str, tmp_path, port: int, output=None, **environment):
    """`python wsgi.py`, the command the README gives organizers, on its own port and database."""
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=database_url, HOST="127.0.0.1", PORT=str(port),
               SECRET_KEY="e2e-secret", PUBLIC_BASE_URL=url, BACKUP_DIR=str(tmp_path / "backups"),
               SCOREBOARD_INSTANCE_PATH=str(tmp_path / "instance"),
               SOCKETIO_MESSAGE_QUEUE=os.environ.get("E2E_MESSAGE_QUEUE", ""), **environment)
    process = subprocess.Popen([sys.executable, "wsgi.py"], env=env, cwd=ROOT, stdout=output,
                               stderr=subprocess.STDOUT if output else None)
    # A loaded CI machine (2 cores, many suites at once) may need a while to start Python.
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return url, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the event-day server did not start")
            time.sleep(0.1)


@pytest.fixture
def live_server(migrated_database, tmp_path):
    """The event-day server on a free port with an empty migrated database; stopped afterwards."""
    database_url = fresh_database_url(migrated_database, tmp_path)
    url, process = start_event_day_server(database_url, tmp_path, free_port())
    config = base_config(database_url, tmp_path)
    config["PUBLIC_BASE_URL"] = url
    app = create_app(config)
    try:
        yield LiveServer(url, app, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        with app.app_context():
            db.engine.dispose()


def screenshot_when_still(page, path, **options) -> None:
    """Screenshot `page` once its transitions have ended: a row caught sliding into place after a
    push would show two teams on top of each other in the README. (Keyframe animations, such as
    the quiz's fading last-tap badge, are what the screenshot is meant to show.)"""
    page.evaluate("""Promise.all(document.getAnimations()
        .filter((a) => a instanceof CSSTransition)
        .map((a) => a.finished.catch(() => null)))""")
    page.screenshot(path=str(path), **options)


@pytest.fixture
def screenshot_dir():
    """Where browser tests save the screenshots the README shows."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
