"""The quiz in headless Chromium: the scorekeeper taps a short round, the projector follows each tap."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
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
    expect(row(awayan).locator(".score")).to_have_text("100,00")
    expect(row(awayan).locator(".quiz-last")).to_have_text("+100")
    expect(projector.locator("#quiz-now")).to_have_text("Babak wajib · soal 1")
    expect(projector.locator("#board .row").first).to_have_attribute("data-team", str(awayan))

    # Babak rebutan, soal 2: Batumandi buzzes right, Halong buzzes wrong.
    tablet.get_by_role("button", name="Soal berikutnya").click()
    tablet.get_by_role("link", name="Babak rebutan").click()
    tap(batumandi, "+100")
    expect(row(batumandi).locator(".score")).to_have_text("100,00")
    expect(projector.locator("#quiz-now")).to_have_text("Babak rebutan · soal 2")
    tap(halong, "-100")
    expect(row(halong).locator(".score")).to_have_text("-100,00")
    expect(row(halong).locator(".quiz-last")).to_have_text("−100")
    # A tie is visible: both share first place.
    expect(row(awayan).locator(".rank")).to_have_text("1")
    expect(row(batumandi).locator(".rank")).to_have_text("1")

    # The wrong answer was the scorekeeper's mistake: undo it. The first tap only asks.
    undo = tablet.locator("form.undo button")
    undo.click()
    expect(undo).to_have_text("Yakin? Ketuk sekali lagi untuk membatalkan Tim Halong −100")
    expect(row(halong).locator(".score")).to_have_text("-100,00")
    tablet.wait_for_timeout(450)  # a second tap, not a bounce of the first
    undo.click()
    expect(row(halong).locator(".score")).to_have_text("0,00")
    expect(tablet.locator("#quiz-notice")).to_have_text("Dibatalkan: Tim Halong −100")

    # The venue Wi-Fi drops: the tap waits on the tablet, then arrives once.
    tablet_context.set_offline(True)
    tap(halong, "+100")
    expect(tablet.locator("#outbox-status")).to_be_visible()
    expect(tablet.locator("#outbox-status .outbox-count")).to_have_text("1 ketukan belum terkirim")
    expect(tablet.locator(f'.quiz-team[data-team="{halong}"] .quiz-total')).to_have_text("100")
    tablet_context.set_offline(False)
    expect(row(halong).locator(".score")).to_have_text("100,00", timeout=15000)
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
    tablet.screenshot(path=str(screenshot_dir / "quiz-console.png"))
    projector.screenshot(path=str(screenshot_dir / "quiz-projector.png"))
    for context in (projector_context, tablet_context):
        context.close()
