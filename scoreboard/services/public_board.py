"""The display-state gate: what the public may see of a contest (projector, phones, API, pushes).

Every public board is built here and nowhere else. The display state of rules §5 decides it:

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

from ..engine import DEFAULT_AWARDS, format_score
from ..extensions import db
from ..models import Contest, Event, Penalty, Sheet
from . import quiz_state
from .stage_view import TimerView, timer_view, up_next
from .standings import BoardRow, juara_umum_for, preload_contest, public_contract, standings_for


# Gold, silver and bronze: the first three awards of a contest's list wear the podium colours.
MEDALS = 3


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
    medal: int = 0           # 1-3: gold, silver, bronze for the contest's first three awards
    penalty_reasons: tuple[str, ...] = ()  # why points were taken off, oldest first

    def as_public(self) -> dict:
        """The row as rules §4's public contract spells it."""
        return public_contract(rank=self.rank, award=self.award, team=self.team,
                               region=self.region, score=self.score, complete=self.complete)

    @property
    def score_value(self) -> Decimal | None:
        """The score as a Decimal for the Indonesian number filter."""
        return Decimal(self.score) if self.score else None

    @property
    def penalty_value(self) -> Decimal | None:
        return Decimal(self.penalty) if self.penalty else None

    @property
    def penalty_reason(self) -> str:
        """Every reason of the team's penalties, as the projector and results page print them."""
        return "; ".join(self.penalty_reasons)

    @property
    def penalty_label(self) -> str:
        """A phone's short label of the reason: its first words up to SHORT_REASON characters."""
        return short_reason(self.penalty_reason)


SHORT_REASON = 18


def short_reason(reason: str) -> str:
    """"Melebihi batas waktu 2 menit" -> "Melebihi batas…": cut at a word, marked with an ellipsis."""
    reason = " ".join(reason.split())
    if len(reason) <= SHORT_REASON:
        return reason
    cut = reason[:SHORT_REASON]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;.-") + "…"


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
    quiz: quiz_state.BoardQuizStatus | None = None  # round, question and last tap of a quiz
    timer: TimerView | None = None         # the stage timer of the team on stage
    up_next: PublicRow | None = None       # "Bersiap": who performs next in the drawn order

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


def _performed_team_ids(contest: Contest) -> set[int]:
    """Teams marked as performed or with at least one submitted sheet."""
    marked = {entry.team_id for entry in contest.entries if entry.performed}
    submitted = set(db.session.scalars(
        db.select(Sheet.team_id).where(Sheet.contest_id == contest.id,
                                       Sheet.state == "submitted").distinct()))
    return marked | submitted


def penalty_reasons(contest: Contest) -> dict[int, tuple[str, ...]]:
    """The reasons of each team's penalties, oldest first (shown beside the points taken off)."""
    reasons: dict[int, list[str]] = {}
    for team_id, reason in db.session.execute(
            db.select(Penalty.team_id, Penalty.reason).filter_by(contest_id=contest.id)
            .order_by(Penalty.created_at, Penalty.id)):
        reasons.setdefault(team_id, []).append(reason)
    return {team_id: tuple(texts) for team_id, texts in reasons.items()}


def live_rows(contest: Contest) -> list[PublicRow]:
    """The live standings as public rows, best first."""
    preload_contest(contest)
    order = {entry.team_id: entry.order_no for entry in contest.entries}
    performed = _performed_team_ids(contest)
    rows = standings_for(contest)
    # Most contests never take a point off: their reasons are not looked up on every push.
    reasons = penalty_reasons(contest) if any(row.result.penalty for row in rows) else {}
    return [_public_row(row, order.get(row.team.id), row.team.id in performed, contest.awards,
                        reasons.get(row.team.id, ()))
            for row in rows]


def medal_of(award: str, awards: tuple[str, ...]) -> int:
    """The podium colour of an award: its place among the contest's awards, if one of MEDALS."""
    place = awards.index(award) + 1 if award in awards else 0
    return place if place <= MEDALS else 0


def _public_row(row: BoardRow, order_no: int | None, performed: bool,
                awards: tuple[str, ...], reasons: tuple[str, ...]) -> PublicRow:
    result = row.result
    # The engine already gives a team nobody has scored no award (and a place after the
    # scored teams), so the row takes the award as it comes.
    return PublicRow(team_id=row.team.id, team=row.team.name, region=row.region,
                     order_no=order_no, rank=result.place, award=result.award,
                     score=format_score(result.score),
                     penalty=format_score(result.penalty) if result.penalty else "",
                     complete=result.complete, judges_done=result.judges_done,
                     judges_expected=result.judges_expected, performed=performed,
                     scored=result.scored, medal=medal_of(result.award, awards),
                     penalty_reasons=reasons if result.penalty else ())


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
    return [PublicRow(**{**row, "penalty_reasons": tuple(row.get("penalty_reasons", ()))})
            for row in (stored or {}).get("rows", [])]


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
    if state != "reveal":
        # The stage is not a score: the hall sees who is on, their clock and who is next in
        # every state but the reveal (the ceremony has the screen).
        timer = timer_view(contest)
        if timer is not None and (timer.state != "idle" or contest.time_limit is not None
                                  or contest.judges_with_role("timekeeper")):
            board.timer = timer
        following = up_next(contest)
        board.up_next = next((row for row in board.rows if following is not None
                              and row.team_id == following.team_id), None)
    if contest.kind == "quiz":
        board.quiz = quiz_state.board_status(contest, board.state)
    return board


def public_version(contest: Contest) -> int:
    """The version the public sees, without computing the standings (the frozen one while frozen)."""
    if contest.display_state == "frozen" and contest.frozen_board:
        return int(contest.frozen_board["version"])
    return contest.version


@dataclass(frozen=True)
class OverallBoard:
    """The juara umum table of an event over its published contests (rules §3)."""

    event: Event
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


def overall_board(event: Event) -> OverallBoard:
    """Medal (or points) table per kecamatan from the awards the public may already see."""
    published = [c for c in event.contests if c.status == "published"]
    results = [(row.region, row.award) for contest in published
               for row in public_board(contest).rows if row.award]
    return OverallBoard(event=event, awards=DEFAULT_AWARDS, rows=juara_umum_for(event, results),
                        contests=published, mode=event.overall_mode or "medals")
