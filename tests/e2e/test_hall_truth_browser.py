"""The hall and the console tell the truth, live: the projector says when it is not live."""
import pytest
from playwright.sync_api import expect

from tests.factories import gen_small_contest

pytestmark = pytest.mark.browser


def live_projector(browser, live_server):
    """A 1080p projector showing a contest, its live connection up; returns (context, page)."""
    with live_server.app.app_context():
        _event, contest, _teams, _a, _b = gen_small_contest()
        contest_id = contest.id
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server(f"/display/{contest_id}"))
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    return context, page


def test_projector_shows_in_large_type_when_it_is_not_live(browser, live_server):
    """Item 7: no green "Langsung" while the push connection is down, a band the hall can read."""
    context, page = live_projector(browser, live_server)
    try:
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


def test_a_switch_to_websocket_that_fails_halfway_starts_the_connection_over(browser, live_server):
    """engine.io-client leaves long-polling paused when the server goes away during the upgrade:
    the projector would say "Langsung" for 45 s. static/js/app.js closes such a half-made switch."""
    context, page = live_projector(browser, live_server)
    try:
        # Once the real switch is over, so that only the simulated one below is failing.
        page.wait_for_function("() => window.liveBoard.socket.io.engine.transport.name === 'websocket'")
        upgrade_failed = """(paused) => {
            const engine = window.liveBoard.socket.io.engine;
            if (paused) engine.transport.readyState = "paused";
            engine.emitReserved("upgradeError", new Error("probe error: transport closed"));
            return [window.liveBoard.socket.connected, document.body.dataset.conn];
        }"""
        # A probe that failed before polling paused leaves a working connection alone.
        assert page.evaluate(upgrade_failed, False) == [True, "online"]
        # One that failed once polling had paused: offline at once, then connected anew.
        assert page.evaluate(upgrade_failed, True) == [False, "offline"]
        expect(page.locator("#not-live")).to_be_visible()
        expect(page.locator("#conn")).to_have_attribute("data-state", "online")
        expect(page.locator("#not-live")).to_be_hidden()
    finally:
        context.close()


def organizer_page(browser, live_server):
    """The console logged in, with every dialog accepted."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server("/admin/login"))
    page.fill("input[name=username]", "panitia")
    page.fill("input[name=password]", "rahasia-panitia")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/admin/login" not in url)
    return page


class Tablet:
    """A judge's logged-in browser that submits sheets over HTTP as the tablet does."""

    def __init__(self, browser, live_server, code, contest):
        from scoreboard.services import access
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.goto(live_server(f"/judge/login/{access.normalize_code(code)}"))
        self.token = self.page.locator('meta[name="csrf-token"]').get_attribute("content")
        self.live_server, self.contest = live_server, contest

    def submit(self, team_id, values):
        import uuid
        form = {f"score-{c}": v for c, v in zip(self.contest["criteria"], values)}
        form.update(intent="submit", client_id=uuid.uuid4().hex, csrf_token=self.token)
        answer = self.context.request.post(
            self.live_server(f"/judge/contests/{self.contest['id']}/teams/{team_id}"), form=form,
            headers={"X-CSRFToken": self.token, "Accept": "application/json"})
        assert answer.ok, answer.text()


def test_console_follows_every_change_and_shows_the_hall_during_freeze_and_reveal(browser,
                                                                                 live_server):
    """Items 4, 5 and 6: official standings live, the hall's view beside them, a provisional
    reveal only when confirmed, a change during the reveal named at once, a reopen request."""
    from scoreboard.extensions import db
    from tests.factories import gen_organizer
    with live_server.app.app_context():
        _event, contest, teams, (_a, code_a), _b = gen_small_contest()
        gen_organizer()
        ids = {"id": contest.id, "criteria": [c.id for c in contest.criteria]}
        awayan, batumandi, halong = (t.id for t in teams)
        db.session.remove()
    console = organizer_page(browser, live_server)
    judge = Tablet(browser, live_server, code_a, ids)
    try:
        console.goto(live_server(f"/admin/contests/{ids['id']}"))
        expect(console.locator('body[data-live="watching"]')).to_have_count(1)
        official = console.locator("#standings-admin > table tbody tr")

        judge.submit(awayan, ["8", "8"])
        expect(official.first).to_contain_text("Tim Awayan")
        expect(official.first).to_contain_text("24,00")

        console.get_by_role("button", name="Dibekukan").click()
        hall = console.locator("#hall-view")
        expect(hall).to_contain_text("AULA")
        judge.submit(batumandi, ["10", "10"])
        expect(official.first).to_contain_text("Tim Batumandi")
        expect(official.first).to_contain_text("30,00")
        expect(hall.locator("tbody tr").first).to_contain_text("Tim Awayan")
        expect(hall).not_to_contain_text("30,00")

        # Judge B has not scored: one tap does not start the reveal.
        console.get_by_role("button", name="Pengumuman", exact=True).click()
        expect(console.locator("#contest-run [role=alert]")).to_contain_text(
            "Umumkan dengan nilai sementara")
        expect(console.locator("#display-current")).to_have_text("Dibekukan")
        console.locator("#confirm-provisional input").check()
        console.get_by_role("button", name="Pengumuman", exact=True).click()
        expect(console.locator("#display-current")).to_have_text("Pengumuman")
        console.get_by_role("button", name="Umumkan berikutnya").click()
        expect(hall.locator("tbody tr")).to_have_count(1)
        expect(hall).to_contain_text("Tim Awayan")  # Juara II of the snapshot

        # A late sheet moves the team the hall was just told is Juara II.
        judge.submit(halong, ["9,5", "10"])
        alert = console.locator("#reveal-alert")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("Tim Awayan")
        expect(alert).to_contain_text("aula menampilkan Juara II, sekarang Juara III (peringkat 3)")
        expect(alert).to_be_in_viewport()
        assert console.title().startswith("⚠")
        alert.locator("input[name=confirm_provisional]").check()
        # The action's answer replaces the console as it was when rendered; the live sections
        # then fetch themselves again, so a push that arrived meanwhile is not lost.
        with console.expect_request(lambda r: r.url.endswith("/reopens")):
            alert.get_by_role("button", name="Ulangi pengumuman dengan nilai terbaru").click()
        expect(console.locator("#reveal-alert")).to_have_count(0)
        expect(console.locator("#reveal-step")).to_have_text("langkah 0/3")

        # Item 6: a judge's reopen request appears on the console without a reload.
        with live_server.app.app_context():
            from scoreboard.models import Sheet
            sheet_id = db.session.scalar(db.select(Sheet.id).filter_by(team_id=awayan))
            db.session.remove()
        asked = judge.context.request.post(
            live_server(f"/judge/sheets/{sheet_id}/reopen"),
            form={"reason": "Salah ketik", "csrf_token": judge.token},
            headers={"X-CSRFToken": judge.token})
        assert asked.ok, asked.status
        requests = console.locator("#reopen-requests")
        expect(requests).to_be_visible()
        expect(requests).to_contain_text("Salah ketik")
    finally:
        console.context.close()
        judge.context.close()


def test_a_push_that_found_no_listener_is_caught_up_once_the_section_settles(browser, live_server):
    """A section swapped in listens only after htmx's settle delay; a push in between is not lost."""
    from scoreboard.extensions import db
    from tests.factories import gen_organizer
    with live_server.app.app_context():
        _event, contest, _teams, _a, _b = gen_small_contest()
        gen_organizer()
        contest_id = contest.id
        db.session.remove()
    console = organizer_page(browser, live_server)
    try:
        console.goto(live_server(f"/admin/contests/{contest_id}"))
        expect(console.locator('body[data-live="watching"]')).to_have_count(1)
        held = []

        def hold_the_first(route):
            if held:
                route.continue_()
            else:
                held.append(route)
        console.route("**/reopens", hold_the_first)
        console.evaluate("htmx.trigger('#reopen-requests', 'refresh')")
        for _ in range(100):
            if held:
                break
            console.wait_for_timeout(50)
        assert held, "the section did not fetch itself"
        # A push arrives while that fetch is on its way, and its event meets no listener (as in
        # the settle delay after a swap): only the count of pushes heard moves.
        console.evaluate("window.consolePushes += 1")
        with console.expect_request(lambda request: request.url.endswith("/reopens")):
            held[0].continue_()
    finally:
        console.context.close()
