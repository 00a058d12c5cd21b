"""Quiz contests (cerdas cermat, rules §3): the final score is the sum of a team's entries."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from .awards import DEFAULT_AWARDS, StandingRow, award_for, rank_order
from .numbers import to_decimal


def quiz_standings(
    teams: Sequence[int], entries: Mapping[int, Sequence[Decimal]], awards: Sequence[str] = DEFAULT_AWARDS
) -> list[StandingRow]:
    """The standings of a quiz contest, best first; equal totals share a rank."""
    totals = {team_id: sum(map(Fraction, entries.get(team_id, ())), Fraction(0)) for team_id in set(teams)}
    rows = []
    # A team that has not played yet goes after every team that has, even one below zero.
    keys = {team_id: (not entries.get(team_id), -total) for team_id, total in totals.items()}
    for team_id, rank in rank_order(keys):
        score = to_decimal(totals[team_id])
        rows.append(
            StandingRow(
                team_id=team_id,
                rank=rank,
                # A team that has not played yet (no entry at all) holds a place but no award.
                award=award_for(rank, awards) if entries.get(team_id) else "",
                score=score,
                panel=score,
                has_entries=bool(entries.get(team_id)),
                # A team that has played is complete; one that has not is not "lengkap" yet.
                complete=bool(entries.get(team_id)),
            )
        )
    return rows
