"""The judge's tablet as a judge uses it on the day: asking before a final, the steppers,
refusals without console noise, read-only sheets, the home list and working offline."""
import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from scoreboard.models import Sheet
from scoreboard.services import access
from tests.factories import gen_contest, gen_event, gen_judge, gen_team

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 1280, "height": 800}, "has_touch": True, "locale": "id-ID",
          "timezone_id": "Asia/Makassar"}


def one_judge_contest(criteria=(("Kekompakan", "1", "1", "25", "1"),
                                ("Kreativitas", "2", "1", "10", "0.5"))):
    """Two teams, the given criteria, one judge: ids and the judge's login path."""
    event = gen_event()
    teams = [gen_team(event, f"Tim {r}", r) for r in ("Awayan", "Batumandi")]
    contest = gen_contest(event, teams=teams, criteria=criteria)
    judge, code = gen_judge(event, "Juri A", [contest])
    return {"contest": contest.id, "teams": [t.id for t in teams], "judge": judge.id,
            "criteria": [c.id for c in contest.criteria],
            "login": f"/judge/login/{access.normalize_code(code)}"}


def sheet_state(app, judge_id, team_id):
    """The stored state of a judge's sheet ("none" before the first save)."""
    with app.app_context():
        sheet = db.session.scalar(db.select(Sheet).filter_by(judge_id=judge_id, team_id=team_id))
        state = sheet.state if sheet else "none"
        db.session.remove()
        return state


def test_kirim_final_asks_once_with_the_total_and_plus_starts_mid_range(browser, live_server):
    """Item 9 and 13: the final is confirmed with the total shown; + on an empty field starts
    in the middle of the range; a refused save (422) is a normal answer, no console error."""
    with live_server.app.app_context():
        ids = one_judge_contest()
    context = browser.new_context(**TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    asked = []
    answer = {"accept": False}

    def on_dialog(dialog):
        asked.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(live_server(ids["login"]))
        page.goto(live_server(f"/judge/contests/{ids['contest']}/teams/{ids['teams'][0]}"))
        first, second = page.locator(".criterion").nth(0), page.locator(".criterion").nth(1)
        first.locator(".step-up").tap()
        expect(first.locator(".score-input")).to_have_value("13")  # 1–25: the middle, not 1
        second.locator(".step-down").tap()
        expect(second.locator(".score-input")).to_have_value("5,5")  # 1–10 by 0,5
        second.locator(".step-up").tap()
        expect(second.locator(".score-input")).to_have_value("6")

        # A value out of range: the server's 422 is swapped in with its message, quietly.
        page.locator(f"#score-{ids['criteria'][0]}").fill("30")
        page.get_by_role("button", name="Simpan").tap()
        expect(page.locator(f"#error-{ids['criteria'][0]}")).to_contain_text("antara 1 dan 25")
        page.locator(f"#score-{ids['criteria'][0]}").fill("13")
        expect(page.locator(".total-value")).to_have_text("25,00")

        # Kirim final asks, with the total; "no" sends nothing.
        page.get_by_role("button", name="Kirim final").tap()
        assert len(asked) == 1 and "25,00" in asked[0] and "Tim Awayan" in asked[0], asked
        expect(page.locator("#sheet.locked")).to_have_count(0)
        assert sheet_state(live_server.app, ids["judge"], ids["teams"][0]) == "none"

        answer["accept"] = True
        page.get_by_role("button", name="Kirim final").tap()
        expect(page.locator("#sheet.locked")).to_be_visible()
        assert len(asked) == 2
        assert sheet_state(live_server.app, ids["judge"], ids["teams"][0]) == "submitted"
        # Chromium itself notes every 4xx resource load; nothing else may speak up.
        assert [e for e in errors if not e.startswith("Failed to load resource")] == [], errors
    finally:
        context.close()
