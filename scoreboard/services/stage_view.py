"""What every screen shows of the stage: the timer of the team on stage and who is up next.

Read-only, plain values: the public board's gate (public_board.py) puts them on the projector
and phones, services/publish.py pushes them as the `timer` event, the timekeeper's tablet and the
MC's phone read them. A device turns a timer into a running time with its own measured offset
to the server's clock (static/js/clock.js), so no device trusts its own clock.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from ..engine import clock_text
from ..extensions import db
from ..models import Contest, ContestTeam
from ..stage_models import EntryTimer, TimeLimit


def server_now_ms() -> int:
    """The server's clock: milliseconds since the Unix epoch."""
    return int(time.time() * 1000)


@dataclass(frozen=True)
class TimerView:
    """One entry's stage timer as every device gets it (the `timer` push, data-* attributes)."""

    contest: int
    event: int
    team_id: int
    team: str
    region: str
    state: str                      # idle, running, paused, stopped
    rev: int                        # +1 per change; a device keeps the newest per team
    started_ms: int | None = None   # server clock
    paused_at_ms: int | None = None
    paused_total_ms: int = 0
    duration_ms: int | None = None
    min_ms: int | None = None       # the contest's range, for the colours
    max_ms: int | None = None
    now_performing: int | None = None  # who is on stage now (this team or another)

    def as_json(self) -> dict:
        """The `timer` push's payload."""
        return asdict(self)

    @property
    def shown_text(self) -> str:
        """What a screen shows before its script runs: the recorded duration, or 0:00."""
        return clock_text(self.duration_ms // 1000 if self.duration_ms is not None else 0)

    @property
    def limit_text(self) -> str:
        """The range as a clock shows it: 3:00–5:00, ≤ 5:00 or ≥ 3:00 ("" without limits)."""
        low = clock_text(self.min_ms // 1000) if self.min_ms is not None else None
        high = clock_text(self.max_ms // 1000) if self.max_ms is not None else None
        if low and high:
            return f"{low}–{high}"
        return f"≤ {high}" if high else (f"≥ {low}" if low else "")


def limits_of(contest: Contest) -> TimeLimit | None:
    """The contest's time limits, if it has any."""
    return contest.time_limit


def timer_view(contest: Contest, entry: ContestTeam | None = None) -> TimerView | None:
    """The timer of `entry` (default: the team now performing), or None with nobody on stage."""
    if entry is None:
        entry = entry_of(contest, contest.now_performing_id)
    if entry is None:
        return None
    timer: EntryTimer | None = entry.timer
    limit = limits_of(contest)
    return TimerView(
        contest=contest.id, event=contest.event_id, team_id=entry.team_id, team=entry.team.name,
        region=entry.team.region.name, state=timer.state if timer else "idle",
        rev=timer.rev if timer else 0,
        started_ms=timer.started_ms if timer else None,
        paused_at_ms=timer.paused_at_ms if timer else None,
        paused_total_ms=timer.paused_total_ms if timer else 0,
        duration_ms=timer.duration_ms if timer else None,
        min_ms=limit.min_seconds * 1000 if limit and limit.min_seconds is not None else None,
        max_ms=limit.max_seconds * 1000 if limit and limit.max_seconds is not None else None,
        now_performing=contest.now_performing_id)


def entry_of(contest: Contest, team_id: int | None) -> ContestTeam | None:
    """The contest's entry of a team, if the team is entered."""
    if team_id is None:
        return None
    return db.session.scalar(db.select(ContestTeam).filter_by(contest_id=contest.id,
                                                              team_id=team_id))


def up_next(contest: Contest) -> ContestTeam | None:
    """Who performs next in the drawn order: after the team on stage, else the first who has not
    performed yet."""
    entries = [e for e in contest.entries if e.order_no is not None] or list(contest.entries)
    ids = [e.team_id for e in entries]
    if contest.now_performing_id in ids:
        index = ids.index(contest.now_performing_id) + 1
        return entries[index] if index < len(entries) else None
    return next((e for e in entries if not e.performed and not (e.timer and e.timer.duration_ms
                                                                 is not None)), None)


def durations_for(contest: Contest) -> dict[int, int]:
    """team id -> recorded stage duration in ms, for the teams that have one."""
    return {entry.team_id: entry.timer.duration_ms for entry in contest.entries
            if entry.timer is not None and entry.timer.duration_ms is not None}
