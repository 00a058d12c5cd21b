"""The hall and the console tell the truth, live: the projector says when it is not live."""
import pytest
from playwright.sync_api import expect

from tests.factories import gen_small_contest

pytestmark = pytest.mark.browser


def test_projector_shows_in_large_type_when_it_is_not_live(browser, live_server):
    """Item 7: no green "Langsung" while the push connection is down, a band the hall can read."""
    with live_server.app.app_context():
        _event, contest, _teams, _a, _b = gen_small_contest()
        contest_id = contest.id
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server(f"/display/{contest_id}"))
        expect(page.locator("#conn")).to_have_attribute("data-state", "online")
        expect(page.locator(".pill-live")).to_be_visible()
        expect(page.locator("#not-live")).to_be_hidden()

        live_server.process.terminate()  # the laptop's server goes away
        live_server.process.wait(timeout=10)
        banner = page.locator("#not-live")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Tidak langsung")
        expect(page.locator(".pill-live")).to_be_hidden()
        size = banner.locator("strong").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 60, size  # readable from the back of the hall at 1080 px
        box = banner.bounding_box()
        assert box["y"] == 0 and box["width"] == 1920, box
    finally:
        context.close()
