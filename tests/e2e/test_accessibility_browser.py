"""Accessibility checked by a machine (issue 10, item 24): axe-core on every page type in Indonesian
and English, 44×44 px touch targets on the judges' and the quiz's tablets, and WCAG AAA contrast
(7:1) for the text on the hall projector, which is read from the back of the hall.

axe-core comes from the installed axe-playwright-python package, never from the network. Its
`Axe.run` evaluates the script through Playwright (the DevTools protocol), which the page's
Content-Security-Policy does not govern: no bypass_csp is needed, and the `browser` fixture still
fails the test on any violation of the policy the pages themselves cause.
"""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from scoreboard.extensions import db
from tests.factories import gen_judge, gen_organizer, gen_penalty

pytestmark = pytest.mark.browser

AXE = Axe()
LANGUAGES = ("id", "en")
BLOCKING = ("serious", "critical")
TABLET = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def event_day(live_server):
    """The demo event mid-day: Yel-Yel published, the other contests scored in part, a quiz played,
    a timekeeper and an MC seated, the organizer's account; the ids and codes the pages need."""
    with live_server.app.app_context():
        from scoreboard.demo import play_demo_scores, seed_demo
        from scoreboard.models import QuizEntry
        from scoreboard.services import contest_setup, display_state, running
        from scoreboard.services.results import fingerprint, results_for
        event, judges, _ = seed_demo()
        play_demo_scores(event)
        yel, quiz, tari = (event.contests[0], next(c for c in event.contests if c.kind == "quiz"),
                           event.contests[2])
        running.lock_contest(yel)
        running.publish_contest(yel, override_reason="Uji aksesibilitas")
        contest_setup.set_time_limits(tari, minimum="3:00", maximum="5:00")
        _keeper, keeper_code = gen_judge(event, "Pencatat Waktu", [tari], role="timekeeper")
        _mc, mc_code = gen_judge(event, "Pembawa Acara", [tari], role="mc")
        display_state.set_now_performing(tari, tari.teams[5])
        display_state.set_hall_contest(event, None)  # /display: the juara umum table
        gen_organizer(password="rahasia-panitia")
        codes = {judge.name: code for judge, code in judges}
        judge = next(j for j in tari.panel if not j.in_conflict_with(tari.teams[5]))
        scorekeeper = quiz.judges_with_role("scorekeeper")[0]
        ids = {"event": event.id, "yel": yel.id, "quiz": quiz.id, "tari": tari.id,
               "kb": event.contests[3].id,
               "team": tari.teams[5].id, "digest": fingerprint(results_for(yel)),
               "entry": db.session.scalar(db.select(QuizEntry.id).filter_by(contest_id=quiz.id)),
               "judge_code": codes[judge.name], "scorekeeper_code": codes[scorekeeper.name],
               "keeper_code": keeper_code, "mc_code": mc_code}
        db.session.remove()
    return ids


def with_lang(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def logged_in_judge(browser, live_server, code, viewport=TABLET):
    """A tablet (or phone) logged in with a judge seat's personal link."""
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(live_server(f"/judge/login/{code.replace('-', '')}"))
    return page


def logged_in_organizer(browser, live_server):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(live_server("/admin/login"))
    page.fill("input[name=username]", "panitia")
    page.fill("input[name=password]", "rahasia-panitia")
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator(".admin-nav")).to_be_visible()
    return page


def settle(page):
    """Let a live board connect (its state line and pill are part of what is read)."""
    page.wait_for_load_state("networkidle")
    conn = page.locator("#conn")
    if conn.count():
        expect(conn.first).to_have_attribute("data-state", "online", timeout=15_000)


def axe_problems(page, where: str, options: dict | None = None) -> list[str]:
    """axe's violations of impact serious or critical, one line per rule and element."""
    results = AXE.run(page, options=options or {"resultTypes": ["violations"]})
    return [f"{where}: {violation['id']} ({violation['impact']}) {node['target']} "
            f"{node.get('failureSummary', '').splitlines()[-1:]}"
            for violation in results.response["violations"] if violation["impact"] in BLOCKING
            for node in violation["nodes"]]


def scan_all(page, live_server, paths, problems, **options):
    for path in paths:
        for lang in LANGUAGES:
            response = page.goto(live_server(with_lang(path, lang)))
            assert response.status < 500, path
            settle(page)
            assert page.locator("html").get_attribute("lang") == lang, (path, page.url)
            problems.extend(axe_problems(page, f"[{lang}] {path}", **options))


def test_axe_finds_nothing_serious_on_any_page_in_either_language(browser, live_server, event_day):
    ids = event_day
    problems: list[str] = []
    public = browser.new_context(viewport=TABLET).new_page()
    scan_all(public, live_server, ["/", "/judge/", f"/results/{ids['yel']}",
                                   f"/verify/{ids['digest']}", "/verify/" + "0" * 64,
                                   "/halaman-yang-tidak-ada"], problems)
    projector = browser.new_context(viewport=PROJECTOR).new_page()
    scan_all(projector, live_server, [f"/display/{ids['tari']}", f"/display/{ids['quiz']}",
                                      "/display", "/overall"], problems)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    scan_all(phone, live_server, [f"/board/{ids['tari']}", f"/board/{ids['quiz']}", "/overall"],
             problems)

    judge = logged_in_judge(browser, live_server, ids["judge_code"])
    scan_all(judge, live_server, ["/judge/", f"/judge/contests/{ids['tari']}/teams/{ids['team']}",
                                  "/judge/offline"], problems)
    scorekeeper = logged_in_judge(browser, live_server, ids["scorekeeper_code"])
    scan_all(scorekeeper, live_server, ["/quiz/", f"/quiz/{ids['quiz']}",
                                        f"/quiz/{ids['quiz']}/entries/{ids['entry']}/correct"],
             problems)
    keeper = logged_in_judge(browser, live_server, ids["keeper_code"])
    scan_all(keeper, live_server, [f"/stage/timer/{ids['tari']}"], problems)
    mc = logged_in_judge(browser, live_server, ids["mc_code"], viewport=PHONE)
    scan_all(mc, live_server, ["/stage/mc"], problems)

    login = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    scan_all(login, live_server, ["/admin/login"], problems)
    console = logged_in_organizer(browser, live_server)
    scan_all(console, live_server, [
        "/admin/", "/admin/teams", "/admin/judges", "/admin/import/teams", "/admin/import/judges",
        f"/admin/contests/{ids['tari']}", f"/admin/contests/{ids['tari']}/setup",
        f"/admin/contests/{ids['tari']}/stage", f"/admin/contests/{ids['yel']}",
        f"/admin/contests/{ids['quiz']}", f"/admin/contests/{ids['quiz']}/setup",
        "/admin/audit", "/admin/password", "/admin/piagam", f"/admin/laporan/{ids['event']}",
        "/export/", f"/fairness/{ids['tari']}"], problems)
    assert not problems, f"{len(problems)} serious or critical axe violations:\n" + "\n".join(problems)


# What a finger can hit: a checkbox or radio inside its <label> is toggled by a tap anywhere on
# the label, so the label's box is that target.
TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map(el => { const box = ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')
                            || el).getBoundingClientRect();
    return [el.outerHTML.slice(0, 90), Math.round(box.width * 10) / 10,
            Math.round(box.height * 10) / 10]; })
  .filter(([, width, height]) => width < 44 || height < 44)"""


def test_every_target_on_the_judge_and_quiz_tablets_is_at_least_44_px(browser, live_server,
                                                                    event_day):
    ids = event_day
    small = []
    for code, paths in ((None, ["/judge/"]),
                        (ids["judge_code"], ["/judge/", f"/judge/contests/{ids['tari']}/teams/{ids['team']}"]),
                        (ids["scorekeeper_code"], ["/quiz/", f"/quiz/{ids['quiz']}",
                                                   f"/quiz/{ids['quiz']}/entries/{ids['entry']}/correct"])):
        for viewport in (TABLET, {"width": 768, "height": 1024}):
            page = (logged_in_judge(browser, live_server, code, viewport) if code
                    else browser.new_context(viewport=viewport).new_page())
            for path in paths:
                page.goto(live_server(path))
                page.wait_for_load_state("networkidle")
                small += [f"{viewport['width']} {path}: {w}×{h} {html}"
                          for html, w, h in page.evaluate(TARGETS)]
            page.context.close()
    assert not small, "targets under 44×44 CSS px:\n" + "\n".join(small)


# color-contrast-enhanced (7:1 for text, 4.5:1 for large text) is off in axe by default.
ENHANCED = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]},
            "resultTypes": ["violations", "passes"]}


def contrast_problems(page, where, context=None):
    """The projector's text under WCAG AAA, and how many texts axe checked (so a page whose text
    axe could not see does not pass by saying nothing)."""
    response = AXE.run(page, context=context, options=ENHANCED).response
    checked = sum(len(rule["nodes"]) for rule in response["passes"] + response["violations"])
    assert checked, where
    return [f"{where}: {node['target']} {node.get('failureSummary', '').splitlines()[-1:]}"
            for rule in response["violations"] for node in rule["nodes"]]


def test_projector_text_meets_wcag_aaa_contrast(browser, live_server, event_day):
    ids = event_day
    with live_server.app.app_context():
        from scoreboard.models import Contest
        from scoreboard.services import display_state
        # Every look of a board: a penalty with its reason, a frozen board, a reveal under way.
        tari = db.session.get(Contest, ids["tari"])
        gen_penalty(tari, tari.teams[0], "2.5", reason="Melebihi batas waktu 30 detik")
        tari.version = tari.version + 1
        db.session.commit()
        kb = db.session.get(Contest, ids["kb"])
        display_state.set_display_state(kb, "reveal", confirm_provisional=True)
        display_state.reveal_next(kb)
        display_state.reveal_next(kb)
        quiz = db.session.get(Contest, ids["quiz"])
        display_state.set_display_state(quiz, "frozen")
        db.session.remove()
    problems = []
    for viewport in (PROJECTOR, {"width": 1280, "height": 720}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        looks = {f"/display/{ids['tari']}": "#board .penalty-reason",
                 f"/display/{ids['quiz']}": "#board .pill-frozen",
                 f"/display/{ids['kb']}": "#board .pill-reveal",
                 f"/display/{ids['yel']}": "#board .badge-r1", "/display": "#overall .qr-url, .qr-url"}
        for path, look in looks.items():
            for lang in LANGUAGES:
                page.goto(live_server(with_lang(path, lang)))
                settle(page)
                expect(page.locator(look).first).to_be_visible()
                problems += contrast_problems(page, f"{viewport['width']} [{lang}] {path}")
        # The band the hall sees when the board is not live (the board behind it is dimmed on
        # purpose: those numbers may be stale).
        context.set_offline(True)
        expect(page.locator("#not-live")).to_be_visible(timeout=15_000)
        problems += contrast_problems(page, f"{viewport['width']} not live", "#not-live")
        context.close()
    assert not problems, "projector text under 7:1:\n" + "\n".join(problems)
