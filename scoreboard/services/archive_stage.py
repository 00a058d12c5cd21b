"""The stage in the event archive (docs/archive.md): a contest's time limits, each entry's timer
(start, pauses, stop, recorded duration) and the proposed penalties with their decisions.

All three are optional in the document: an archive made before the stage timer existed loads
without them. A confirmed proposal names the penalty it became by its place in the contest's
`penalties` list (the archive has no database ids).
"""
from __future__ import annotations

from decimal import Decimal

from ..extensions import db
from ..models import Contest, ContestTeam, Penalty
from ..stage_models import EntryTimer, ProposedPenalty, TimeLimit
from .archive_format import ArchiveError, num, parse_when, when

TIMER_FIELDS = ("started_ms", "paused_at_ms", "paused_total_ms", "stopped_ms", "duration_ms",
                "last_tap_ms", "rev")


def export_time_limit(contest: Contest) -> dict | None:
    """The contest's range and overtime rule, or None."""
    limit = contest.time_limit
    if limit is None:
        return None
    return {"min_seconds": limit.min_seconds, "max_seconds": limit.max_seconds,
            "step_seconds": limit.step_seconds, "points_per_step": num(limit.points_per_step),
            "cap": num(limit.cap) if limit.cap is not None else None}


def export_timer(entry: ContestTeam) -> dict | None:
    """An entry's stage timer as stored (milliseconds on the server's clock), or None."""
    timer = entry.timer
    if timer is None:
        return None
    return {name: getattr(timer, name) for name in TIMER_FIELDS}


def export_proposals(contest: Contest, penalties: list[Penalty]) -> list[dict]:
    """The contest's proposed penalties, oldest first, each with its decision."""
    from_id = {penalty.id: index for index, penalty in enumerate(penalties)}
    proposals = sorted(contest_proposals(contest), key=lambda p: (p.created_at, p.id))
    return [{"team": p.team.name, "duration_ms": p.duration_ms, "side": p.side,
             "outside_seconds": p.outside_seconds, "points": num(p.points), "status": p.status,
             "reason": p.reason, "decided_by": p.decided_by, "decided_at": when(p.decided_at),
             "created_at": when(p.created_at), "penalty": from_id.get(p.penalty_id)}
            for p in proposals]


def contest_proposals(contest: Contest) -> list[ProposedPenalty]:
    """Every proposed penalty of a contest, whatever its status."""
    return list(db.session.scalars(db.select(ProposedPenalty).filter_by(contest_id=contest.id)))


def build_time_limit(contest: Contest, data: dict | None) -> None:
    """Give an imported contest its time limits."""
    if data is None:
        return
    contest.time_limit = TimeLimit(
        min_seconds=data["min_seconds"], max_seconds=data["max_seconds"],
        step_seconds=data["step_seconds"], points_per_step=Decimal(data["points_per_step"]),
        cap=Decimal(data["cap"]) if data["cap"] is not None else None)


def build_timer(entry: ContestTeam, data: dict | None) -> None:
    """Give an imported entry its stage timer."""
    if data is not None:
        entry.timer = EntryTimer(**{name: data[name] for name in TIMER_FIELDS})


def build_proposals(contest: Contest, proposals: list[dict], team_in_contest,
                    penalties: list[Penalty], place: str) -> list[ProposedPenalty]:
    """The imported contest's proposed penalties, linked to the penalties they became."""
    built = []
    for k, p in enumerate(proposals):
        where = f"{place}.proposed_penalties[{k}]"
        penalty = None
        if p["penalty"] is not None:
            if not 0 <= p["penalty"] < len(penalties):
                raise ArchiveError(f"{where}.penalty", f"tidak ada penalti nomor {p['penalty']}")
            penalty = penalties[p["penalty"]]
        built.append(ProposedPenalty(
            contest=contest, team=team_in_contest(p["team"], f"{where}.team"),
            duration_ms=p["duration_ms"], side=p["side"], outside_seconds=p["outside_seconds"],
            points=Decimal(p["points"]), status=p["status"], reason=p["reason"],
            decided_by=p["decided_by"], decided_at=parse_when(p["decided_at"]),
            created_at=parse_when(p["created_at"]), penalty=penalty))
    return built
