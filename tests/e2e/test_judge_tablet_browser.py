"""The judge's tablet as a judge uses it on the day: asking before a final, the steppers,
refusals without console noise, read-only sheets, the home list and working offline."""
import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from scoreboard.models import Sheet
from scoreboard.services import access
from tests.e2e.sheet_page import fill_sheet
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


def test_offline_the_judge_opens_pages_and_a_queued_final_is_read_only_until_delivered(
        browser, live_server):
    """Items 10, 12 and 14: with the Wi-Fi gone, home and sheets still open (service worker);
    a final waiting in the outbox cannot be changed and says it is sent on reconnect; the home
    list shows it waiting, then "Terkirim" once the server has it, without a reload."""
    with live_server.app.app_context():
        ids = one_judge_contest()
    context = browser.new_context(**TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(live_server(ids["login"]))
        expect(page.locator('body[data-offline-ready="yes"]')).to_have_count(1)
        context.set_offline(True)

        page.get_by_role("link", name="Tim Awayan").tap()
        expect(page.locator(".sheet-team")).to_have_text("Tim Awayan")
        fill_sheet(page, ids["criteria"], ["20", "7,5"], "Kirim final")
        expect(page.locator(".outbox-count")).to_have_text("1 nilai belum terkirim")
        expect(page.locator(".save-status")).to_contain_text("terkirim saat tersambung")
        expect(page.locator(f"#score-{ids['criteria'][0]}")).to_have_attribute("readonly", "")
        expect(page.get_by_role("button", name="Kirim final")).to_be_disabled()
        expect(page.locator(".step-up").first).to_be_disabled()

        page.get_by_role("link", name="Daftar tim").tap()
        row = page.locator(f'.team-row[data-team="{ids["teams"][0]}"]')
        expect(row.locator(".sheet-state")).to_have_text("⏳ Final terkirim saat tersambung")
        expect(page.locator(f'.team-row[data-team="{ids["teams"][1]}"] .sheet-state')).to_have_text(
            "Belum")
        page.get_by_role("link", name="Tim Batumandi").tap()  # a sheet never opened before
        expect(page.locator(".sheet-team")).to_have_text("Tim Batumandi")
        page.go_back()

        context.set_offline(False)
        expect(row.locator(".sheet-state")).to_have_text("✔ Terkirim", timeout=15_000)
        expect(page.locator("#outbox-status")).to_be_hidden()
        expect(page.locator("#outbox-rejected")).to_be_hidden()
        assert sheet_state(live_server.app, ids["judge"], ids["teams"][0]) == "submitted"

        # Logging out forgets the kept pages: the next judge on this tablet cannot open them.
        page.get_by_role("button", name="Keluar").tap()
        expect(page.locator("#code")).to_be_visible()
        kept = page.evaluate("""async () => {
            const cache = await caches.open("papan-skor-judge-v1");
            return (await cache.keys()).map(request => new URL(request.url).pathname); }""")
        assert not [path for path in kept if "/contests/" in path], kept
    finally:
        context.close()


def test_a_locked_contest_is_read_only_on_open_tablets_and_a_reopen_decision_arrives(
        browser, live_server):
    """Items 6 and 11: the approval of a reopen request reaches the judge's open sheet; the
    lock turns it read-only with the reason at once; a sheet opened afterwards is read-only."""
    from scoreboard.services.sheets import request_reopen
    from tests.factories import gen_organizer, gen_sheet
    with live_server.app.app_context():
        ids = one_judge_contest()
        from scoreboard.models import Contest, Judge, Team
        contest = db.session.get(Contest, ids["contest"])
        judge = db.session.get(Judge, ids["judge"])
        sheet = gen_sheet(contest, judge, db.session.get(Team, ids["teams"][0]), [20, 7])
        reopen_id = request_reopen(judge, sheet, "Salah ketik").id
        gen_organizer()
        db.session.remove()
    tablet = browser.new_context(**TABLET)
    desk = browser.new_context()
    tablet.set_default_timeout(10_000)
    try:
        page = tablet.new_page()
        page.goto(live_server(ids["login"]))
        page.goto(live_server(f"/judge/contests/{ids['contest']}/teams/{ids['teams'][0]}"))
        expect(page.locator("#sheet")).to_contain_text("menunggu keputusan")
        expect(page.locator('body[data-live="watching"]')).to_have_count(1)

        admin = desk.new_page()
        admin.goto(live_server("/admin/login"))
        admin.fill("input[name=username]", "panitia")
        admin.fill("input[name=password]", "rahasia-panitia")
        admin.locator("input[name=password]").press("Enter")
        admin.wait_for_url(lambda url: "/admin/login" not in url)
        token = admin.locator('meta[name="csrf-token"]').get_attribute("content")

        def post(path, **form):
            answer = admin.request.post(live_server(path), form={**form, "csrf_token": token},
                                        headers={"X-CSRFToken": token})
            assert answer.ok, answer.status

        post(f"/admin/reopen/{reopen_id}", decision="approve", reason="Boleh diperbaiki")
        expect(page.locator("form.sheet-form")).to_be_visible()  # editable again, no reload
        expect(page.locator(f"#score-{ids['criteria'][0]}")).to_have_value("20")

        post(f"/admin/contests/{ids['contest']}/lock")
        expect(page.locator(".locked-reason")).to_contain_text("sudah dikunci panitia")
        expect(page.locator("form.sheet-form")).to_have_count(0)

        page.goto(live_server(f"/judge/contests/{ids['contest']}/teams/{ids['teams'][1]}"))
        expect(page.locator(".locked-reason")).to_contain_text("sudah dikunci panitia")
        expect(page.locator(".score-input")).to_have_count(0)
        expect(page.get_by_role("button", name="Kirim final")).to_have_count(0)
    finally:
        tablet.close()
        desk.close()
