"""The quiz in headless Chromium: the scorekeeper taps a short round, the projector follows each tap."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from tests.e2e.conftest import screenshot_when_still
from tests.factories import gen_quiz_contest

pytestmark = pytest.mark.browser


def api_scores(live_server, contest_id) -> dict[str, str]:
    """team -> score as the public API reports it."""
    with urllib.request.urlopen(live_server(f"/api/contests/{contest_id}/standings")) as response:
        return {row["team"]: row["score"] for row in json.load(response)["rows"]}


def test_scorekeeper_taps_a_round_and_the_projector_follows(browser, live_server, screenshot_dir):
    with live_server.app.app_context():
        contest, teams, (_keeper, code) = gen_quiz_contest()
        contest_id = contest.id
        awayan, batumandi, halong = (team.id for team in teams)
        db.session.remove()

    projector_context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector = projector_context.new_page()
    projector.goto(live_server(f"/display/{contest_id}"))
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")
    projector.evaluate("window.notReloaded = true")

    def row(team_id):
        return projector.locator(f'#board .row[data-team="{team_id}"]')

    tablet_context = browser.new_context(viewport={"width": 1180, "height": 820}, has_touch=True)
    tablet = tablet_context.new_page()
    tablet.goto(live_server(f"/judge/login/{code.replace('-', '')}"))
    tablet.get_by_role("link", name="Buka konsol pencatat skor").click()
    expect(tablet.locator("#quiz-console")).to_be_visible()

    def tap(team_id, points):
        tablet.locator(f'.quiz-buttons:not([hidden]) button[value="{team_id}:{points}"]').click()

    # Babak wajib, soal 1: Awayan answers.
    tap(awayan, "+100")
    expect(row(awayan).locator(".score")).to_have_text("100")
    expect(row(awayan).locator(".quiz-last")).to_have_text("+100")
    expect(projector.locator("#quiz-now")).to_have_text("Babak wajib · soal 1")
    expect(projector.locator("#board .row").first).to_have_attribute("data-team", str(awayan))

    # Babak rebutan, soal 2: Batumandi buzzes right, Halong buzzes wrong.
    tablet.get_by_role("button", name="Soal berikutnya").click()
    tablet.get_by_role("link", name="Babak rebutan").click()
    tap(batumandi, "+100")
    expect(row(batumandi).locator(".score")).to_have_text("100")
    expect(projector.locator("#quiz-now")).to_have_text("Babak rebutan · soal 2")
    tap(halong, "-100")
    expect(row(halong).locator(".score")).to_have_text("−100")
    expect(row(halong).locator(".quiz-last")).to_have_text("−100")
    # A tie is visible: both share first place.
    expect(row(awayan).locator(".rank")).to_have_text("1")
    expect(row(batumandi).locator(".rank")).to_have_text("1")

    # The wrong answer was the scorekeeper's mistake: undo it. The first tap only asks.
    undo = tablet.locator("form.undo button")
    undo.click()
    expect(undo).to_have_text("Yakin? Ketuk sekali lagi untuk membatalkan Tim Halong −100")
    expect(row(halong).locator(".score")).to_have_text("−100")
    tablet.wait_for_timeout(450)  # a second tap, not a bounce of the first
    undo.click()
    # Its only entry undone, Tim Halong has not played: no score and no rank, like an unscored team.
    expect(row(halong).locator(".score")).to_have_text("—")
    expect(row(halong).locator(".rank")).to_have_text("")
    expect(tablet.locator("#quiz-notice")).to_have_text("Dibatalkan: Tim Halong −100")

    # The venue Wi-Fi drops: the tap waits on the tablet, then arrives once.
    tablet_context.set_offline(True)
    tap(halong, "+100")
    expect(tablet.locator("#outbox-status")).to_be_visible()
    expect(tablet.locator("#outbox-status .outbox-count")).to_have_text("1 ketukan belum terkirim")
    expect(tablet.locator(f'.quiz-team[data-team="{halong}"] .quiz-total')).to_have_text("100")
    tablet_context.set_offline(False)
    expect(row(halong).locator(".score")).to_have_text("100", timeout=15000)
    expect(tablet.locator("#outbox-status")).to_be_hidden()

    assert api_scores(live_server, contest_id) == {
        "Tim Awayan": "100.00", "Tim Batumandi": "100.00", "Tim Halong": "100.00"}
    assert projector.evaluate("window.notReloaded === true")
    expect(tablet.locator(".entries .entry")).to_have_count(4)
    expect(tablet.locator(".entries .entry.undone")).to_have_count(1)

    # The final: Awayan and Halong on stage. The projector marks them and dims the others.
    tablet.locator("details.stage summary").click()
    tablet.get_by_role("checkbox", name="Tim Awayan").check()
    tablet.get_by_role("checkbox", name="Tim Halong").check()
    tablet.get_by_role("button", name="Simpan tim di panggung").click()
    expect(tablet.locator(".quiz-team")).to_have_count(2)
    expect(projector.locator("#quiz-now")).to_contain_text("2 tim di panggung")
    expect(row(batumandi)).to_have_class(re.compile(r"\bquiz-off-stage\b"))
    expect(row(halong).locator(".stage-mark")).to_have_text("di panggung")
    assert projector.evaluate("window.notReloaded === true")
    screenshot_when_still(tablet, screenshot_dir / "quiz-console.png")
    screenshot_when_still(projector, screenshot_dir / "quiz-projector.png")
    for context in (projector_context, tablet_context):
        context.close()


LONG_REGIONS = ("Paringin Selatan", "Tebing Tinggi", "Lampihong", "Batumandi", "Awayan", "Halong",
                "Juai", "Paringin", "Paringin Selatan Dua", "Tebing Tinggi Dua", "Lampihong Dua",
                "Batumandi Dua")

# Boxes as the viewer sees them: the badge and the name as laid out (the name is clipped by its
# ellipsis), the score by its text, which may spill out of its cell if the column is too narrow.
ROW_BOXES = """row => {
    const box = el => { const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    const range = document.createRange();
    range.selectNodeContents(row.querySelector('.score'));
    const badge = row.querySelector('.quiz-last');
    return {row: box(row), name: box(row.querySelector('.team')), score: box(range),
            badge: badge && box(badge), padding: parseFloat(getComputedStyle(row).paddingRight)};
}"""


def overlaps(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def inside(inner, outer, margin=0.0) -> bool:
    return (inner["left"] >= outer["left"] + margin and inner["right"] <= outer["right"] - margin
            and inner["top"] >= outer["top"] and inner["bottom"] <= outer["bottom"])


def test_the_last_tap_badge_never_covers_a_long_name_or_pushes_the_score_out(
        browser, live_server, screenshot_dir):
    from scoreboard.services import quiz as quiz_service
    with live_server.app.app_context():
        from tests.factories import gen_event, gen_team
        event = gen_event(regions=LONG_REGIONS)
        teams = [gen_team(event, f"Tim Kecamatan {region}", region) for region in LONG_REGIONS]
        contest, teams, (keeper, _code) = gen_quiz_contest(event, teams=teams)
        rebutan = contest.rounds[2]
        for n, (team, points) in enumerate([(teams[1], "+300"), (teams[2], "-1000"), (teams[3], "+12,5"),
                                            (teams[0], "-100")], start=1):
            quiz_service.record_tap(contest, team, rebutan, 3, points, f"long{n}-tablet", keeper)
        contest_id, longest = contest.id, teams[0].id
        db.session.remove()

    for name, viewport, path in (("1920", {"width": 1920, "height": 1080}, "display"),
                                 ("1280", {"width": 1280, "height": 720}, "display"),
                                 ("phone", {"width": 390, "height": 844}, "board")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(live_server(f"/{path}/{contest_id}"))
        row = page.locator(f'#board .row[data-team="{longest}"]')
        expect(row.locator(".quiz-last")).to_have_text("−100")
        expect(row.locator(".score")).to_have_text("−100")  # whole quiz points, no ",00"
        # Measure once the badge's pop-in has settled to its real size.
        page.wait_for_function("""() => { const b = document.querySelector('#board .quiz-last');
            return b && getComputedStyle(b).transform === 'none'
                   || getComputedStyle(b).transform === 'matrix(1, 0, 0, 1, 0, 0)'; }""")
        boxes = row.evaluate(ROW_BOXES)
        assert not overlaps(boxes["badge"], boxes["name"]), (name, boxes)
        assert not overlaps(boxes["badge"], boxes["score"]), (name, boxes)
        assert not overlaps(boxes["name"], boxes["score"]), (name, boxes)
        for part in ("badge", "name"):
            assert inside(boxes[part], boxes["row"]), (name, part, boxes)
        # The score keeps the row's padding from the edge (it does not touch the border).
        assert inside(boxes["score"], boxes["row"], margin=boxes["padding"] - 1), (name, boxes)
        for other in page.locator("#board .row").all():
            each = other.evaluate(ROW_BOXES)
            assert not overlaps(each["name"], each["score"]), (name, each)
            assert inside(each["score"], each["row"], margin=each["padding"] - 1), (name, each)
        screenshot_when_still(page, screenshot_dir / f"quiz-long-names-{name}.png")
        context.close()
