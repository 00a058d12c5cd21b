"""The stage timer's rules: taps, pause and resume, late taps, idempotency, proposed penalties."""
from decimal import Decimal

import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Penalty
from scoreboard.services import contest_setup, stage_timer
from scoreboard.services.errors import ServiceError
from scoreboard.services.public_board import public_board
from scoreboard.stage_models import ProposedPenalty
from tests.factories import gen_judge, gen_small_contest

T0 = 1_772_000_000_000  # a server time in ms


class Clock:
    """The server's clock, moved by hand."""

    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(stage_timer, "server_now_ms", fake)
    return fake


@pytest.fixture
def stage(app):
    """A yel-yel of three teams, 3:00-5:00, 1 point per started 30 s (at most 5), a timekeeper."""
    event, contest, teams, _a, _b = gen_small_contest()
    contest_setup.set_time_limits(contest, minimum="3:00", maximum="5:00", step="30", points="1",
                                  cap="5")
    keeper, _code = gen_judge(event, "Pencatat Waktu", [contest], role="timekeeper")
    return contest, teams, keeper


def tap(stage, team, action, client_id, age=0):
    contest, _teams, keeper = stage
    return stage_timer.tap(contest, team, action, client_id, age, keeper)


def board_penalties(contest) -> dict[str, str]:
    return {row.team: row.penalty for row in public_board(contest).rows}


def test_pause_and_resume_leave_the_paused_time_out_of_the_duration(stage, clock):
    _contest, (awayan, *_), _keeper = stage
    tap(stage, awayan, "start", "tap-start-1")
    clock.now += 60_000
    timer, _new = tap(stage, awayan, "pause", "tap-pause-1")
    assert (timer.state, timer.elapsed_ms(clock.now + 99_000)) == ("paused", 60_000)
    clock.now += 45_000                      # a microphone fails: 45 s paused
    tap(stage, awayan, "resume", "tap-resume-1")
    clock.now += 180_500
    timer, _new = tap(stage, awayan, "stop", "tap-stop-1")
    assert timer.state == "stopped"
    assert timer.duration_ms == 240_500      # 4:00.5, the pause left out
    assert timer.paused_total_ms == 45_000
    assert stage_timer.proposals_for(stage[0]) == []   # inside 3:00-5:00


def test_a_tap_sent_twice_is_stored_once(stage, clock):
    contest, (awayan, *_), _keeper = stage
    first, new = tap(stage, awayan, "start", "same-tap-id")
    clock.now += 5_000
    again, repeated = tap(stage, awayan, "start", "same-tap-id")   # the outbox retried
    assert (new, repeated) == (True, False)
    assert again.id == first.id and again.started_ms == T0 and again.rev == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .filter_by(action="timer_start")) == 1


def test_a_late_tap_takes_effect_when_it_was_tapped(stage, clock):
    contest, (awayan, *_), _keeper = stage
    tap(stage, awayan, "start", "late-start-1")
    clock.now += 250_000
    # Tapped 30 s ago, offline; it arrives now with its age.
    timer, _new = tap(stage, awayan, "stop", "late-stop-01", age=30_000)
    assert timer.duration_ms == 220_000
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="timer_stop"))
    assert entry.new_value["age_ms"] == 30_000


def test_a_late_tap_is_never_placed_before_the_previous_one(stage, clock):
    contest, (awayan, *_), _keeper = stage
    clock.now += 10_000
    tap(stage, awayan, "start", "order-start")
    clock.now += 2_000
    # Its age says it was tapped before the start the server already holds: it counts as
    # tapped at the start (zero length), never earlier.
    timer, _new = tap(stage, awayan, "stop", "order-stop1", age=60_000)
    assert timer.duration_ms == 0


def test_a_tap_the_state_forbids_is_refused_and_changes_nothing(stage, clock):
    contest, (awayan, *_), _keeper = stage
    with pytest.raises(ServiceError) as refused:
        tap(stage, awayan, "stop", "stop-before-start")
    assert refused.value.status == 409
    tap(stage, awayan, "start", "start-once-1")
    with pytest.raises(ServiceError) as twice:
        tap(stage, awayan, "start", "start-twice-2")
    assert twice.value.status == 409
    with pytest.raises(ServiceError) as unknown:
        tap(stage, awayan, "rewind", "rewind-tap-1")
    assert unknown.value.status == 422
    with pytest.raises(ServiceError) as bad_age:
        tap(stage, awayan, "pause", "bad-age-tap1", age="kemarin")
    assert bad_age.value.status == 422
    assert contest.entries[0].timer.state == "running"


def test_only_the_contests_timekeeper_may_tap(stage, clock):
    contest, (awayan, *_), _keeper = stage
    judge = contest.panel[0]
    with pytest.raises(ServiceError) as refused:
        stage_timer.tap(contest, awayan, "start", "judge-tap-01", 0, judge)
    assert refused.value.status == 403


def test_over_the_limit_proposes_a_penalty_and_deducts_nothing(stage, clock):
    contest, (awayan, *_), _keeper = stage
    tap(stage, awayan, "start", "over-start-1")
    clock.now += 342_000                     # 5:42: two started 30 s steps over 5:00
    tap(stage, awayan, "stop", "over-stop-01")
    [proposal] = stage_timer.proposals_for(contest)
    assert (proposal.side, proposal.outside_seconds, proposal.points) == ("over", 42, Decimal(2))
    assert db.session.scalar(db.select(db.func.count()).select_from(Penalty)) == 0
    assert board_penalties(contest)["Tim Awayan"] == ""

    penalty = stage_timer.confirm_proposal(contest, proposal, "panitia: admin")
    assert penalty.points == Decimal(2)
    assert penalty.reason == "Melebihi batas waktu (5 menit 42 detik; batas 5 menit)"
    assert board_penalties(contest)["Tim Awayan"] == "2.00"
    assert proposal.status == "confirmed" and proposal.penalty_id == penalty.id
    actions = [e.action for e in db.session.scalars(db.select(AuditEntry)
                                                    .filter_by(entity="proposed_penalty"))]
    assert actions == ["propose", "confirm"]
    with pytest.raises(ServiceError) as twice:
        stage_timer.confirm_proposal(contest, proposal, "panitia: admin")
    assert twice.value.status == 409


def test_dismissing_a_proposal_needs_a_reason_and_deducts_nothing(stage, clock):
    contest, (_awayan, batumandi, _halong), _keeper = stage
    tap(stage, batumandi, "start", "short-start1")
    clock.now += 150_000                     # 2:30: 30 s under 3:00
    tap(stage, batumandi, "stop", "short-stop-1")
    [proposal] = stage_timer.proposals_for(contest)
    assert (proposal.side, proposal.points) == ("under", Decimal(1))
    with pytest.raises(ServiceError) as no_reason:
        stage_timer.dismiss_proposal(contest, proposal, "  ", "ketua juri: Juri A")
    assert no_reason.value.status == 422 and proposal.status == "proposed"
    stage_timer.dismiss_proposal(contest, proposal, "Musik panitia terputus", "ketua juri: Juri A")
    assert (proposal.status, proposal.reason) == ("dismissed", "Musik panitia terputus")
    assert board_penalties(contest)["Tim Batumandi"] == ""


def test_reset_withdraws_an_undecided_proposal(stage, clock):
    contest, (awayan, *_), _keeper = stage
    tap(stage, awayan, "start", "reset-start1")
    clock.now += 400_000
    tap(stage, awayan, "stop", "reset-stop-1")
    timer, _new = tap(stage, awayan, "reset", "reset-reset1")
    assert timer.state == "idle" and timer.duration_ms is None
    assert [p.status for p in db.session.scalars(db.select(ProposedPenalty))] == ["withdrawn"]
    assert stage_timer.proposals_for(contest) == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"minimum": "5:00", "maximum": "3:00"}, "Waktu minimum harus lebih singkat"),
    ({"maximum": "4:75"}, "menit:detik"),
    ({"maximum": "lima"}, "menit:detik"),
    ({"maximum": "5", "step": "0"}, "Langkah waktu"),
    ({"maximum": "5", "points": "-1"}, "lebih dari 0"),
])
def test_bad_time_limits_are_refused_in_indonesian(stage, fields, message):
    contest = stage[0]
    with pytest.raises(ServiceError) as refused:
        contest_setup.set_time_limits(contest, **fields)
    assert refused.value.status == 422 and message in refused.value.message
    assert (contest.time_limit.min_seconds, contest.time_limit.max_seconds) == (180, 300)


def test_time_limits_read_minutes_and_seconds_and_blank_removes_them(stage):
    contest = stage[0]
    limit = contest_setup.set_time_limits(contest, minimum="2.30", maximum="4", cap="")
    assert (limit.min_seconds, limit.max_seconds, limit.cap) == (150, 240, None)
    assert contest_setup.set_time_limits(contest) is None
    assert contest.time_limit is None


def recap_text(contest) -> str:
    import io
    from pypdf import PdfReader
    from scoreboard.services.recap_pdf import build_recap_pdf
    reader = PdfReader(io.BytesIO(build_recap_pdf([contest])))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_recap_lists_each_teams_duration_beside_its_penalties(stage, clock):
    from scoreboard.services.results import canonical_numbers, results_for
    contest, (awayan, batumandi, _halong), _keeper = stage
    assert "durations" not in canonical_numbers(results_for(contest))  # old fingerprints hold
    tap(stage, awayan, "start", "recap-start1")
    clock.now += 342_400
    tap(stage, awayan, "stop", "recap-stop-1")
    stage_timer.confirm_proposal(contest, stage_timer.proposals_for(contest)[0], "panitia: admin")
    tap(stage, batumandi, "start", "recap-start2")
    clock.now += 241_000
    tap(stage, batumandi, "stop", "recap-stop-2")
    text = recap_text(contest)
    assert "Penalti Durasi Status" in text
    assert "Tim Awayan Awayan" in text and "5:42" in text and "4:01" in text
    assert "Batas waktu tampil: 3:00–5:00; 1 poin per 30 detik di luar batas, paling banyak 5 poin." in text
    assert "Melebihi batas waktu (5 menit 42 detik; batas 5 menit)" in text
    # The durations are part of the numbers the recap's fingerprint covers.
    assert canonical_numbers(results_for(contest))["durations"] == {"Tim Awayan": "5:42",
                                                                    "Tim Batumandi": "4:01"}
