"""What the public may see of a contest: the board behind the projector, phones and API.

The display state of DESIGN §5 decides it:

- live: the standings as they are now;
- hidden: the performance order and who has performed, no scores;
- frozen: the snapshot taken when the organizer froze the board (rows and version);
- reveal: the snapshot taken when the reveal began, showing only the awards already
  revealed, lowest first, one step (one shared rank) per click.

Nothing here reads a judge's individual scores into a public row.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from ..engine import format_score
from ..extensions import db
from sqlalchemy.orm import selectinload

from ..models import Assignment, Contest, ContestTeam, Sheet, Team
from .standings import BoardRow, juara_umum_for, standings_for


@dataclass(frozen=True)
class PublicRow:
    """One line of a public board: only what the hall may see, as plain values."""

    team_id: int
    team: str
    region: str
    order_no: int | None
    rank: int | None = None
    award: str = ""
    score: str = ""          # "87.50" (two decimals, a dot) or "" while hidden
    penalty: str = ""        # total penalty points, "" when none
    complete: bool = False
    judges_done: int = 0
    judges_expected: int = 0
    performed: bool = False
    scored: bool = True      # StandingRow.scored: False shows no rank and no score

    def as_public(self) -> dict:
        """The row as DESIGN §4's public contract spells it."""
        return {"rank": self.rank, "award": self.award, "team": self.team,
                "region": self.region, "score": self.score, "complete": self.complete}

    @property
    def score_value(self) -> Decimal | None:
        """The score as a Decimal for the Indonesian number filter."""
        return Decimal(self.score) if self.score else None

    @property
    def penalty_value(self) -> Decimal | None:
        return Decimal(self.penalty) if self.penalty else None


@dataclass
class PublicBoard:
    """A contest's board as the public sees it at one version."""

    contest: Contest
    version: int
    state: str
    rows: list[PublicRow] = field(default_factory=list)
    reveal_step: int = 0
    reveal_steps: int = 0
    now_performing: PublicRow | None = None
    quiz: Any = None  # a quiz's round, question and last tap (services.quiz.BoardQuizStatus)

    @property
    def frozen(self) -> bool:
        return self.state == "frozen"

    @property
    def hidden(self) -> bool:
        return self.state == "hidden"

    @property
    def scored(self) -> bool:
        """True when the board shows scores (not hidden)."""
        return self.state != "hidden"

    def rows_json(self) -> list[dict]:
        """Rows in the public contract's shape."""
        return [row.as_public() for row in self.rows]


def mark_changed(contest: Contest) -> None:
    """Bump the contest's version in the current transaction (atomic in SQL, no lost update)."""
    contest.version = Contest.version + 1


def commit_and_publish(contest: Contest) -> None:
    """Commit the change, then push the board (realtime's publishing never raises after a commit)."""
    from .. import realtime
    db.session.commit()
    realtime.publish_standings(contest)


def _performed_team_ids(contest: Contest) -> set[int]:
    """Teams marked as performed or with at least one submitted sheet."""
    marked = {entry.team_id for entry in contest.entries if entry.performed}
    submitted = set(db.session.scalars(
        db.select(Sheet.team_id).where(Sheet.contest_id == contest.id,
                                       Sheet.state == "submitted").distinct()))
    return marked | submitted


def preload_contest(contest: Contest) -> None:
    """Load teams, kecamatan, panel and criteria in a few queries, not one per row.

    A commit expires every object, so without this each push lazy-loads every team, its
    region and every judge one query at a time (about 25 queries for eight teams).
    """
    db.session.execute(
        db.select(Contest).where(Contest.id == contest.id).options(
            selectinload(Contest.entries).joinedload(ContestTeam.team).joinedload(Team.region),
            selectinload(Contest.assignments).joinedload(Assignment.judge),
            selectinload(Contest.criteria))).unique().all()


def live_rows(contest: Contest) -> list[PublicRow]:
    """The live standings as public rows, best first."""
    preload_contest(contest)
    order = {entry.team_id: entry.order_no for entry in contest.entries}
    performed = _performed_team_ids(contest)
    return [_public_row(row, order.get(row.team.id), row.team.id in performed)
            for row in standings_for(contest)]


def _public_row(row: BoardRow, order_no: int | None, performed: bool) -> PublicRow:
    result = row.result
    # The engine already gives a team nobody has scored no award (and a place after the
    # scored teams), so the row takes the award as it comes.
    return PublicRow(team_id=row.team.id, team=row.team.name, region=row.region,
                     order_no=order_no, rank=result.rank, award=result.award,
                     score=format_score(result.score),
                     penalty=format_score(result.penalty) if result.penalty else "",
                     complete=result.complete, judges_done=result.judges_done,
                     judges_expected=result.judges_expected, performed=performed,
                     scored=result.scored)


def hidden_rows(contest: Contest) -> list[PublicRow]:
    """The performance order and who has performed: no rank, award or score."""
    preload_contest(contest)
    performed = _performed_team_ids(contest)
    return [PublicRow(team_id=entry.team.id, team=entry.team.name,
                      region=entry.team.region.name, order_no=entry.order_no,
                      performed=entry.team_id in performed)
            for entry in contest.entries]


def snapshot(contest: Contest, version: int) -> dict[str, Any]:
    """The live public board as JSON, to store in Contest.frozen_board."""
    return {"version": version, "rows": [asdict(row) for row in live_rows(contest)]}


def rows_from_snapshot(stored: dict[str, Any] | None) -> list[PublicRow]:
    """Rows stored by snapshot()."""
    return [PublicRow(**row) for row in (stored or {}).get("rows", [])]


def reveal_groups(rows: list[PublicRow]) -> list[list[PublicRow]]:
    """Awarded rows grouped by rank, lowest award first: one group per reveal step."""
    by_rank: dict[int, list[PublicRow]] = {}
    for row in rows:
        if row.award and row.rank is not None:
            by_rank.setdefault(row.rank, []).append(row)
    return [by_rank[rank] for rank in sorted(by_rank, reverse=True)]


def public_board(contest: Contest) -> PublicBoard:
    """The board the public may see now, as the contest's display state allows."""
    state = contest.display_state
    now_performing = None
    if state == "frozen" and contest.frozen_board:
        rows = rows_from_snapshot(contest.frozen_board)
        board = PublicBoard(contest=contest, version=contest.frozen_board["version"],
                            state=state, rows=rows)
    elif state == "reveal":
        groups = reveal_groups(rows_from_snapshot(contest.frozen_board))
        shown = [row for group in groups[:contest.reveal_step] for row in group]
        board = PublicBoard(contest=contest, version=contest.version, state=state,
                            rows=sorted(shown, key=lambda r: (r.rank, r.team)),
                            reveal_step=min(contest.reveal_step, len(groups)),
                            reveal_steps=len(groups))
    elif state == "hidden":
        board = PublicBoard(contest=contest, version=contest.version, state=state,
                            rows=hidden_rows(contest))
    else:
        board = PublicBoard(contest=contest, version=contest.version, state="live",
                            rows=live_rows(contest))
    if contest.now_performing_id is not None and state != "reveal":
        now_performing = next((row for row in board.rows
                               if row.team_id == contest.now_performing_id), None)
    board.now_performing = now_performing
    if contest.kind == "quiz":
        from .quiz import board_status
        board.quiz = board_status(contest, board.state)
    return board


def public_version(contest: Contest) -> int:
    """The version the public sees, without computing the standings (the frozen one while frozen)."""
    if contest.display_state == "frozen" and contest.frozen_board:
        return int(contest.frozen_board["version"])
    return contest.version


@dataclass(frozen=True)
class OverallBoard:
    """The juara umum table of an event over its published contests (DESIGN §3)."""

    awards: tuple[str, ...]
    rows: list
    contests: list[Contest]
    mode: str

    @property
    def signature(self) -> str:
        """Which published contests at which public versions the table was made from.

        A phone's backstop poll compares it with the same string built from /api/contests.
        """
        return ",".join(f"{contest.id}:{public_version(contest)}" for contest in self.contests)


def overall_board(event) -> OverallBoard:
    """Medal (or points) table per kecamatan from the awards the public may already see."""
    from ..engine import DEFAULT_AWARDS
    published = [c for c in event.contests if c.status == "published"]
    results = [(row.region, row.award) for contest in published
               for row in public_board(contest).rows if row.award]
    return OverallBoard(awards=DEFAULT_AWARDS, rows=juara_umum_for(event, results),
                        contests=published, mode=event.overall_mode or "medals")
