"""A judge's tablet in headless Chromium: login by link, scoring, and saves surviving a dead Wi-Fi."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, SaveReceipt, Score, Sheet
from scoreboard.services import access
from tests.e2e.sheet_page import fill_sheet
from tests.factories import gen_contest, gen_event, gen_judge, gen_small_contest, gen_team

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 1280, "height": 800}, "has_touch": True, "locale": "id-ID",
          "timezone_id": "Asia/Makassar"}


def test_judge_scores_offline_and_the_outbox_delivers_each_save_once(browser, live_server):
    from playwright.sync_api import expect

    with live_server.app.app_context():
        _event, contest, teams, (judge, code), _b = gen_small_contest()
        contest_id, team_ids, judge_id = contest.id, [t.id for t in teams], judge.id
        criteria = [c.id for c in contest.criteria]

    def sheet_path(team_id):
        return f"/judge/contests/{contest_id}/teams/{team_id}"

    context = browser.new_context(**TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server(f"/judge/login/{access.normalize_code(code)}"))
        expect(page.locator("h1")).to_have_text("Lomba yang Anda nilai")
        page.get_by_role("link", name="Tim Awayan").tap()

        # Online: the steppers and a typed value, the running total, then Save.
        expect(page.locator(".sheet-team")).to_have_text("Tim Awayan")
        first = page.locator(".criterion").nth(0)
        first.locator(".step-up").tap()  # empty -> the middle of 1–10, 5,5
        for _ in range(5):
            first.locator(".step-up").tap()  # 5,5 + 5 × 0.5 = 8
        expect(first.locator(".score-input")).to_have_value("8")
        page.locator(f"#score-{criteria[1]}").fill("7,5")
        expect(page.locator(".total-value")).to_have_text("23,00")
        page.get_by_role("button", name="Simpan").tap()
        expect(page.locator(".save-status")).to_contain_text("Tersimpan")
        expect(page.locator(".save-status")).to_contain_text("WITA")
        expect(page.locator("#outbox-status")).to_be_hidden()

        # Two sheets open (a second tab), then the Wi-Fi drops.
        page.goto(live_server(sheet_path(team_ids[1])))
        other_tab = context.new_page()
        other_tab.goto(live_server(sheet_path(team_ids[2])))
        context.set_offline(True)

        fill_sheet(page, criteria, ["6", "6,5"], "Simpan")
        expect(page.locator(".outbox-count")).to_have_text("1 nilai belum terkirim")
        expect(page.locator(".save-status")).to_contain_text("Belum terkirim")

        fill_sheet(other_tab, criteria, ["9", "9,5"], "Simpan")
        expect(other_tab.locator(".outbox-count")).to_have_text("2 nilai belum terkirim")
        expect(page.locator(".outbox-count")).to_have_text("2 nilai belum terkirim")
        other_tab.close()

        # Reload while saves still cannot reach the server: the outbox and the typed values stay.
        def refuse_saves(route):
            if route.request.method == "POST":
                route.abort("internetdisconnected")
            else:
                route.continue_()

        context.route("**/judge/contests/**", refuse_saves)
        context.set_offline(False)
        page.reload()
        expect(page.locator(".outbox-count")).to_have_text("2 nilai belum terkirim")
        expect(page.locator(f"#score-{criteria[1]}")).to_have_value("6,5")
        expect(page.locator(".save-status")).to_contain_text("Belum terkirim")

        # The network is back: the retries deliver both saves and the outbox empties.
        context.unroute("**/judge/contests/**", refuse_saves)
        expect(page.locator("#outbox-status")).to_be_hidden(timeout=15_000)
        expect(page.locator(".save-status")).to_contain_text("Tersimpan")
    finally:
        context.close()

    with live_server.app.app_context():
        scores = sorted((s.team_id, s.criterion_id, str(s.value))
                        for s in db.session.scalars(db.select(Score).filter_by(judge_id=judge_id)))
        assert scores == sorted([
            (team_ids[0], criteria[0], "8"), (team_ids[0], criteria[1], "7.5"),
            (team_ids[1], criteria[0], "6"), (team_ids[1], criteria[1], "6.5"),
            (team_ids[2], criteria[0], "9"), (team_ids[2], criteria[1], "9.5"),
        ])
        for team_id in team_ids:
            sheet = db.session.scalar(db.select(Sheet).filter_by(team_id=team_id))
            assert (sheet.state, sheet.version) == ("draft", 1)
            assert db.session.query(AuditEntry).filter_by(action="sheet.save",
                                                          team_id=team_id).count() == 1
        assert db.session.query(SaveReceipt).count() == 3


def test_now_performing_is_offered_never_forced(browser, live_server):
    """The organizer moves "now performing"; the tablet offers the jump and keeps its sheet."""
    from playwright.sync_api import expect
    from tests.factories import gen_organizer

    with live_server.app.app_context():
        _event, contest, teams, (_judge, code), _b = gen_small_contest()
        gen_organizer()
        contest_id, team_ids = contest.id, [t.id for t in teams]

    tablet = browser.new_context(**TABLET)
    desk = browser.new_context()
    tablet.set_default_timeout(10_000)
    desk.set_default_timeout(10_000)
    try:
        page = tablet.new_page()
        page.goto(live_server(f"/judge/login/{access.normalize_code(code)}"))
        page.goto(live_server(f"/judge/contests/{contest_id}/teams/{team_ids[0]}"))
        page.locator(".score-input").first.fill("7")
        expect(page.locator('body[data-live="watching"]')).to_have_count(1)

        admin = desk.new_page()
        admin.goto(live_server("/admin/login"))
        admin.locator("input[name=username]").fill("panitia")
        admin.locator("input[name=password]").fill("rahasia-panitia")
        admin.locator("input[name=password]").press("Enter")
        admin.wait_for_url(lambda url: "/admin/login" not in url)
        token = admin.locator('meta[name="csrf-token"]').get_attribute("content")
        moved = admin.request.post(live_server(f"/admin/contests/{contest_id}/now"),
                                   form={"move": str(team_ids[1]), "csrf_token": token},
                                   headers={"X-CSRFToken": token})
        assert moved.ok, moved.status

        banner = page.locator("#now-performing")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Tim Batumandi (Batumandi) sedang tampil")
        expect(page.locator(".sheet-team")).to_have_text("Tim Awayan")
        expect(page.locator(".score-input").first).to_have_value("7")
        banner.get_by_role("link", name="Buka lembar nilai").tap()
        expect(page.locator(".sheet-team")).to_have_text("Tim Batumandi")
    finally:
        tablet.close()
        desk.close()


def test_a_whole_sheet_fits_the_tablet_and_answered_saves_leave_the_outbox(browser, live_server):
    """Four criteria and Kirim final on one 1280×800 screen; a save htmx sent and the server
    answered (stored or refused) is not left queued on the tablet."""
    from playwright.sync_api import expect

    with live_server.app.app_context():
        event = gen_event()
        teams = [gen_team(event, name, region) for name, region in
                 (("Tim Kecamatan Awayan", "Awayan"), ("Tim Kecamatan Batumandi", "Batumandi"),
                  ("Tim Kecamatan Halong", "Halong"))]
        contest = gen_contest(event, teams=teams, criteria=(
            ("Kekompakan", "1", "1", "10", "0.5"), ("Kreativitas", "1", "1", "10", "0.5"),
            ("Kesesuaian tema", "1.5", "1", "10", "0.5"), ("Penampilan", "1", "1", "10", "0.5")))
        for criterion, text in zip(contest.criteria, (
                "Keserempakan suara dan gerak seluruh anggota tim.", "Keaslian lirik, irama dan gerak.",
                "Pesan tentang program Bangga Kencana tersampaikan.", "Semangat, ekspresi dan kostum.")):
            criterion.description = text
        db.session.commit()
        judge, code = gen_judge(event, "Ahmad Fauzi, S.Pd.", [contest])
        contest_id, team_id, judge_id = contest.id, teams[1].id, judge.id
        criteria = [c.id for c in contest.criteria]
    outbox = f"JSON.parse(localStorage.getItem('papan-skor.outbox.judge-{judge_id}') || '[]').length"

    context = browser.new_context(**TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server(f"/judge/login/{access.normalize_code(code)}"))
        page.goto(live_server(f"/judge/contests/{contest_id}/teams/{team_id}"))
        for criterion, value in zip(criteria, ("9", "7,5", "8", "8,5")):
            page.locator(f"#score-{criterion}").fill(value)
        expect(page.locator(".total-value")).to_have_text("37,00")
        page.get_by_role("button", name="Simpan").tap()
        expect(page.locator(".save-status")).to_contain_text("Tersimpan")
        page.wait_for_function(f"{outbox} === 0")
        page.evaluate("window.scrollTo(0, 0)")
        # Team, kecamatan, save state, every stepper and both buttons without scrolling.
        for element in [page.locator(".sheet-team"), page.locator(".save-status"),
                        page.get_by_role("button", name="Kirim final"),
                        *[page.locator(".step-up").nth(i) for i in range(4)]]:
            box = element.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 800, box

        page.locator(f"#score-{criteria[0]}").fill("11")
        page.get_by_role("button", name="Simpan").tap()
        expect(page.locator(f"#error-{criteria[0]}")).to_have_text("Nilai harus antara 1 dan 10.")
        expect(page.locator(".save-status")).to_contain_text("Perubahan belum disimpan")
        page.wait_for_function(f"{outbox} === 0")

        page.locator(f"#score-{criteria[0]}").fill("9,5")
        page.once("dialog", lambda dialog: dialog.accept())  # "Kirim final … Total berbobot …?"
        page.get_by_role("button", name="Kirim final").tap()
        expect(page.locator("#sheet.locked")).to_be_visible()
        expect(page.locator(".save-status")).to_contain_text("Terkirim final")
        page.wait_for_function(f"{outbox} === 0")
        page.reload()
        expect(page.locator("#sheet.locked")).to_be_visible()
        expect(page.locator("#outbox-status")).to_be_hidden()
        expect(page.locator("#outbox-rejected")).to_be_hidden()
    finally:
        context.close()

    with live_server.app.app_context():
        sheet = db.session.scalar(db.select(Sheet).filter_by(judge_id=judge_id))
        assert (sheet.state, sheet.version) == ("submitted", 2)
        assert sorted(str(s.value) for s in sheet.scores) == ["7.5", "8", "8.5", "9.5"]
        assert db.session.query(SaveReceipt).count() == 2


def test_without_javascript_the_sheet_is_a_plain_form_that_saves_and_submits(browser, live_server):
    """Typed code, Simpan and Kirim final as plain form posts; no dead −/+ buttons."""
    from playwright.sync_api import expect

    with live_server.app.app_context():
        _event, contest, teams, (judge, code), _b = gen_small_contest()
        contest_id, team_id, judge_id = contest.id, teams[0].id, judge.id
        criteria = [c.id for c in contest.criteria]

    context = browser.new_context(**TABLET, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server("/judge/"))
        page.locator("#code").fill(code.lower())
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("link", name="Tim Awayan").click()
        expect(page.locator(".step")).to_have_count(2 * len(criteria))
        expect(page.locator(".step").first).to_be_hidden()
        page.locator(f"#score-{criteria[0]}").fill("8")
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator(".save-status")).to_contain_text("Tersimpan")
        page.locator(f"#score-{criteria[1]}").fill("6,5")
        page.get_by_role("button", name="Kirim final").click()
        expect(page.locator(".save-status")).to_contain_text("Terkirim final")
        expect(page.locator(".locked-scores")).to_contain_text("21,00")
    finally:
        context.close()

    with live_server.app.app_context():
        sheet = db.session.scalar(db.select(Sheet).filter_by(judge_id=judge_id, team_id=team_id))
        assert (sheet.state, sheet.version) == ("submitted", 2)
