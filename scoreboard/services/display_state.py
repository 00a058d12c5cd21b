"""What the hall sees (rules §5): display states, now performing and the hall's contest.

Every function here is a use case for the organizer console: it changes the contest,
records an audit entry, bumps the version when the public board changes, commits, and
then publishes. Callers (routes) only parse and authorize.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..extensions import db
from ..models import DISPLAY_STATES, Contest, Event, Team
from . import audit
from .errors import ServiceError, rolls_back
from .public_board import live_rows, reveal_groups, rows_from_snapshot, snapshot
from .publish import commit, commit_hall, mark_changed


def _bump_and_snapshot(contest: Contest) -> None:
    """Bump the version and store the public board of that version as the snapshot."""
    mark_changed(contest)
    db.session.flush()
    db.session.refresh(contest, ["version"])
    contest.frozen_board = snapshot(contest, contest.version)


def _announced(rows) -> list[tuple]:
    """What a reveal announces of each row (who, where, with what and how sure)."""
    return [(row.team_id, row.rank, row.award, row.score, row.penalty, row.complete,
             row.judges_done) for row in rows]


def reveal_snapshot_stale(contest: Contest) -> bool:
    """True in a reveal whose snapshot no longer matches the live standings.

    Judges may go on saving during a reveal; the ceremony keeps its snapshot, and the
    console tells the organizer that starting the reveal again would announce newer results.
    """
    if contest.display_state != "reveal" or not contest.frozen_board:
        return False
    return _announced(rows_from_snapshot(contest.frozen_board)) != _announced(live_rows(contest))


def reveal_would_be_provisional(contest: Contest) -> bool:
    """True when a reveal started now would announce awards before every sheet is in."""
    return not all(row.complete for row in live_rows(contest))


@dataclass(frozen=True)
class RevealChange:
    """A team the hall was told about in this reveal whose place has changed since."""

    team: str
    announced: str       # the award the hall shows
    rank: int | None     # the team's live rank now
    award: str           # the team's live award now ("" for none)


def reveal_changes(contest: Contest) -> list[RevealChange]:
    """The awards already announced in this reveal that the live standings no longer give."""
    if contest.display_state != "reveal" or not contest.frozen_board:
        return []
    groups = reveal_groups(rows_from_snapshot(contest.frozen_board))
    announced = [row for group in groups[:contest.reveal_step] for row in group]
    live = {row.team_id: row for row in live_rows(contest)}
    changes = []
    for row in announced:
        now = live.get(row.team_id)
        if now is None or (now.rank, now.award) != (row.rank, row.award):
            changes.append(RevealChange(team=row.team, announced=row.award,
                                        rank=now.rank if now else None,
                                        award=now.award if now else ""))
    return changes


@rolls_back
def set_display_state(contest: Contest, state: str, *,
                      confirm_provisional: bool = False) -> Contest:
    """Switch a contest to live, hidden, frozen or reveal; freezing and revealing take a snapshot.

    Revealing always snapshots the standings of that moment (never an older freeze). Asking
    for the reveal again during a reveal starts it over only when the standings have moved
    since its snapshot (a second tap on an unchanged board keeps the ceremony where it is).
    A reveal that would announce provisional awards (sheets still missing) starts only with
    `confirm_provisional`: one tap must not put unfinished results on the hall screen.
    """
    if state not in DISPLAY_STATES:
        raise ServiceError(422, _("Status tampilan tidak dikenal: %(state)s", state=state))
    old = contest.display_state
    if state == old and not (state == "reveal" and reveal_snapshot_stale(contest)):
        return contest
    if state == "reveal" and not confirm_provisional and reveal_would_be_provisional(contest):
        raise ServiceError(409, _(
            "Belum semua lembar nilai masuk: pengumuman sekarang memakai nilai sementara. "
            "Centang “Umumkan dengan nilai sementara” untuk tetap memulai."))
    if state in ("frozen", "reveal"):
        # The snapshot is what the public keeps seeing: frozen until unfrozen, and the
        # basis of the reveal (so a late save cannot reshuffle awards mid-ceremony).
        _bump_and_snapshot(contest)
    else:
        mark_changed(contest)
        contest.frozen_board = None
    contest.display_state = state
    contest.reveal_step = 0
    audit.record("display_state", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old={"display_state": old}, new={"display_state": state})
    commit(contest)
    return contest


@rolls_back
def reveal_next(contest: Contest) -> Contest:
    """Reveal the next award (a shared rank is one step), lowest first."""
    if contest.display_state != "reveal":
        raise ServiceError(422, _("Lomba ini tidak sedang dalam mode pengumuman."))
    steps = len(reveal_groups(rows_from_snapshot(contest.frozen_board)))
    if contest.reveal_step >= steps:
        raise ServiceError(422, _("Semua juara sudah diumumkan."))
    old = contest.reveal_step
    contest.reveal_step = old + 1
    mark_changed(contest)
    audit.record("reveal_next", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old={"reveal_step": old}, new={"reveal_step": old + 1})
    commit(contest)
    return contest


@rolls_back
def set_now_performing(contest: Contest, team: Team | None) -> Contest:
    """Put a team (or nobody) on stage; the boards and judges' tablets follow."""
    if team is not None and team.id not in {entry.team_id for entry in contest.entries}:
        raise ServiceError(422, _("Tim ini tidak ikut lomba tersebut."))
    old = contest.now_performing_id
    new = team.id if team is not None else None
    if old == new:
        return contest
    contest.now_performing_id = new
    mark_changed(contest)
    audit.record("now_performing", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=new,
                 old={"team_id": old}, new={"team_id": new})
    commit(contest, now_performing=True)
    return contest


def _step_performer(contest: Contest, delta: int) -> Contest:
    teams = contest.teams
    if not teams:
        raise ServiceError(422, _("Lomba ini belum memiliki tim."))
    ids = [team.id for team in teams]
    if contest.now_performing_id in ids:
        index = ids.index(contest.now_performing_id) + delta
    else:
        index = 0 if delta > 0 else len(ids) - 1
    if not 0 <= index < len(ids):
        raise ServiceError(422, _("Tidak ada tim berikutnya.") if delta > 0
                                else _("Tidak ada tim sebelumnya."))
    return set_now_performing(contest, teams[index])


def next_performer(contest: Contest) -> Contest:
    """The next team in performance order takes the stage."""
    return _step_performer(contest, +1)


def previous_performer(contest: Contest) -> Contest:
    """Back to the previous team in performance order."""
    return _step_performer(contest, -1)


@rolls_back
def set_hall_contest(event: Event, contest: Contest | None) -> Event:
    """Choose what the hall projector shows: one contest, or the juara umum table (None)."""
    if contest is not None and contest.event_id != event.id:
        raise ServiceError(422, _("Lomba ini bukan bagian dari acara tersebut."))
    old = {"hall_view": event.hall_view, "hall_contest_id": event.hall_contest_id}
    event.hall_view = "contest" if contest is not None else "overall"
    event.hall_contest_id = contest.id if contest is not None else None
    new = {"hall_view": event.hall_view, "hall_contest_id": event.hall_contest_id}
    if old == new:
        return event
    audit.record("hall_view", "event", entity_id=event.id, event_id=event.id, old=old, new=new)
    commit_hall(event)
    return event
