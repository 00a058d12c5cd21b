"""The projector in headless Chromium: live saves without a reload, resync after a dropped link."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from tests.e2e.conftest import screenshot_when_still
from tests.factories import gen_penalty, gen_sheet, gen_small_contest, gen_team

pytestmark = pytest.mark.browser


def judge_submits(page, contest_id, team_id, scores):
    """The judge's tablet posts a final sheet to the judge endpoint (with its CSRF token)."""
    result = page.evaluate("""async ([url, scores]) => {
        const form = new FormData();
        for (const [id, value] of Object.entries(scores)) form.append("score-" + id, value);
        form.append("intent", "submit");
        form.append("client_id", crypto.randomUUID().replaceAll("-", ""));
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const response = await fetch(url, {method: "POST", body: form,
            headers: {"X-CSRFToken": token, "Accept": "application/json"}});
        return [response.status, await response.text()];
    }""", [f"/judge/contests/{contest_id}/teams/{team_id}", scores])
    assert result[0] == 200, result


def shown_rows(page):
    """(team, score) as the projector shows them, top to bottom."""
    return page.eval_on_selector_all(
        "#board .row", "rows => rows.map(r => [r.querySelector('.team').textContent,"
                       " r.querySelector('.score').textContent.trim()])")


def api_rows(live_server, contest_id):
    """(team, score) as the public API reports them, scores the Indonesian way."""
    with urllib.request.urlopen(live_server(f"/api/contests/{contest_id}/standings")) as response:
        rows = json.load(response)["rows"]
    return [[row["team"], row["score"].replace(".", ",")] for row in rows]


def test_projector_follows_saves_and_resyncs_after_going_offline(browser, live_server):
    with live_server.app.app_context():
        _, contest, teams, (judge_a, code_a), (judge_b, code_b) = gen_small_contest()
        ids = {"contest": contest.id, "teams": [t.id for t in teams],
               "criteria": [c.id for c in contest.criteria]}
        db.session.remove()

    projector_context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector = projector_context.new_page()
    projector.goto(live_server(f"/display/{ids['contest']}"))
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")

    judge_context, other_judge_context = browser.new_context(), browser.new_context()
    tablet_a, tablet_b = judge_context.new_page(), other_judge_context.new_page()
    tablet_a.goto(live_server(f"/judge/login/{code_a}"))
    tablet_b.goto(live_server(f"/judge/login/{code_b}"))

    def scores(*values):
        return dict(zip(map(str, ids["criteria"]), map(str, values)))

    judge_submits(tablet_a, ids["contest"], ids["teams"][1], scores(9, 8))
    first = projector.locator("#board .row").first
    expect(first.locator(".team")).to_have_text("Tim Batumandi")
    expect(first.locator(".score")).to_have_text("25,00")
    expect(first).to_have_class(re.compile(r"\bflash\b"))  # the row that changed lights up
    # Pushed, not reloaded: the page's own script state survived.
    assert projector.evaluate("!!window.liveBoard")

    projector_context.set_offline(True)
    expect(projector.locator("#conn")).to_have_attribute("data-state", "offline", timeout=15000)
    judge_submits(tablet_a, ids["contest"], ids["teams"][2], scores(10, 10))
    judge_submits(tablet_b, ids["contest"], ids["teams"][2], scores(9, 9.5))
    judge_submits(tablet_b, ids["contest"], ids["teams"][0], scores(7, 6.5))
    assert shown_rows(projector)[0][0] == "Tim Batumandi"  # stale while offline

    projector_context.set_offline(False)
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online", timeout=15000)
    expected = api_rows(live_server, ids["contest"])
    assert expected[0] == ["Tim Halong", "29,00"]
    expect(projector.locator("#board .row .team")).to_have_text([t for t, _ in expected])
    assert shown_rows(projector) == expected
    for context in (projector_context, judge_context, other_judge_context):
        context.close()


def assert_board_fits(page, height):
    """The whole board fits the screen: nothing scrolls, no row is cut off or overlaps the next."""
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    last = page.locator("#board .row").last.bounding_box()
    assert last["y"] + last["height"] <= height
    fit = page.evaluate("""() => {
        const rows = [...document.querySelectorAll('#board .row')];
        return {clipped: rows.filter(r => r.scrollHeight > r.clientHeight + 1).length,
                overlapping: rows.slice(1).filter((r, i) => r.getBoundingClientRect().top
                    < rows[i].getBoundingClientRect().bottom - 0.5).length};
    }""")
    assert fit == {"clipped": 0, "overlapping": 0}


def demo_with_scores():
    """The demo event mid-morning: Yel-Yel half judged, a penalty, a team on stage."""
    from scoreboard.demo import seed_demo
    from scoreboard.services import display_state
    event, _, _ = seed_demo()
    contest = event.contests[0]
    panel = contest.panel
    scored = {  # team index -> one row of four criterion scores per judge
        0: ([8, 8.5, 9, 8], [7.5, 8, 8.5, 8.5], [8, 8, 9, 9], [8.5, 9, 9, 8]),
        1: ([9, 9, 9.5, 9], [8.5, 9, 9, 9.5], [9, 8.5, 9.5, 9], [9, 9.5, 9, 9]),
        2: ([7, 7.5, 8, 7], [7.5, 7, 7.5, 8], [6.5, 7, 7, 7.5], [7, 7, 8, 7]),
        3: ([8.5, 8, 8, 9], [8, 8.5, 8.5, 8]),
        4: ([6.5, 7, 7.5, 7],),
    }
    for index, sheets in scored.items():
        team = contest.teams[index]
        judges = [j for j in panel if not j.in_conflict_with(team)]
        for judge, values in zip(judges, sheets):
            gen_sheet(contest, judge, team, values)
    gen_penalty(contest, contest.teams[2], 2, reason="Melebihi batas waktu 30 detik")
    contest.version = contest.version + 1
    db.session.commit()
    display_state.set_now_performing(contest, contest.teams[5])
    return contest.id


def test_projector_and_phone_screenshots_of_the_demo_event(browser, live_server, screenshot_dir):
    with live_server.app.app_context():
        contest_id = demo_with_scores()
        db.session.remove()

    for width, height in ((1920, 1080), (1280, 720)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(live_server(f"/display/{contest_id}"))
        expect(page.locator("#conn")).to_have_attribute("data-state", "online")
        expect(page.locator("#board .row")).to_have_count(8)
        expect(page.locator(".now-performing")).to_contain_text("Sedang tampil")
        assert_board_fits(page, height)
        context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(live_server(f"/board/{contest_id}"))
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    screenshot_when_still(page, screenshot_dir / "board-phone.png", full_page=True)
    phone.close()



def test_projector_fits_twelve_teams_with_their_notes(browser, live_server):
    with live_server.app.app_context():
        from scoreboard.models import Contest, ContestTeam
        contest_id = demo_with_scores()
        contest = db.session.get(Contest, contest_id)
        for n, region in enumerate(("Paringin Selatan", "Paringin", "Batumandi", "Lampihong"), 1):
            team = gen_team(contest.event, f"Tim Desa Tambahan Sejahtera Bersama {n}", region)
            contest.entries.append(ContestTeam(team=team, order_no=8 + n))
        db.session.commit()
        # The fullest stage too: a timer under the team on stage and "Bersiap" (issue 14).
        from scoreboard.services.contest_setup import set_time_limits
        set_time_limits(contest, minimum="3:00", maximum="5:00")
        db.session.remove()

    for width, height in ((1920, 1080), (1280, 720)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(live_server(f"/display/{contest_id}"))
        expect(page.locator("#board .row")).to_have_count(12)
        expect(page.locator("#board .stage-timer")).to_be_visible()
        expect(page.locator("#board .up-next")).to_be_visible()
        # Every row still shows its kecamatan and the provisional marker under the team.
        expect(page.locator("#board .row .provisional-mark").last).to_be_visible()
        assert_board_fits(page, height)
        assert page.locator(".projector-side .qr").bounding_box()["y"] >= 0
        context.close()


def organizer_posts(page, path, **fields):
    """The organizer console posts a form (with its CSRF token), as its buttons do."""
    result = page.evaluate("""async ([url, fields]) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const response = await fetch(url, {method: "POST", body: form,
            headers: {"X-CSRFToken": token, "HX-Request": "true"}});
        return response.status;
    }""", [path, fields])
    assert result == 200, (path, result)


def test_hall_follows_the_console_and_phones_follow_juara_umum(browser, live_server):
    with live_server.app.app_context():
        from tests.factories import gen_contest, gen_organizer
        event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
        other = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
        for team, values in zip(teams, ([5, 5], [9, 9], [7, 7])):
            gen_sheet(contest, judge_a, team, values)
            gen_sheet(contest, judge_b, team, values)
        event.hall_view, event.hall_contest_id = "contest", contest.id
        gen_organizer(password="rahasia-panitia")
        ids = {"contest": contest.id, "other": other.id}
        db.session.remove()

    hall = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    hall.goto(live_server("/display"))
    expect(hall.locator("#conn")).to_have_attribute("data-state", "online")
    expect(hall.locator(".board-title")).to_have_text("Lomba Yel-Yel")
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                        has_touch=True)
    phone = phone_context.new_page()
    phone.goto(live_server("/overall"))
    expect(phone.locator("#conn")).to_have_attribute("data-state", "online")
    # Six award columns and the kecamatan fit the phone: the page never scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    hall.evaluate("window.stillTheSamePage = true")
    phone.evaluate("window.stillTheSamePage = true")

    console = browser.new_context().new_page()
    console.goto(live_server("/admin/login"))
    console.fill("input[name=username]", "panitia")
    console.fill("input[name=password]", "rahasia-panitia")
    console.get_by_role("button", name="Masuk").click()
    console.locator("#hall-control").get_by_role("button", name="Lomba Tari Kreasi").click()
    expect(hall.locator(".board-title")).to_have_text("Lomba Tari Kreasi")
    console.locator("#hall-control").get_by_role("button", name="Juara umum").click()
    expect(hall.locator("#overall .board-title")).to_have_text("Juara Umum")

    organizer_posts(console, f"/admin/contests/{ids['contest']}/lock")
    organizer_posts(console, f"/admin/contests/{ids['contest']}/publish")
    for screen in (hall, phone):
        expect(screen.locator("#overall .board-state")).to_have_text("1 lomba diumumkan")
        batumandi = screen.locator("#overall tbody tr", has_text="Batumandi")
        expect(batumandi.locator("td.num").first).to_have_text("1")
        assert screen.evaluate("window.stillTheSamePage === true")  # pushed, not reloaded
    for context in (hall.context, phone_context, console.context):
        context.close()


def test_juara_umum_is_legible_in_the_hall_and_fits_a_phone(browser, live_server, screenshot_dir):
    with live_server.app.app_context():
        from scoreboard.models import Contest
        contest = db.session.get(Contest, demo_with_scores())
        contest.status = "published"
        db.session.commit()
        db.session.remove()

    for width, height, name in ((1920, 1080, "overall-1920.png"), (1280, 720, "overall-1280.png")):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(live_server("/overall"))
        expect(page.locator("#overall tbody tr")).to_have_count(8)
        sizes = page.evaluate("""() => {
            const px = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
            const table = document.querySelector('#overall .medal-table').getBoundingClientRect();
            return {cell: px('#overall tbody td.team'), head: px('#overall thead th'),
                    title: px('#overall .board-title'), bottom: table.bottom};
        }""")
        # Like the projector: type follows the screen height (3.6vh rows at 1080 are ~39 px).
        assert sizes["cell"] >= 0.034 * height and sizes["head"] >= 0.025 * height, sizes
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert sizes["title"] >= 0.05 * height, sizes
        assert sizes["bottom"] <= height, sizes  # the whole table on one screen
        screenshot_when_still(page, screenshot_dir / name)
        context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(live_server("/overall"))
    expect(page.locator("#overall tbody tr")).to_have_count(8)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    cell = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'#overall tbody td.team')).fontSize)")
    assert 12 <= cell <= 20, cell
    screenshot_when_still(page, screenshot_dir / "overall-phone.png", full_page=True)
    phone.close()


def test_backstop_poll_catches_up_a_silently_dead_socket_and_slides_the_moved_row(browser,
                                                                                 live_server):
    with live_server.app.app_context():
        _, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
        for team, values in zip(teams, ([7, 7], [6, 6], [5, 5])):
            gen_sheet(contest, judge_a, team, values)
        db.session.commit()
        ids = {"contest": contest.id, "halong": str(teams[2].id), "judge_b": judge_b.id}
        db.session.remove()

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script("window.liveBoardBackstopMs = 400")  # instead of 30 s
    page = context.new_page()
    page.goto(live_server(f"/display/{ids['contest']}"))
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    expect(page.locator("#board .row .team").first).to_have_text("Tim Awayan")
    page.evaluate("window.stillTheSamePage = true")
    # The socket stays "connected" but no push reaches the board any more.
    page.evaluate("liveBoard.socket.off('standings')")

    with live_server.app.app_context():
        from scoreboard.models import Contest, Judge, Team
        contest = db.session.get(Contest, ids["contest"])
        gen_sheet(contest, db.session.get(Judge, ids["judge_b"]),
                  db.session.get(Team, int(ids["halong"])), [10, 10])
        contest.version = Contest.version + 1
        db.session.commit()
        db.session.remove()

    # Halong (15,00 and 30,00 from judge B: 22,50 against 21,00) jumps from third to first without a push or reload.
    expect(page.locator("#board .row .team").first).to_have_text("Tim Halong", timeout=8000)
    assert page.evaluate("window.stillTheSamePage === true")
    moves = {move["team"]: move for move in page.evaluate("liveBoard.lastMoves()")}
    assert moves[ids["halong"]]["dy"] > 0 and moves[ids["halong"]]["flash"]  # slid up, flashed
    assert all(move["dy"] < 0 for team, move in moves.items() if team != ids["halong"])
    transition = page.locator(f'#board .row[data-team="{ids["halong"]}"]').evaluate(
        "row => row.style.transition")
    assert "transform" in transition
    context.close()
