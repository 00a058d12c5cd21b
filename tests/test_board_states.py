"""Display states of rules §5 as services: live, hidden, frozen, reveal; now performing; the hall."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Contest
from scoreboard.services import display_state
from scoreboard.services.errors import ServiceError
from scoreboard.services.public_board import public_board
from scoreboard.services.publish import mark_changed
from tests.factories import gen_contest, gen_penalty, gen_sheet, gen_small_contest


def save(contest, judge, team, values):
    """A submitted sheet that bumps the version, as a judge's submit does."""
    gen_sheet(contest, judge, team, values)
    mark_changed(contest)
    db.session.commit()


def audit_actions(contest):
    return [e.action for e in db.session.scalars(
        db.select(AuditEntry).filter_by(contest_id=contest.id).order_by(AuditEntry.id))]


@pytest.fixture
def small(app):
    return gen_small_contest()


def test_live_board_shows_scores_penalties_and_progress(small):
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    save(contest, judge_a, teams[0], [8, 8])
    save(contest, judge_b, teams[0], [6, 6])
    save(contest, judge_a, teams[1], [9, 9])
    gen_penalty(contest, teams[1], 7)
    board = public_board(contest)
    assert [(r.team, r.rank, r.score, r.penalty, r.complete, r.judges_done)
            for r in board.rows] == [
        ("Tim Awayan", 1, "21.00", "", True, 2),
        ("Tim Batumandi", 2, "20.00", "7.00", False, 1),
        ("Tim Halong", None, "0.00", "", False, 0)]
    assert board.rows[2].award == ""  # nobody has scored it: no badge on an empty row


def test_hidden_shows_order_and_who_performed_without_scores(small):
    _, contest, teams, (judge_a, _), _ = small
    save(contest, judge_a, teams[1], [9, 9])
    contest.entries[2].performed = True
    db.session.commit()
    display_state.set_display_state(contest, "hidden")
    board = public_board(contest)
    assert [(r.order_no, r.team, r.performed) for r in board.rows] == [
        (1, "Tim Awayan", False), (2, "Tim Batumandi", True), (3, "Tim Halong", True)]
    assert all(r.score == "" and r.rank is None and r.award == "" for r in board.rows)


def test_freeze_keeps_the_snapshot_while_judging_goes_on(small):
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    save(contest, judge_a, teams[0], [5, 5])
    display_state.set_display_state(contest, "frozen")
    frozen_version = contest.version
    save(contest, judge_b, teams[2], [10, 10])
    board = public_board(contest)
    assert board.frozen and board.version == frozen_version
    assert [r.team for r in board.rows][0] == "Tim Awayan"
    assert contest.version == frozen_version + 1

    display_state.set_display_state(contest, "live")
    board = public_board(contest)
    assert not board.frozen and board.version == frozen_version + 2
    assert board.rows[0].team == "Tim Halong" and board.rows[0].score == "30.00"
    assert contest.frozen_board is None
    assert audit_actions(contest) == ["display_state", "display_state"]


def test_reveal_steps_a_shared_rank_at_once(small):
    _, contest, teams, (judge_a, _), _ = small
    contest.award_labels = ["Juara I", "Juara II"]
    save(contest, judge_a, teams[0], [9, 9])
    save(contest, judge_a, teams[1], [6, 6])
    save(contest, judge_a, teams[2], [6, 6])
    display_state.set_display_state(contest, "reveal", confirm_provisional=True)  # judge B has not scored
    assert public_board(contest).rows == [] and public_board(contest).reveal_steps == 2
    display_state.reveal_next(contest)
    assert [(r.team, r.award) for r in public_board(contest).rows] == [
        ("Tim Batumandi", "Juara II"), ("Tim Halong", "Juara II")]
    display_state.reveal_next(contest)
    assert [r.award for r in public_board(contest).rows] == ["Juara I", "Juara II", "Juara II"]
    with pytest.raises(ServiceError):
        display_state.reveal_next(contest)
    assert audit_actions(contest) == ["display_state", "reveal_next", "reveal_next"]


def test_reveal_next_outside_a_reveal_is_refused(small):
    _, contest, *_ = small
    version = contest.version
    with pytest.raises(ServiceError):
        display_state.reveal_next(contest)
    assert contest.version == version


def test_unknown_state_is_refused_and_nothing_changes(small):
    _, contest, *_ = small
    version = contest.version
    with pytest.raises(ServiceError):
        display_state.set_display_state(contest, "sparkly")
    assert (contest.display_state, contest.version) == ("live", version)


def test_every_state_change_bumps_the_version(small):
    _, contest, *_ = small
    versions = [contest.version]
    for state in ("hidden", "frozen", "reveal", "live"):
        display_state.set_display_state(contest, state, confirm_provisional=True)
        versions.append(db.session.get(Contest, contest.id).version)
    assert versions == list(range(versions[0], versions[0] + 5))


def test_now_performing_moves_in_performance_order(small):
    _, contest, teams, *_ = small
    display_state.next_performer(contest)
    assert contest.now_performing_id == teams[0].id
    display_state.next_performer(contest)
    display_state.next_performer(contest)
    assert contest.now_performing_id == teams[2].id
    with pytest.raises(ServiceError):
        display_state.next_performer(contest)
    display_state.previous_performer(contest)
    assert contest.now_performing_id == teams[1].id
    assert public_board(contest).now_performing.team == "Tim Batumandi"
    assert audit_actions(contest).count("now_performing") == 4


def test_a_team_outside_the_contest_cannot_perform(small):
    event, contest, teams, *_ = small
    other = gen_contest(event, name="Lomba Lain", teams=[])
    with pytest.raises(ServiceError):
        display_state.set_now_performing(other, teams[0])


def test_hall_contest_must_belong_to_the_event(small):
    event, contest, *_ = small
    from tests.factories import gen_event
    elsewhere = gen_contest(gen_event(name="Acara Lain"), name="Lomba Lain")
    with pytest.raises(ServiceError):
        display_state.set_hall_contest(event, elsewhere)
    display_state.set_hall_contest(event, contest)
    assert (event.hall_view, event.hall_contest_id) == ("contest", contest.id)
    display_state.set_hall_contest(event, None)
    assert (event.hall_view, event.hall_contest_id) == ("overall", None)


def test_reveal_after_a_freeze_takes_the_standings_of_that_moment(small):
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    save(contest, judge_a, teams[0], [9, 9])
    display_state.set_display_state(contest, "frozen")             # one judge of two: Awayan leads, provisional
    for team, values in ((teams[0], [1, 1]), (teams[1], [10, 10]), (teams[2], [5, 5])):
        if team is not teams[0]:
            save(contest, judge_a, team, values)
        save(contest, judge_b, team, values)
    display_state.set_display_state(contest, "reveal")
    for _ in range(public_board(contest).reveal_steps):
        display_state.reveal_next(contest)
    rows = public_board(contest).rows
    assert (rows[0].team, rows[0].award, rows[0].complete) == ("Tim Batumandi", "Juara I", True)
    assert all(row.complete and row.judges_done == 2 for row in rows)


def test_starting_the_reveal_again_after_judging_finished_takes_fresh_standings(small):
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    save(contest, judge_a, teams[0], [9, 9])
    display_state.set_display_state(contest, "reveal", confirm_provisional=True)
    display_state.reveal_next(contest)
    assert display_state.reveal_snapshot_stale(contest) is False
    save(contest, judge_b, teams[0], [1, 1])
    save(contest, judge_a, teams[1], [10, 10])
    save(contest, judge_b, teams[1], [10, 10])
    assert display_state.reveal_snapshot_stale(contest) is True
    display_state.set_display_state(contest, "reveal", confirm_provisional=True)  # the organizer starts over
    board = public_board(contest)
    assert (board.reveal_step, board.rows) == (0, [])
    assert display_state.reveal_snapshot_stale(contest) is False
    for _ in range(board.reveal_steps):
        display_state.reveal_next(contest)
    assert public_board(contest).rows[0].team == "Tim Batumandi"


def test_starting_the_reveal_again_without_news_keeps_the_ceremony(small):
    _, contest, teams, (judge_a, _), _ = small
    save(contest, judge_a, teams[0], [9, 9])
    display_state.set_display_state(contest, "reveal", confirm_provisional=True)
    display_state.reveal_next(contest)
    version = db.session.get(Contest, contest.id).version
    display_state.set_display_state(contest, "reveal")      # a second tap: nothing new to announce
    assert (contest.reveal_step, contest.version) == (1, version)


def test_the_award_badges_follow_the_contests_award_list(small):
    """Gold, silver and bronze go to the contest's first three awards; the rest are plain."""
    from scoreboard.realtime import standings_message
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    contest.award_labels = ["Terbaik I", "Terbaik II"]
    for team, values in zip(teams, ([9, 9], [7, 7], [5, 5])):
        save(contest, judge_a, team, values)
        save(contest, judge_b, team, values)
    board = public_board(contest)
    assert [(row.award, row.medal) for row in board.rows] == [
        ("Terbaik I", 1), ("Terbaik II", 2), ("", 0)]
    html = standings_message(board)["html"]
    assert 'class="badge badge-juara badge-r1">Terbaik I<' in html
    assert 'class="badge badge-juara badge-r2">Terbaik II<' in html
    assert "badge-r3" not in html and "badge-harapan" not in html


def test_reveal_warns_when_the_standings_are_provisional(small):
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    save(contest, judge_a, teams[0], [9, 9])
    assert display_state.reveal_would_be_provisional(contest) is True
    for team in teams:
        if team is not teams[0]:
            save(contest, judge_a, team, [5, 5])
        save(contest, judge_b, team, [5, 5])
    assert display_state.reveal_would_be_provisional(contest) is False
