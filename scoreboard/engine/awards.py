"""Ranks and awards (rules §3.4, §3.5, §3.7): shared ranks 1, 2, 2, 4 and ties on an award."""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

DEFAULT_AWARDS = ("Juara I", "Juara II", "Juara III", "Harapan I", "Harapan II", "Harapan III")

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class StandingRow:
    """One team's line on the board: its rank, award and the numbers behind them."""

    team_id: int
    rank: int
    award: str
    score: Decimal
    panel: Decimal
    # A quiz has no penalties, rank sums or judges: its rows keep these defaults.
    penalty: Decimal = Decimal(0)
    rank_sum: Decimal | None = None
    complete: bool = True
    judges_done: int = 0
    judges_expected: int = 0
    judge_totals: Mapping[int, Decimal] = field(default_factory=dict)
    criterion_means: Mapping[int, Decimal] = field(default_factory=dict)
    has_entries: bool = False  # a quiz team with at least one entry (it has played)

    @property
    def scored(self) -> bool:
        """A judge has submitted a sheet for the team (rubric) or it has an entry (quiz).

        A team that is not scored holds a place after the scored ones but no award; boards
        show no rank or score for it.
        """
        return self.judges_done > 0 or self.has_entries

    @property
    def place(self) -> int | None:
        """The rank people see: None for a team not yet scored (or that has not played).

        `rank` still orders such a team after the scored ones; no screen, file or document
        prints it, so eight unscored teams are never "all 1st".
        """
        return self.rank if self.scored else None


def award_for(rank: int, awards: Sequence[str]) -> str:
    """The award label of a rank, "" past the last configured award."""
    return awards[rank - 1] if rank <= len(awards) else ""


def rank_order(keys: Mapping[Key, tuple]) -> list[tuple[Key, int]]:
    """(id, rank) pairs best first: a smaller key is better, equal keys share a rank and skip the next ones."""
    # Ids break the order inside a shared rank only, so the output is stable whatever the input order.
    ordered = sorted(keys, key=lambda item: (keys[item], item))
    ranked: list[tuple[Key, int]] = []
    for position, item in enumerate(ordered, start=1):
        shares_rank = ranked and keys[item] == keys[ranked[-1][0]]
        ranked.append((item, ranked[-1][1] if shares_rank else position))
    return ranked


def boundary_ties(rows: Sequence[StandingRow], awards: Sequence[str] = DEFAULT_AWARDS) -> list[list[int]]:
    """Groups of team ids tied on an awarded rank, which a person must settle before publishing.

    Only rows that carry an award can tie: teams nobody has scored (or that have not played)
    share a place after the scored ones but win nothing, so there is nothing to settle.
    """
    teams_by_rank: dict[int, list[int]] = {}
    for row in rows:
        if row.award:
            teams_by_rank.setdefault(row.rank, []).append(row.team_id)
    # A tie on an awarded rank either shares that award or pushes a tied team past the next
    # award (or past the last one); both are flagged, so the check is simply "awarded rank".
    return [
        sorted(team_ids)
        for rank, team_ids in sorted(teams_by_rank.items())
        if len(team_ids) > 1 and rank <= len(awards)
    ]
