"""The fairness preview (rules §3.8): the order under every method and under per-judge normalization.

Normalization turns each judge's totals into z-scores against that judge's own mean and
population standard deviation, so a harsh or a lenient judge weighs like any other. It is a
preview only: the contest's chosen method alone decides the official result.
"""

from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction

from .awards import StandingRow
from .numbers import to_decimal
from .rubric import METHODS, RubricInput, TeamSheets, build_standings, count_sheets, rubric_standings

# Square roots are the one inexact step; 60 digits keeps their error far below SCALE places.
_PRECISE = Context(prec=60, rounding=ROUND_HALF_UP)


def _totals_by_judge(teams: Mapping[int, TeamSheets]) -> dict[int, dict[int, Fraction]]:
    by_judge: dict[int, dict[int, Fraction]] = {}
    for team in teams.values():
        for judge_id, total in team.totals.items():
            by_judge.setdefault(judge_id, {})[team.team_id] = Fraction(total)
    return dict(sorted(by_judge.items()))


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _mean_and_deviation(totals: Mapping[int, Fraction]) -> tuple[Fraction, Decimal]:
    mean = sum(totals.values(), Fraction(0)) / len(totals)
    variance = sum(((total - mean) ** 2 for total in totals.values()), Fraction(0)) / len(totals)
    with localcontext(_PRECISE):
        return mean, _decimal(variance).sqrt()


def judge_spread(data: RubricInput) -> dict[int, tuple[Decimal, Decimal]]:
    """Per judge with a counted sheet: the mean and population standard deviation of their totals."""
    spread = {}
    for judge_id, totals in _totals_by_judge(count_sheets(data)).items():
        mean, deviation = _mean_and_deviation(totals)
        spread[judge_id] = (to_decimal(mean), to_decimal(Fraction(deviation)))
    return spread


def _normalized_panels(teams: Mapping[int, TeamSheets]) -> dict[int, Fraction]:
    """100 + 20 · mean z over a team's judges; 0 for a team without sheets, as for every method."""
    z_scores: dict[int, list[Decimal]] = {team_id: [] for team_id in teams}
    with localcontext(_PRECISE):
        # Judges in id order: a sum of inexact z-scores must not depend on the input order.
        for totals in _totals_by_judge(teams).values():
            mean, deviation = _mean_and_deviation(totals)
            for team_id, total in totals.items():
                # A judge who gave every team the same total says nothing about their order.
                z_scores[team_id].append(_decimal(total - mean) / deviation if deviation else Decimal(0))
        return {
            # Kept to SCALE places like every other score that does not terminate.
            team_id: Fraction(to_decimal(Fraction(100 + 20 * sum(team_z) / len(team_z)))) if team_z else Fraction(0)
            for team_id, team_z in z_scores.items()
        }


def normalized_standings(data: RubricInput) -> list[StandingRow]:
    """The standings if every judge's totals were normalized to z-scores (score = 100 + 20 · mean z)."""
    teams = count_sheets(data)
    return build_standings(data, teams, _normalized_panels(teams))


def compare_methods(data: RubricInput) -> dict[str, list[StandingRow]]:
    """The standings under each method of METHODS and under "normalized", side by side."""
    comparison = {method: rubric_standings(replace(data, method=method)) for method in METHODS}
    comparison["normalized"] = normalized_standings(data)
    return comparison
