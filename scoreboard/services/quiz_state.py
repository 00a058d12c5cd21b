"""Where a quiz stands: its round and question, the teams on stage, what a public board adds.

Read by the scorekeeper's console, the quiz service and the public board; it writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from ..extensions import db
from ..models import Contest, QuizEntry, QuizRound


@dataclass(frozen=True)
class QuizPosition:
    """Where the quiz is: the round and question of the newest entry that counts."""

    round: QuizRound | None
    question: int
    last: QuizEntry | None


def position_of(contest: Contest) -> QuizPosition:
    """The current round and question, derived from the newest entry that counts."""
    last = db.session.scalar(
        db.select(QuizEntry).filter_by(contest_id=contest.id, undone=False)
        .order_by(QuizEntry.id.desc()).limit(1))
    if last is None:
        return QuizPosition(round=contest.rounds[0] if contest.rounds else None, question=1,
                            last=None)
    return QuizPosition(round=last.round, question=last.question, last=last)


def stage_ids(contest: Contest) -> set[int]:
    """The ids of the teams on stage now; empty when none was chosen (then all teams play)."""
    return {entry.team_id for entry in contest.entries if entry.on_stage}


def entries_for(contest: Contest, limit: int | None = None) -> list[QuizEntry]:
    """The contest's entries, newest first (undone ones included, for the record)."""
    query = db.select(QuizEntry).filter_by(contest_id=contest.id).order_by(QuizEntry.id.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class BoardQuizStatus:
    """What a public quiz board adds: "Babak rebutan · soal 7" and the last tap beside its team."""

    round_name: str
    question: int
    last_team_id: int | None
    last_points: Decimal | None
    on_stage: frozenset[int] = frozenset()


# The board shows the last tap this long after it was made; a board loaded later shows none.
LAST_TAP_SECONDS = 12


def board_status(contest: Contest, state: str) -> BoardQuizStatus | None:
    """The quiz's place for a public board; the last tap only while the board is live."""
    if contest.kind != "quiz" or state not in ("live", "hidden") or contest.status == "draft":
        return None
    newest = db.session.scalar(db.select(QuizEntry).filter_by(contest_id=contest.id)
                               .order_by(QuizEntry.id.desc()).limit(1))
    on_stage = frozenset(stage_ids(contest))
    if newest is None:
        return BoardQuizStatus("", 0, None, None, on_stage) if on_stage else None
    position = position_of(contest)
    last_team_id = last_points = None
    if state == "live" and not newest.undone:
        made = newest.created_at
        if made.tzinfo is None:  # SQLite hands back naive UTC
            made = made.replace(tzinfo=timezone.utc)
        if (datetime.now(timezone.utc) - made).total_seconds() <= LAST_TAP_SECONDS:
            last_team_id, last_points = newest.team_id, newest.points
    return BoardQuizStatus(round_name=position.round.name if position.round else "",
                           question=position.question, last_team_id=last_team_id,
                           last_points=last_points, on_stage=on_stage)
