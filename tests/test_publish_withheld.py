"""Publishing while the board keeps results back (hidden, frozen, mid-reveal) asks first and says
what becomes public; once published, the results file, the API and the board agree (issue 13,
item 8)."""
import csv
import io

import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Contest
from scoreboard.services import display_state, running
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_sheet, gen_small_contest

STATE_WORDS = {"hidden": "sedang disembunyikan", "frozen": "sedang dibekukan",
               "reveal": "Pengumuman bertahap lomba ini sedang berlangsung"}


@pytest.fixture
def locked(app, client):
    """A fully scored, locked contest, with the organizer logged in."""
    _event, contest, (awayan, batumandi, halong), (judge_a, _), (judge_b, _) = gen_small_contest()
    for judge, values in ((judge_a, ([8, 9], [7, 7.5], [9, 6])), (judge_b, ([7, 8.5], [9, 8], [6, 6]))):
        for team, value in zip((awayan, batumandi, halong), values):
            gen_sheet(contest, judge, team, value)
    running.lock_contest(contest)
    as_organizer(client, gen_organizer())
    return contest


def public_surfaces(client, contest_id):
    """The team order of the results file, the API and the board's page."""
    body = client.get(f"/results/{contest_id}.csv")
    assert body.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    api = client.get(f"/api/contests/{contest_id}/standings").get_json()
    return ([(row["team"], row["score"]) for row in rows],
            [(row["team"], row["score"]) for row in api["rows"]], api["display_state"])


@pytest.mark.parametrize("state", ["hidden", "frozen", "reveal"])
def test_publishing_a_withheld_board_asks_first_then_every_surface_agrees(client, locked, state):
    display_state.set_display_state(locked, state)
    page = client.get(f"/admin/contests/{locked.id}").get_data(as_text=True)
    assert STATE_WORDS[state] in page and "Tampilkan semua hasil sekarang" in page

    refused = client.post(f"/admin/contests/{locked.id}/publish")
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert STATE_WORDS[state] in text
    assert "peringkat dan nilai semua tim di papan, ponsel, API dan berkas hasil" in text
    contest = db.session.get(Contest, locked.id)
    db.session.refresh(contest)
    assert contest.status == "closed" and contest.display_state == state
    assert client.get(f"/results/{locked.id}.csv").status_code == 404

    published = client.post(f"/admin/contests/{locked.id}/publish", data={"confirm_public": "1"})
    assert published.status_code == 302
    db.session.refresh(contest)
    assert contest.status == "published" and contest.display_state == "live"
    from_file, from_api, api_state = public_surfaces(client, locked.id)
    assert api_state == "live"
    assert from_file == from_api == [("Tim Awayan", "25.00"), ("Tim Batumandi", "23.50"),
                                     ("Tim Halong", "19.50")]
    board = client.get(f"/board/{locked.id}").get_data(as_text=True)
    assert all(team in board for team, _score in from_api)
    actions = db.session.scalars(db.select(AuditEntry.action).filter_by(contest_id=locked.id)
                                 .order_by(AuditEntry.id.desc()).limit(2)).all()
    assert actions == ["publish", "display_state"]


def test_publishing_a_live_board_needs_no_extra_confirmation(client, locked):
    assert "Tampilkan semua hasil sekarang" not in client.get(
        f"/admin/contests/{locked.id}").get_data(as_text=True)
    assert client.post(f"/admin/contests/{locked.id}/publish").status_code == 302
    from_file, from_api, _state = public_surfaces(client, locked.id)
    assert from_file == from_api and len(from_api) == 3
