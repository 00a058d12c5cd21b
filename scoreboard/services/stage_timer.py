"""The stage timer (DESIGN §8): the timekeeper's taps, and the penalties time outside the range
proposes, confirmed or dismissed by the organizer or the ketua juri.

The server holds the timer. Every tap carries a save id made on the tablet (static/js/outbox.js),
so a tap sent twice is stored once, and its age: how long ago the timekeeper tapped, measured on
the tablet when the tap is sent. A tap that waited in the outbox while the network was down
takes effect at the moment it was tapped, not when it arrived (docs/stage-timer.md):

    tap time = server time on arrival - age   (age clamped to 0 .. MAX_AGE_MS)

and never before the timer's previous tap, so a late tap cannot reorder what was recorded.
Stopping records the duration on the team's entry; a duration outside the contest's range
creates a *proposed* penalty. Nothing is deducted until a person confirms it.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import gettext as _

from ..engine import clock_text, format_score, time_verdict
from ..extensions import db
from ..models import Contest, ContestTeam, Judge, Penalty, Team, utcnow
from ..stage_models import EntryTimer, ProposedPenalty
from . import audit, idempotency
from .errors import ServiceError, rolls_back
from .publish import commit, commit_timer, mark_changed
from .stage_view import entry_of, limits_of, server_now_ms

ACTIONS = ("start", "pause", "resume", "stop", "reset")
TAP_KIND = "timer"
MAX_AGE_MS = 6 * 3600 * 1000  # an outbox older than a day's programme is no stage tap


def parse_age(age_ms) -> int:
    """The tap's age in whole milliseconds as the tablet measured it (0 when not sent)."""
    text = str(age_ms if age_ms is not None else "").strip()
    if not text:
        return 0
    try:
        age = int(float(text))
    except (TypeError, ValueError, OverflowError):
        raise ServiceError(422, _("Umur ketukan harus berupa angka (milidetik).")) from None
    return min(max(age, 0), MAX_AGE_MS)


def _timer_of(contest: Contest):
    """The timer a receipt points to, if it belongs to this contest."""
    def timer_of(receipt) -> EntryTimer | None:
        timer = db.session.get(EntryTimer, receipt.target_id)
        return timer if timer is not None and timer.entry.contest_id == contest.id else None
    return timer_of


@rolls_back
def tap(contest: Contest, team: Team | None, action: str, client_id, age_ms, by: Judge
        ) -> tuple[EntryTimer, bool]:
    """One tap of the timekeeper (start, pause, resume, stop, reset); True when it is new.

    The same save id from the same timekeeper answers with the timer as it is, unchanged.
    """
    client_id = idempotency.checked_client_id(client_id)
    age = parse_age(age_ms)
    return idempotency.store_once(by, client_id, TAP_KIND, _timer_of(contest), lambda: _tap(
        contest, team, action, client_id, age, by))


def _tap(contest: Contest, team: Team | None, action: str, client_id: str, age: int,
         by: Judge) -> EntryTimer:
    if action not in ACTIONS:
        raise ServiceError(422, _("Tombol pengatur waktu tidak dikenal."))
    if by.role_in(contest) != "timekeeper":
        raise ServiceError(403, _("Khusus pencatat waktu lomba ini."))
    if contest.status != "open":
        raise ServiceError(409, _("Lomba tidak sedang dibuka: waktu tampil tidak dapat dicatat."))
    entry = entry_of(contest, team.id) if team is not None else None
    if entry is None:
        raise ServiceError(422, _("Tim ini tidak ikut lomba ini."))
    timer = entry.timer or EntryTimer(entry=entry, paused_total_ms=0, rev=0)
    db.session.add(timer)
    arrived = server_now_ms()
    at = max(arrived - age, timer.last_tap_ms or 0)
    old = timer_values(timer)
    proposal = _apply(timer, action, at)
    timer.last_tap_ms = at
    timer.rev = (timer.rev or 0) + 1
    db.session.flush()
    idempotency.keep_receipt(by, client_id, TAP_KIND, timer.id)
    audit.record(f"timer_{action}", "entry_timer", entity_id=timer.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=entry.team_id, judge_id=by.id, old=old,
                 new={**timer_values(timer), "tapped_at": _iso(at), "age_ms": age})
    if action == "reset":
        _withdraw_proposals(contest, entry)
    if proposal is not None:
        db.session.add(proposal)
        db.session.flush()
        audit.record("propose", "proposed_penalty", entity_id=proposal.id,
                     event_id=contest.event_id, contest_id=contest.id, team_id=entry.team_id,
                     new=proposal_values(proposal))
    commit_timer(contest, entry, proposals=proposal is not None or action == "reset")
    return timer


def _apply(timer: EntryTimer, action: str, at: int) -> ProposedPenalty | None:
    """Change the timer for one tap at server time `at`; a stop may propose a penalty."""
    state = timer.state
    allowed = {"start": ("idle",), "pause": ("running",), "resume": ("paused",),
               "stop": ("running", "paused"), "reset": ("running", "paused", "stopped")}
    if state not in allowed[action]:
        raise ServiceError(409, {
            "start": _("Waktu sudah berjalan atau sudah dihentikan; atur ulang dulu."),
            "pause": _("Waktu tidak sedang berjalan."),
            "resume": _("Waktu tidak sedang dijeda."),
            "stop": _("Waktu belum dimulai."),
            "reset": _("Waktu belum dimulai."),
        }[action])
    if action == "start":
        timer.started_ms, timer.paused_total_ms, timer.paused_at_ms = at, 0, None
    elif action == "pause":
        timer.paused_at_ms = at
    elif action == "resume":
        timer.paused_total_ms += at - timer.paused_at_ms
        timer.paused_at_ms = None
    elif action == "stop":
        if timer.paused_at_ms is not None:
            timer.paused_total_ms += at - timer.paused_at_ms
            timer.paused_at_ms = None
        timer.stopped_ms = at
        timer.duration_ms = max(0, at - timer.started_ms - timer.paused_total_ms)
        return propose(timer.entry, timer.duration_ms)
    else:
        timer.started_ms = timer.paused_at_ms = timer.stopped_ms = timer.duration_ms = None
        timer.paused_total_ms = 0
    return None


def propose(entry: ContestTeam, duration_ms: int) -> ProposedPenalty | None:
    """The penalty the contest's rule proposes for a duration, or None inside the range."""
    limit = limits_of(entry.contest)
    if limit is None:
        return None
    verdict = time_verdict(duration_ms, limit.rule)
    if not verdict.points:
        return None
    return ProposedPenalty(contest_id=entry.contest_id, team_id=entry.team_id,
                           duration_ms=duration_ms, side=verdict.side,
                           outside_seconds=verdict.outside, points=verdict.points)


def _withdraw_proposals(contest: Contest, entry: ContestTeam) -> None:
    """A reset timer withdraws the proposals of its team that nobody has decided yet."""
    for proposal in db.session.scalars(db.select(ProposedPenalty).filter_by(
            contest_id=contest.id, team_id=entry.team_id, status="proposed")):
        proposal.status = "withdrawn"
        audit.record("withdraw", "proposed_penalty", entity_id=proposal.id,
                     event_id=contest.event_id, contest_id=contest.id, team_id=entry.team_id,
                     old={"status": "proposed"}, new={"status": "withdrawn"})


def _iso(ms: int | None) -> str | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat()


def timer_values(timer: EntryTimer) -> dict:
    """A timer as the audit trail records it."""
    return {"state": timer.state, "started_at": _iso(timer.started_ms),
            "paused_total_ms": timer.paused_total_ms or 0, "duration_ms": timer.duration_ms}


def proposal_values(proposal: ProposedPenalty) -> dict:
    """A proposed penalty as the audit trail records it."""
    return {"duration": clock_text(proposal.duration_ms // 1000), "side": proposal.side,
            "outside_seconds": proposal.outside_seconds, "points": format_score(proposal.points),
            "status": proposal.status}


def spoken_seconds(seconds: int) -> str:
    """4 menit 30 detik: how a penalty's reason says a time (Indonesian: it is the record)."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    parts = ([f"{minutes} menit"] if minutes else []) + ([f"{rest} detik"] if rest or not minutes
                                                         else [])
    return " ".join(parts)


def penalty_reason(proposal: ProposedPenalty, contest: Contest) -> str:
    """The confirmed penalty's reason as the recap prints it (kept in Indonesian, the record's language)."""
    limit = limits_of(contest)
    duration = spoken_seconds(proposal.duration_ms // 1000)
    if proposal.side == "over":
        bound = spoken_seconds(limit.max_seconds) if limit and limit.max_seconds else "?"
        return f"Melebihi batas waktu ({duration}; batas {bound})"
    bound = spoken_seconds(limit.min_seconds) if limit and limit.min_seconds is not None else "?"
    return f"Kurang dari waktu minimum ({duration}; minimum {bound})"


def _undecided(proposal: ProposedPenalty, contest: Contest) -> None:
    if proposal.contest_id != contest.id:
        raise ServiceError(404, _("Usulan pengurangan nilai tidak ditemukan."))
    if proposal.status != "proposed":
        raise ServiceError(409, _("Usulan ini sudah diputuskan."))
    if contest.status == "published":
        raise ServiceError(409, _("Lomba sudah diumumkan; batalkan pengumuman dulu."))


@rolls_back
def confirm_proposal(contest: Contest, proposal: ProposedPenalty, decided_by: str) -> Penalty:
    """Confirm a proposed penalty: it becomes a penalty like any other (audited, on the boards)."""
    _undecided(proposal, contest)
    penalty = Penalty(contest_id=contest.id, team_id=proposal.team_id, points=proposal.points,
                      reason=penalty_reason(proposal, contest), entered_by=decided_by)
    db.session.add(penalty)
    db.session.flush()
    proposal.status, proposal.penalty_id = "confirmed", penalty.id
    proposal.decided_by, proposal.decided_at = decided_by, utcnow()
    audit.record("create", "penalty", entity_id=penalty.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=proposal.team_id,
                 new={"points": str(penalty.points), "reason": penalty.reason,
                      "proposal": proposal.id})
    audit.record("confirm", "proposed_penalty", entity_id=proposal.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=proposal.team_id,
                 old={"status": "proposed"}, new=proposal_values(proposal))
    mark_changed(contest)
    commit(contest)
    return penalty


@rolls_back
def dismiss_proposal(contest: Contest, proposal: ProposedPenalty, reason, decided_by: str) -> None:
    """Dismiss a proposed penalty with a reason (audited); nothing changes on the boards."""
    _undecided(proposal, contest)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(422, _("Tuliskan alasan menolak usulan pengurangan nilai."))
    proposal.status, proposal.reason = "dismissed", reason[:2000]
    proposal.decided_by, proposal.decided_at = decided_by, utcnow()
    audit.record("dismiss", "proposed_penalty", entity_id=proposal.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=proposal.team_id,
                 old={"status": "proposed"}, new={**proposal_values(proposal), "reason": reason})
    commit_timer(contest, proposals=True)


def proposals_for(contest: Contest, status: str | None = "proposed") -> list[ProposedPenalty]:
    """The contest's proposed penalties (undecided by default), oldest first."""
    query = db.select(ProposedPenalty).filter_by(contest_id=contest.id)
    if status is not None:
        query = query.filter_by(status=status)
    return list(db.session.scalars(query.order_by(ProposedPenalty.created_at,
                                                  ProposedPenalty.id)))

