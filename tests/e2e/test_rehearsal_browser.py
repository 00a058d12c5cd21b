"""Rehearsal findings a person sees (issue 10): a redraw after the day began asks first and
needs a reason; a penalty shows its reason on the projector and a short label on phones."""
import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Contest
from tests.factories import gen_organizer, gen_penalty, gen_sheet, gen_small_contest

pytestmark = pytest.mark.browser


def organizer_page(browser, live_server, dialogs):
    """The console logged in; every confirmation is answered by `dialogs` (a list of answers)."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    seen = []

    def answer(dialog):
        seen.append(dialog.message)
        dialog.accept() if dialogs.pop(0) else dialog.dismiss()
    page.on("dialog", answer)
    page.goto(live_server("/admin/"))
    page.fill("input[name=username]", "panitia")
    page.fill("input[name=password]", "rahasia-panitia")
    page.get_by_role("button", name="Masuk").click()
    page.seen_dialogs = seen
    return page


def order_of(live_server, contest_id):
    with live_server.app.app_context():
        contest = db.session.get(Contest, contest_id)
        order = [entry.team.name for entry in contest.entries]
        db.session.remove()
        return order


def test_redraw_after_the_first_score_asks_and_needs_a_reason(browser, live_server):
    with live_server.app.app_context():
        gen_organizer(password="rahasia-panitia")
        _event, contest, teams, (judge, _code), _b = gen_small_contest()
        gen_sheet(contest, judge, teams[0], [8, 8])
        contest_id = contest.id
        db.session.remove()
    dialogs = [False, True]
    page = organizer_page(browser, live_server, dialogs)
    page.goto(live_server(f"/admin/contests/{contest_id}"))
    expect(page.locator("#order-started")).to_be_visible()
    before = order_of(live_server, contest_id)
    draw = page.locator("#draw-form")
    draw.locator("input[name=seed]").fill("ULANG-1")
    # No reason: the form does not go (the field is required), nothing asks, nothing changes.
    draw.get_by_role("button", name="Undi urutan (ulang)").click()
    assert page.seen_dialogs == [] and order_of(live_server, contest_id) == before
    draw.locator("input[name=reason]").fill("Tim Halong terlambat datang")
    # The organizer is asked, and says no: still nothing changes.
    draw.get_by_role("button", name="Undi urutan (ulang)").click()
    expect(page.locator("#order-started")).to_be_visible()
    assert len(page.seen_dialogs) == 1 and "Undi ulang" in page.seen_dialogs[0]
    assert order_of(live_server, contest_id) == before
    # Asked again, says yes: the order is redrawn with the seed and the reason is audited.
    page.locator("#draw-form").get_by_role("button", name="Undi urutan (ulang)").click()
    expect(page.locator("#draw-seed")).to_have_text("ULANG-1")
    with live_server.app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="draw"))
        assert entry.new_value["reason"] == "Tim Halong terlambat datang"
        db.session.get(Contest, contest_id).status = "published"
        db.session.commit()
        db.session.remove()
    page.reload()
    expect(page.locator("#order-fixed")).to_be_visible()
    expect(page.get_by_role("button", name="Undi urutan")).to_have_count(0)


def test_penalty_reason_on_the_projector_and_a_short_label_on_phones(browser, live_server):
    with live_server.app.app_context():
        _event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
        for judge in (judge_a, judge_b):
            gen_sheet(contest, judge, teams[1], [8, 8])
        gen_penalty(contest, teams[1], "2.5", reason="Melebihi batas waktu 2 menit")
        contest_id, team_id = contest.id, teams[1].id
        db.session.remove()
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(live_server(f"/display/{contest_id}"))
    penalty = projector.locator(f'#board .row[data-team="{team_id}"] .penalty')
    expect(penalty).to_contain_text("−2,50")
    expect(penalty.locator(".penalty-reason")).to_be_visible()
    expect(penalty.locator(".penalty-reason")).to_have_text("Melebihi batas waktu 2 menit")
    expect(penalty.locator(".penalty-short")).to_be_hidden()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(live_server(f"/board/{contest_id}"))
    penalty = phone.locator(f'#board .row[data-team="{team_id}"] .penalty')
    expect(penalty.locator(".penalty-short")).to_be_visible()
    expect(penalty.locator(".penalty-short")).to_have_text("Melebihi batas…")
    expect(penalty.locator(".penalty-reason")).to_be_hidden()
    # The row fits the phone's width: the label does not push the score off the screen.
    box = phone.locator(f'#board .row[data-team="{team_id}"] .score').bounding_box()
    assert box["x"] + box["width"] <= 390
    with live_server.app.app_context():
        db.session.get(Contest, contest_id).status = "published"
        db.session.commit()
        db.session.remove()
    results = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    results.goto(live_server(f"/results/{contest_id}"))
    expect(results.locator(".results-table")).to_contain_text("Melebihi batas waktu 2 menit")
