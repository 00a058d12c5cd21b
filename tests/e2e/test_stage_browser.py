"""The stage in headless Chromium: the timekeeper's tablet, the hall projector and a phone run on
one clock (one of them a minute wrong), a stop over the limit proposes a penalty the console
confirms, the MC reads the reveal in step with the hall, and a 30 s Wi-Fi cut loses no tap."""
import time

import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from scoreboard.services import contest_setup
from scoreboard.services.display_state import set_hall_contest, set_now_performing
from scoreboard.stage_models import EntryTimer, ProposedPenalty
from tests.factories import gen_judge, gen_organizer, gen_sheet, gen_small_contest

pytestmark = pytest.mark.browser

# Date (and so Date.now) a minute behind on this page only; performance.now is the real clock.
CLOCK_A_MINUTE_WRONG = """
(() => {
  const RealDate = Date, realNow = Date.now.bind(Date), shift = -60000;
  class WrongDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(realNow() + shift); else super(...args); }
    static now() { return realNow() + shift; }
  }
  window.Date = WrongDate;
})();
"""
READING = "() => [window.PapanTimer ? PapanTimer.displayedMs() : null, performance.timeOrigin + performance.now()]"


def setup_stage(live_server, *, maximum="0:04", minimum=""):
    """A yel-yel of three teams with scores, a limit, a timekeeper, an MC, on the hall screen."""
    with live_server.app.app_context():
        event, contest, teams, (judge_a, _a), (judge_b, _b) = gen_small_contest()
        for judge, values in ((judge_a, ((8, 9), (7, 7), (9, 6))), (judge_b, ((8, 8), (6, 7), (9, 7)))):
            for team, scores in zip(teams, values):
                gen_sheet(contest, judge, team, scores)
        contest_setup.set_time_limits(contest, minimum=minimum, maximum=maximum, step="1",
                                      points="1", cap="5")
        _keeper, keeper_code = gen_judge(event, "Pencatat Waktu", [contest], role="timekeeper")
        _mc, mc_code = gen_judge(event, "Pembawa Acara", [contest], role="mc")
        gen_organizer()
        set_hall_contest(event, contest)
        set_now_performing(contest, teams[0])
        ids = {"contest": contest.id, "teams": [t.id for t in teams],
               "names": [t.name for t in teams]}
        db.session.remove()
    return ids, keeper_code, mc_code


def open_page(browser, url, *, wrong_clock=False, **options):
    context = browser.new_context(**options)
    if wrong_clock:
        context.add_init_script(CLOCK_A_MINUTE_WRONG)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    return context, page


def synced(page):
    # A locator, not wait_for_function: that evaluates a string, which the page's CSP refuses.
    expect(page.locator("html[data-clock=synced]")).to_have_count(1)


def spread_ms(pages) -> float:
    """How far apart the pages' running times are, at one instant of the machine's real clock."""
    readings = [page.evaluate(READING) for page in pages]
    base_shown, base_at = readings[0]
    return max(abs((shown - base_shown) - (at - base_at)) for shown, at in readings[1:])


def test_one_clock_for_the_hall_a_proposed_penalty_and_the_mc_in_step(browser, live_server):
    ids, keeper_code, mc_code = setup_stage(live_server)
    contest_id, (awayan, batumandi, halong) = ids["contest"], ids["teams"]

    _t, tablet = open_page(browser, live_server(f"/judge/login/{keeper_code.replace('-', '')}"),
                           viewport={"width": 1180, "height": 820}, has_touch=True)
    tablet.get_by_role("link", name="Buka pengatur waktu").click()
    expect(tablet.locator("#team-on-stage")).to_contain_text("Tim Awayan")
    _p, projector = open_page(browser, live_server("/display"), viewport={"width": 1280, "height": 720})
    _f, phone = open_page(browser, live_server(f"/board/{contest_id}"), wrong_clock=True,
                          viewport={"width": 390, "height": 844})
    assert phone.evaluate("Date.now() - (performance.timeOrigin + performance.now())") < -59_000
    expect(projector.locator("#board .up-next")).to_contain_text("Bersiap: Tim Batumandi")
    for page in (tablet, projector, phone):
        synced(page)

    tablet.get_by_role("button", name="Mulai").click()
    for page in (projector, phone):
        expect(page.locator("#stage-timer")).to_have_attribute("data-shown-state", "running")
    projector.wait_for_timeout(1200)
    spreads = [spread_ms([tablet, projector, phone]) for _ in range(5)]
    print(f"clock spread across tablet/projector/phone (ms): {[round(s, 1) for s in spreads]}")
    assert max(spreads) < 250
    # What each screen prints is its running time in whole seconds.
    for page in (tablet, projector, phone):
        assert page.evaluate("() => { const el = document.querySelector('#stage-timer');"
                             " return el.querySelector('.timer-clock').textContent === "
                             "PapanTimer.clockText(Number(el.dataset.shownMs) / 1000); }")

    # Past 4 s the projector turns red and counts the overtime.
    expect(projector.locator("#stage-timer")).to_have_attribute("data-phase", "over", timeout=15_000)
    expect(projector.locator("#stage-timer .timer-over")).to_have_text("+0:01")
    expect(phone.locator("#stage-timer")).to_have_attribute("data-phase", "over")
    tablet.wait_for_timeout(800)
    tablet.get_by_role("button", name="Berhenti").click()
    expect(projector.locator("#stage-timer")).to_have_attribute("data-shown-state", "stopped")
    with live_server.app.app_context():
        timer = db.session.scalar(db.select(EntryTimer))
        proposal = db.session.scalar(db.select(ProposedPenalty))
        duration, points, side, proposal_id = (timer.duration_ms, proposal.points, proposal.side,
                                               proposal.id)
        db.session.remove()
    assert duration >= 5000 and side == "over"
    shown = f"{duration // 60000}:{duration // 1000 % 60:02d}"
    expect(projector.locator("#stage-timer .timer-clock")).to_have_text(shown)
    expect(tablet.locator("#stage-timer .timer-clock")).to_have_text(shown)
    # Nothing is deducted until a person confirms it.
    expect(projector.locator(f'#board .row[data-team="{awayan}"] .penalty')).to_have_count(0)

    _c, console = open_page(browser, live_server("/admin/"))
    console.fill("input[name=username]", "panitia")
    console.fill("input[name=password]", "rahasia-panitia")
    console.get_by_role("button", name="Masuk").click()
    console.goto(live_server(f"/admin/contests/{contest_id}/stage"))
    card = console.locator(f"#proposal-{proposal_id}")
    expect(card.locator(".proposal-duration")).to_have_text(shown)
    card.get_by_role("button", name="Konfirmasi pengurangan").click()
    expect(console.locator("#no-proposals")).to_be_visible()
    penalty = f"−{points:.2f}".replace(".", ",")
    expect(projector.locator(f'#board .row[data-team="{awayan}"] .penalty')).to_contain_text(penalty)
    expect(phone.locator(f'#board .row[data-team="{awayan}"] .penalty')).to_contain_text(penalty)

    # One tap moves the stage on; the tablet follows.
    console.locator("#stage-next").click()
    expect(projector.locator("#board .now-performing .team")).to_have_text("Tim Batumandi")
    expect(projector.locator("#board .up-next .next-team")).to_have_text("Tim Halong")
    expect(tablet.locator("#team-on-stage")).to_contain_text("Tim Batumandi")

    # The reveal: the MC's phone reads each sentence when the hall shows it, never before.
    _m, mc = open_page(browser, live_server(f"/judge/login/{mc_code.replace('-', '')}"),
                       viewport={"width": 390, "height": 844})
    mc.goto(live_server("/stage/mc"))
    expect(mc.locator("#mc-on-stage")).to_contain_text("Tim Batumandi (Kecamatan Batumandi)")
    expect(mc.locator("#mc-up-next")).to_contain_text("Tim Halong (Kecamatan Halong)")
    console.goto(live_server(f"/admin/contests/{contest_id}"))
    console.locator("#contest-run button[value=reveal]").first.click()
    expect(mc.locator("#mc-now")).to_contain_text("Menunggu juara pertama")
    expect(projector.locator("#board .row")).to_have_count(0)
    for step in range(1, 4):
        mc_before = mc.locator("#mc-now").inner_text()
        console.locator("button[value=reveal_next]").click()
        expect(projector.locator("#board .row")).to_have_count(step)
        revealed = projector.locator("#board .row").first  # each step reveals a better place
        award = revealed.locator(".award").inner_text()
        team = revealed.locator(".team").inner_text()
        score = revealed.locator(".score").inner_text()
        expected = f"{award} Lomba Yel-Yel diraih oleh {team} dengan nilai {score}"
        expect(mc.locator("#mc-now")).to_have_text(expected)
        assert mc_before != expected  # it was not on the MC's phone before the hall showed it
    print("MC read:", mc.locator("#mc-now").inner_text())


def test_a_30_second_wifi_cut_loses_no_tap_and_the_hall_clock_never_steps_back(browser, live_server):
    ids, keeper_code, _mc = setup_stage(live_server, maximum="1:00")
    contest_id = ids["contest"]
    tablet_context, tablet = open_page(
        browser, live_server(f"/judge/login/{keeper_code.replace('-', '')}"),
        viewport={"width": 1180, "height": 820}, wrong_clock=True)
    tablet.goto(live_server(f"/stage/timer/{contest_id}"))
    _p, projector = open_page(browser, live_server("/display"), viewport={"width": 1280, "height": 720})
    synced(tablet)
    synced(projector)

    tablet.get_by_role("button", name="Mulai").click()
    expect(projector.locator("#stage-timer")).to_have_attribute("data-shown-state", "running")
    tablet.wait_for_timeout(2000)
    tablet_context.set_offline(True)
    cut = time.monotonic()
    samples = []

    def sample(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            state = projector.locator("#stage-timer").get_attribute("data-shown-state")
            samples.append((state, projector.evaluate(READING)[0]))
            projector.wait_for_timeout(250)

    sample(3)
    tablet.get_by_role("button", name="Jeda").click()       # offline
    sample(2)
    tablet.get_by_role("button", name="Lanjutkan").click()                        # offline
    tablet_paused = tablet.evaluate(
        "PapanTimer.stateOfElement(document.getElementById('stage-timer')).paused_total_ms")
    sample(2)
    tablet.get_by_role("button", name="Berhenti").click()                         # offline
    expect(tablet.locator("#outbox-status .outbox-count")).to_have_text("3 ketukan waktu belum terkirim")
    tablet_duration = int(tablet.locator("#stage-timer").get_attribute("data-shown-ms"))
    expect(tablet.locator("#stage-timer")).to_have_attribute("data-shown-state", "stopped")
    sample(max(0.0, 30 - (time.monotonic() - cut)))
    assert time.monotonic() - cut >= 30
    # While the tablet was away the hall's clock ran on, and never stepped back.
    running = [ms for state, ms in samples if state == "running"]
    assert len(running) > 20 and all(b >= a for a, b in zip(running, running[1:]))

    tablet_context.set_offline(False)
    expect(tablet.locator("#outbox-status")).to_be_hidden(timeout=40_000)
    expect(projector.locator("#stage-timer")).to_have_attribute("data-shown-state", "stopped")
    with live_server.app.app_context():
        timer = db.session.scalar(db.select(EntryTimer))
        duration, paused = timer.duration_ms, timer.paused_total_ms
        db.session.remove()
    print(f"tablet showed {tablet_duration} ms (paused {tablet_paused}), "
          f"server recorded {duration} ms (paused {paused})")
    # Each tap took effect when it was tapped, not when the network came back 20 s later: the
    # pause is the tablet's to the millisecond or so (both ends were tapped offline), and the
    # duration differs only by where the online start landed (its request's latency).
    assert abs(paused - tablet_paused) < 50
    assert abs(duration - tablet_duration) < 1000
    assert duration < 15_000
    shown = f"{duration // 60000}:{duration // 1000 % 60:02d}"
    expect(projector.locator("#stage-timer .timer-clock")).to_have_text(shown)
