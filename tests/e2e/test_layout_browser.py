"""Rehearsal findings about layout a person sees (issue 10, item 18): the teams page keeps a
team's fields and buttons on one line, the juara umum on the hall screen carries its QR code and
one-line headers, and the English console names its lists in the plural."""
import re

import pytest
from playwright.sync_api import expect

from scoreboard.display import qr_data_uri
from scoreboard.extensions import db
from tests.e2e.test_board_browser import demo_with_scores
from tests.factories import gen_event, gen_organizer, gen_team

pytestmark = pytest.mark.browser

LONG_NAME = "Tim Penggerak Keluarga Berencana Desa Tebing Tinggi Sejahtera"  # 61 characters


def console(browser, live_server, width=1280, height=800):
    """The organizer console, logged in, at a laptop's size."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(live_server("/admin/login"))
    page.fill("input[name=username]", "panitia")
    page.fill("input[name=password]", "rahasia-panitia")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".admin-nav")).to_be_visible()
    return page


def test_teams_page_keeps_save_and_delete_beside_a_long_name(browser, live_server):
    with live_server.app.app_context():
        from scoreboard.demo import seed_demo
        event, _, _ = seed_demo()
        gen_team(event, LONG_NAME, "Paringin")
        gen_organizer(password="rahasia-panitia")
        db.session.remove()
    assert len(LONG_NAME) >= 60

    page = console(browser, live_server)
    page.goto(live_server("/admin/teams"))
    forms = page.locator("#teams-panel .team-list > li")
    expect(forms).to_have_count(9)
    for row in forms.all():
        name = row.locator("input[name=name]")
        save = row.get_by_role("button", name="Simpan")
        delete = row.get_by_role("button", name="Hapus")
        boxes = [name.bounding_box(), save.bounding_box(), delete.bounding_box()]
        # Simpan and Hapus on the name field's line, not stacked under it.
        middles = [box["y"] + box["height"] / 2 for box in boxes]
        assert max(middles) - min(middles) < boxes[0]["height"] / 2, (name.input_value(), boxes)
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
        assert boxes[2]["x"] + boxes[2]["width"] <= 1280
    # The long name is read in full: the field is wide enough for all of it.
    long_name = page.locator(f'#teams-panel input[name=name][value="{LONG_NAME}"]')
    assert long_name.evaluate("input => input.scrollWidth <= input.clientWidth"), \
        long_name.evaluate("input => [input.scrollWidth, input.clientWidth]")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_juara_umum_in_the_hall_has_a_qr_code_and_one_line_headers(browser, live_server):
    with live_server.app.app_context():
        from scoreboard.models import Contest
        contest = db.session.get(Contest, demo_with_scores())
        contest.status = "published"
        contest.event.hall_view = "overall"
        db.session.commit()
        db.session.remove()

    for width, height in ((1920, 1080), (1280, 720)):
        hall = browser.new_context(viewport={"width": width, "height": height}).new_page()
        hall.goto(live_server("/display"))
        expect(hall.locator("#overall tbody tr")).to_have_count(8)
        qr = hall.locator(".projector-side img.qr")
        expect(qr).to_be_visible()
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
        # The QR code opens the juara umum table on the phones.
        expect(hall.locator(".projector-side .qr-url")).to_have_text(live_server("/overall"))
        # The image is the QR code of that address (segno draws the same symbol every time).
        assert qr.get_attribute("src") == qr_data_uri(live_server("/overall"))
        headers = hall.locator("#overall thead th")
        expect(headers.filter(has_text="Juara I").first).to_be_visible()
        lines = headers.evaluate_all("""cells => cells.map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return [cell.textContent, range.getClientRects().length];
        })""")
        assert [text for text, count in lines if count > 1] == [], lines
        assert hall.evaluate("document.documentElement.scrollWidth <= innerWidth")
        hall.context.close()


def test_english_console_names_its_lists_in_the_plural(browser, live_server):
    with live_server.app.app_context():
        gen_event()
        gen_organizer(password="rahasia-panitia")
        db.session.remove()
    page = console(browser, live_server)
    page.goto(live_server("/admin/?lang=en"))
    nav = page.locator(".admin-nav")
    expect(nav.get_by_role("link", name="Teams", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Judges", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Teams", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Teams · "))
    page.goto(live_server("/admin/judges"))
    expect(page).to_have_title(re.compile(r"^Judges · "))
    page.goto(live_server("/admin/teams?lang=id"))
    expect(page.locator(".admin-nav").get_by_role("link", name="Tim", exact=True)).to_be_visible()
    expect(page.locator(".admin-nav").get_by_role("link", name="Juri", exact=True)).to_be_visible()
