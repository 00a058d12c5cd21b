"""The stage's pages: the timekeeper's tablet, the console's stage section, the ketua juri's
decisions, the MC's page and who may open each."""
import re

import pytest

from scoreboard.extensions import db
from scoreboard.identity import organizer_session
from scoreboard.models import Organizer
from scoreboard.services import contest_setup, stage_timer
from scoreboard.services.display_state import set_now_performing
from scoreboard.stage_models import ProposedPenalty
from tests.factories import gen_judge, gen_small_contest
from werkzeug.security import generate_password_hash


def login_seat(client, code):
    assert client.get(f"/judge/login/{code.replace('-', '')}").status_code == 302


def login_organizer(client):
    db.session.add(Organizer(username="panitia", password_hash=generate_password_hash("rahasia-panitia")))
    db.session.commit()
    with client.session_transaction() as session:
        session.update(organizer_session(db.session.scalars(db.select(Organizer)).one()))


@pytest.fixture
def stage(app):
    event, contest, teams, (judge_a, code_a), _b = gen_small_contest()
    contest_setup.set_time_limits(contest, minimum="0:10", maximum="0:20", step="5", points="1")
    keeper, keeper_code = gen_judge(event, "Pencatat Waktu", [contest], role="timekeeper")
    mc, mc_code = gen_judge(event, "Pembawa Acara", [contest], role="mc")
    set_now_performing(contest, teams[0])
    return contest, teams, keeper_code, mc_code, code_a


def tap(client, contest, team, action, client_id, age="0"):
    return client.post(f"/stage/timer/{contest.id}/tap", data={
        "action": action, "team_id": str(team.id), "client_id": client_id, "age_ms": age},
        headers={"X-Timer-Client": "1"})


def test_the_timekeeper_taps_through_json_and_a_repeat_is_acknowledged(client, stage):
    contest, teams, keeper_code, _mc, _judge = stage
    login_seat(client, keeper_code)
    page = client.get(f"/stage/timer/{contest.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tim Awayan" in html and 'data-state="idle"' in html and "Bersiap" in html
    first = tap(client, contest, teams[0], "start", "json-start-1")
    assert first.status_code == 200 and first.get_json()["timer"]["state"] == "running"
    again = tap(client, contest, teams[0], "start", "json-start-1")
    assert again.get_json()["repeat"] is True
    refused = tap(client, contest, teams[0], "resume", "json-resume1")
    assert refused.status_code == 409 and "tidak sedang dijeda" in refused.get_json()["error"]


def test_only_a_timekeeper_seat_opens_the_timer(client, stage):
    contest, teams, _keeper, _mc, judge_code = stage
    assert client.get(f"/stage/timer/{contest.id}").status_code == 302     # anonymous: log in
    assert tap(client, contest, teams[0], "start", "anon-start-1").status_code == 401
    login_seat(client, judge_code)
    assert client.get(f"/stage/timer/{contest.id}").status_code == 403
    assert tap(client, contest, teams[0], "start", "judge-start1").status_code == 403


def test_the_console_confirms_a_proposal_and_the_board_shows_the_penalty(client, stage, monkeypatch):
    contest, teams, _keeper, _mc, _judge = stage
    keeper = contest.judges_with_role("timekeeper")[0]
    stage_timer.tap(contest, teams[0], "start", "console-start", 30_000, keeper)   # 30 s ago
    stage_timer.tap(contest, teams[0], "stop", "console-stop1", 0, keeper)
    login_organizer(client)
    page = client.get(f"/admin/contests/{contest.id}/stage").get_data(as_text=True)
    assert "0:30" in page and "−2,00" in page      # 10 s over 0:20 in 5 s steps
    proposal = db.session.scalar(db.select(ProposedPenalty))
    assert client.get(f"/api/contests/{contest.id}/standings").status_code == 200
    bad = client.post(f"/admin/proposals/{proposal.id}", data={"decision": "dismiss", "reason": ""},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "alasan" in bad.get_data(as_text=True)
    done = client.post(f"/admin/proposals/{proposal.id}", data={"decision": "confirm"},
                       headers={"HX-Request": "true"})
    assert done.status_code == 200 and "dikonfirmasi" in done.get_data(as_text=True)
    board = client.get(f"/board/{contest.id}").get_data(as_text=True)
    assert '<span class="penalty">−2,00' in board and 'class="penalty-reason"' in board


def test_the_ketua_juri_sees_and_dismisses_a_proposal(client, app, stage):
    contest, teams, _keeper, _mc, _judge = stage
    event = contest.event
    head, head_code = gen_judge(event, "Ketua Juri", [contest], role="head")
    keeper = contest.judges_with_role("timekeeper")[0]
    stage_timer.tap(contest, teams[0], "start", "head-start-1", 3_000, keeper)
    stage_timer.tap(contest, teams[0], "stop", "head-stop-01", 0, keeper)    # 0:03, under 0:10
    login_seat(client, head_code)
    home = client.get("/judge/").get_data(as_text=True)
    assert "Usulan pengurangan nilai" in home and "0:03" in home
    proposal = db.session.scalar(db.select(ProposedPenalty))
    refused = client.post(f"/judge/proposals/{proposal.id}", data={"decision": "dismiss"})
    assert refused.status_code == 422
    done = client.post(f"/judge/proposals/{proposal.id}",
                       data={"decision": "dismiss", "reason": "Mikrofon mati"})
    assert done.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "dismissed" and proposal.decided_by == "ketua juri: Ketua Juri"


def test_the_mc_page_opens_for_the_mc_seat_and_the_console_link_only(client, stage):
    contest, teams, _keeper, mc_code, judge_code = stage
    assert client.get("/stage/mc").status_code == 302
    login_seat(client, judge_code)
    assert client.get("/stage/mc").status_code == 403
    login_seat(client, mc_code)
    page = client.get("/stage/mc").get_data(as_text=True)
    assert "Tim Awayan" in page and "Kecamatan Awayan" in page and "Tim Batumandi" in page
    client.post("/judge/logout")
    login_organizer(client)
    link = re.search(r'id="mc-url">([^<]+)<', client.get(
        f"/admin/contests/{contest.id}/stage").get_data(as_text=True)).group(1)
    anonymous = client.application.test_client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert anonymous.get("/" + path).status_code == 200
    assert anonymous.get("/stage/mc/link/forged-token").status_code == 404


def test_judges_see_the_time_limit_and_the_measured_time_on_the_sheet(client, stage):
    contest, teams, _keeper, _mc, judge_code = stage
    keeper = contest.judges_with_role("timekeeper")[0]
    stage_timer.tap(contest, teams[0], "start", "sheet-start1", 17_000, keeper)
    stage_timer.tap(contest, teams[0], "stop", "sheet-stop-1", 0, keeper)
    login_seat(client, judge_code)
    sheet = client.get(f"/judge/contests/{contest.id}/teams/{teams[0].id}").get_data(as_text=True)
    assert re.search(r'Batas waktu 0:10–0:20 · durasi tercatat <strong>0:1[67]</strong>', sheet)
    other = client.get(f"/judge/contests/{contest.id}/teams/{teams[1].id}").get_data(as_text=True)
    assert "Batas waktu 0:10–0:20</p>" in other


def test_timekeeper_and_mc_seats_are_named_in_the_report_and_on_the_cards(client, stage):
    from scoreboard.services.cards import seats_of
    contest = stage[0]
    keeper = contest.judges_with_role("timekeeper")[0]
    assert seats_of(keeper) == "Lomba Yel-Yel (pencatat waktu)"
    login_organizer(client)
    page = client.get(f"/admin/laporan/{contest.event_id}").get_data(as_text=True)
    assert "Pencatat Waktu: Pencatat Waktu" in page and "MC: Pembawa Acara" in page
    assert client.get(f"/admin/laporan/{contest.event_id}.pdf").status_code == 200
