"""The event's juara umum: medals or points per award, chosen on the control desk."""
from decimal import Decimal

import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Event
from scoreboard.services.public_board import overall_board
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_sheet, gen_small_contest


@pytest.fixture
def desk(app, client):
    """A published small contest (Awayan wins) and an organizer's client."""
    event, contest, teams, (a, _), (b, _) = gen_small_contest()
    for team, values in zip(teams, ((9, 9), (8, 8), (7, 7))):
        gen_sheet(contest, a, team, values)
        gen_sheet(contest, b, team, values)
    contest.status = "published"
    db.session.commit()
    return {"event": event, "client": as_organizer(client, gen_organizer())}


def test_dashboard_shows_the_mode_and_default_points(desk):
    """A first-time organizer sees medals chosen and the default points I=5, II=3, III=1."""
    page = desk["client"].get("/admin/").get_data(as_text=True)
    assert 'value="medals" checked' in page
    assert 'name="points_0" value="5"' in page and 'name="points_2" value="1"' in page


def test_switch_to_points_changes_the_juara_umum_and_is_audited(desk):
    """Points per award (Indonesian decimals accepted) rank the table and land in the audit."""
    response = desk["client"].post("/admin/event/overall", headers={"HX-Request": "true"},
                                   data={"mode": "points", "points_0": "10", "points_1": "6",
                                         "points_2": "2,5", "points_3": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="hall-control"' in html and 'value="points" checked' in html
    assert 'name="points_2" value="2,5"' in html
    event = db.session.get(Event, desk["event"].id)
    db.session.refresh(event)
    assert event.overall_mode == "points"
    assert event.award_points["Juara III"] == "2.5" and event.award_points["Harapan II"] == "0"
    board = overall_board(event)
    assert board.mode == "points"
    assert [(row.region, row.points) for row in board.rows][:3] == \
        [("Awayan", Decimal(10)), ("Batumandi", Decimal(6)), ("Halong", Decimal("2.5"))]
    entry = db.session.scalar(db.select(AuditEntry).filter_by(entity="event_overall"))
    assert entry.old_value["mode"] == "medals" and entry.new_value["mode"] == "points"
    assert entry.actor == "panitia: panitia"


@pytest.mark.parametrize("data, message", [
    ({"mode": "lotre"}, "medali atau poin"),
    ({"mode": "points", "points_0": "lima"}, "harus berupa angka"),
    ({"mode": "points", "points_0": "-1"}, "antara 0 dan 1000"),
])
def test_bad_mode_or_points_are_refused(desk, data, message):
    """An unknown mode or bad points: 422 with the reason, nothing changes."""
    response = desk["client"].post("/admin/event/overall", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    event = db.session.get(Event, desk["event"].id)
    db.session.refresh(event)
    assert event.overall_mode == "medals" and not event.award_points
    assert db.session.scalar(db.select(AuditEntry).filter_by(entity="event_overall")) is None


def test_board_and_results_files_share_one_juara_umum(desk):
    """The hall's table and the results files' table come from one helper: same ranks and points."""
    from scoreboard.services.results import overall_table
    event = db.session.get(Event, desk["event"].id)
    for mode, points in (("medals", {}), ("points", {"Juara I": "1", "Juara II": "4", "Juara III": "2.5"})):
        event.overall_mode, event.award_points = mode, points
        db.session.commit()
        board = overall_board(event).rows
        assert board == overall_table(event)
        assert [(row.region, row.rank) for row in board][:3] == (
            [("Awayan", 1), ("Batumandi", 2), ("Halong", 3)] if mode == "medals"
            else [("Batumandi", 1), ("Halong", 2), ("Awayan", 3)])
