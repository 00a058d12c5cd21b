"""Rubric contests (rules §3.1–3.6): judge totals, the panel score by method, final score, order."""

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

from .awards import DEFAULT_AWARDS, StandingRow, award_for, rank_order
from .numbers import EXACT, exact_decimal, to_decimal

METHODS = ("mean", "sum", "trimmed_mean", "median", "rank_sum")


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as the engine needs it: its id and weight."""

    id: int
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class Sheet:
    """One judge's submitted scores for one team (drafts never reach the engine)."""

    judge_id: int
    team_id: int
    scores: Mapping[int, Decimal]


@dataclass(frozen=True)
class RubricInput:
    """Everything that decides a rubric contest's standings."""

    teams: Sequence[int]
    criteria: Sequence[CriterionSpec]
    judges: Sequence[int]
    conflicts: Set[tuple[int, int]]
    sheets: Sequence[Sheet]
    penalties: Mapping[int, Decimal] = field(default_factory=dict)
    method: str = "mean"
    tie_break: Sequence[int] = ()
    awards: Sequence[str] = DEFAULT_AWARDS


@dataclass(frozen=True)
class TeamSheets:
    """The sheets that count for one team, reduced to what every method starts from."""

    team_id: int
    # Sums of finite decimals are exact Decimals; only dividing needs Fractions.
    totals: dict[int, Decimal]  # judge_id -> T(j,t), in judge order
    weighted: dict[int, dict[int, Decimal]]  # judge_id -> criterion_id -> w(c)·s(j,t,c)
    criteria: tuple[int, ...]  # the contest's criterion ids, in its order
    judges_expected: int
    penalty: Decimal
    # criterion_id -> Σ w(c)·s(j,t,c) over the counted sheets, summed when first asked for: only
    # a tie-break by criterion and the results read them, and a push of a 60-team, 10-criterion
    # contest spent a quarter of its counting on sums nobody read.
    _criterion_sums: dict[int, Decimal] = field(default_factory=dict, compare=False, repr=False)

    def criterion_sum(self, criterion_id: int) -> Decimal:
        """Σ w(c)·s(j,t,c) over the counted sheets (KeyError for a criterion not in the contest)."""
        sums = self._criterion_sums
        if criterion_id not in sums:
            if criterion_id not in self.criteria:
                raise KeyError(criterion_id)
            sums[criterion_id] = _exact_sum(scores[criterion_id] for scores in self.weighted.values())
        return sums[criterion_id]

    def criterion_mean(self, criterion_id: int) -> Fraction:
        """Mean of w(c)·s over the counted sheets; 0 without sheets, as the panel score is."""
        if not self.totals:
            return Fraction(0)
        return Fraction(self.criterion_sum(criterion_id)) / len(self.totals)


class CriterionMeans(Mapping):
    """A team's criterion means by criterion id, each computed when first read.

    Only the results page and files read them (a push to the boards reads none), and for a
    60-team, 10-criterion contest they were a third of the engine's work.
    """

    def __init__(self, team: TeamSheets):
        self._team = team
        self._computed: dict[int, Decimal] = {}

    def __getitem__(self, criterion_id: int) -> Decimal:
        if criterion_id not in self._computed:
            if criterion_id not in self._team.criteria:
                raise KeyError(criterion_id)
            self._computed[criterion_id] = to_decimal(self._team.criterion_mean(criterion_id))
        return self._computed[criterion_id]

    def __iter__(self):
        return iter(self._team.criteria)  # every criterion, in the contest's order

    def __len__(self) -> int:
        return len(self._team.criteria)

    def __repr__(self) -> str:
        return repr(dict(self))


def _weighting(criteria: Sequence[CriterionSpec]) -> list[tuple[int, Decimal | None]]:
    """(criterion id, weight) in the contest's order, None for a weight of 1 (nothing to multiply)."""
    return [(criterion.id, None if criterion.weight == 1 else criterion.weight) for criterion in criteria]


def _weighted_scores(sheet: Sheet, weighting: list[tuple[int, Decimal | None]]) -> dict[int, Decimal]:
    scores = sheet.scores
    # Decimal products of finite decimals under EXACT (Inexact trapped) are exact, and about
    # thirty times cheaper than Fractions: a 60-team, 15-judge, 10-criterion contest has 9,000.
    try:
        return {criterion_id: scores[criterion_id] if weight is None
                else EXACT.multiply(weight, scores[criterion_id])
                for criterion_id, weight in weighting}
    except KeyError:
        missing = [criterion_id for criterion_id, _weight in weighting if criterion_id not in scores]
        raise ValueError(
            f"sheet of judge {sheet.judge_id} for team {sheet.team_id} is not complete: no score for {missing}"
        ) from None


def _exact_sum(values) -> Decimal:
    """The exact sum of Decimals (EXACT traps any rounding)."""
    with localcontext(EXACT):
        return sum(values, Decimal(0))


def judge_total(sheet: Sheet, criteria: Sequence[CriterionSpec]) -> Decimal:
    """T(j,t): the weighted sum of one submitted sheet."""
    return exact_decimal(_exact_sum(_weighted_scores(sheet, _weighting(criteria)).values()))


def count_sheets(data: RubricInput) -> dict[int, TeamSheets]:
    """Per team (in id order), the sheets that count: from assigned judges not in conflict with the team."""
    judges = set(data.judges)
    teams = set(data.teams)
    counted: dict[tuple[int, int], dict[int, Decimal]] = {}
    weighting = _weighting(data.criteria)
    for sheet in data.sheets:
        # Defensive: the app should never pass these, and they must never count if it does.
        if sheet.judge_id not in judges or sheet.team_id not in teams:
            continue
        if (sheet.judge_id, sheet.team_id) in data.conflicts:
            continue
        if (sheet.judge_id, sheet.team_id) in counted:
            # Two sheets for one judge and team: which one counts would depend on input order.
            raise ValueError(f"two sheets of judge {sheet.judge_id} for team {sheet.team_id}")
        counted[sheet.judge_id, sheet.team_id] = _weighted_scores(sheet, weighting)

    result = {}
    criteria = tuple(criterion.id for criterion in data.criteria)
    for team_id in sorted(teams):
        team_sheets = {
            judge_id: counted[judge_id, team_id] for judge_id in sorted(judges) if (judge_id, team_id) in counted
        }
        result[team_id] = TeamSheets(
            team_id=team_id,
            totals={judge_id: _exact_sum(scores.values()) for judge_id, scores in team_sheets.items()},
            weighted=team_sheets,
            criteria=criteria,
            judges_expected=sum((judge_id, team_id) not in data.conflicts for judge_id in judges),
            penalty=Decimal(data.penalties.get(team_id, 0)),
        )
    return result


def _sum(totals: list[Decimal]) -> Fraction:
    return Fraction(_exact_sum(totals))


def _mean(totals: list[Decimal]) -> Fraction:
    return _sum(totals) / len(totals)


def _trimmed_mean(totals: list[Decimal]) -> Fraction:
    if len(totals) < 3:
        return _mean(totals)
    return _mean(sorted(totals)[1:-1])


def _median(totals: list[Decimal]) -> Fraction:
    ordered = sorted(totals)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return (Fraction(ordered[middle - 1]) + Fraction(ordered[middle])) / 2


# rank_sum orders by R(t); its panel score is only for display and is the mean (§3.2).
_PANEL: dict[str, Callable[[list[Decimal]], Fraction]] = {
    "mean": _mean,
    "sum": _sum,
    "trimmed_mean": _trimmed_mean,
    "median": _median,
    "rank_sum": _mean,
}


def panel_scores(teams: Mapping[int, TeamSheets], method: str) -> dict[int, Fraction]:
    """P(t) by the method; 0 for a team without sheets."""
    panel = _PANEL[method]
    return {
        team_id: panel(list(team.totals.values())) if team.totals else Fraction(0) for team_id, team in teams.items()
    }


def _shared_places(values: Mapping[int, Decimal]) -> dict[int, Fraction]:
    """Places highest first, tied values sharing the mean of the places they span (1, 2.5, 2.5, 4)."""
    first_place: dict[Decimal, int] = {}
    last_place: dict[Decimal, int] = {}
    for place, value in enumerate(sorted(values.values(), reverse=True), start=1):
        first_place.setdefault(value, place)
        last_place[value] = place
    return {key: Fraction(first_place[value] + last_place[value], 2) for key, value in values.items()}


def rank_sums(teams: Mapping[int, TeamSheets]) -> dict[int, Fraction]:
    """R(t) for every team with a sheet: the sum of its places in each judge's own ranking by T − penalties."""
    adjusted_by_judge: dict[int, dict[int, Decimal]] = {}
    for team in teams.values():
        for judge_id, total in team.totals.items():
            adjusted_by_judge.setdefault(judge_id, {})[team.team_id] = EXACT.subtract(total, team.penalty)
    sums: dict[int, Fraction] = {}
    for adjusted in adjusted_by_judge.values():
        for team_id, place in _shared_places(adjusted).items():
            sums[team_id] = sums.get(team_id, Fraction(0)) + place
    return sums


def build_standings(
    data: RubricInput,
    teams: Mapping[int, TeamSheets],
    panels: Mapping[int, Fraction],
    rank_sum_of: Mapping[int, Fraction] | None = None,
) -> list[StandingRow]:
    """Order the teams from their panel scores (and rank sums, if given) and write their rows."""
    criterion_ids = {criterion.id for criterion in data.criteria}
    unknown = [criterion_id for criterion_id in data.tie_break if criterion_id not in criterion_ids]
    if unknown:
        raise ValueError(f"tie-break criteria {unknown} are not criteria of the contest")

    def order_key(team_id: int) -> tuple:
        team = teams[team_id]
        final = panels[team_id] - Fraction(team.penalty)
        tie_break = tuple(-team.criterion_mean(criterion_id) for criterion_id in data.tie_break)
        if rank_sum_of is None:
            # A team nobody has scored yet goes after every scored team, whatever its penalties.
            return (not team.totals, -final, *tie_break)
        rank_sum = rank_sum_of.get(team_id)
        # A team no judge has scored has no R(t): it goes after every team that has one.
        return (rank_sum is None, rank_sum if rank_sum is not None else 0, -final, *tie_break)

    rows = []
    for team_id, rank in rank_order({team_id: order_key(team_id) for team_id in teams}):
        team = teams[team_id]
        panel = to_decimal(panels[team_id])
        penalty = Decimal(data.penalties.get(team_id, 0))
        rank_sum = None if rank_sum_of is None else rank_sum_of.get(team_id)
        rows.append(
            StandingRow(
                team_id=team_id,
                rank=rank,
                # Nobody has scored the team yet: it holds a place but no award.
                award=award_for(rank, data.awards) if team.totals else "",
                score=EXACT.subtract(panel, penalty),
                panel=panel,
                penalty=penalty,
                rank_sum=None if rank_sum is None else to_decimal(rank_sum),
                # Complete needs at least one sheet: a team without judges is not "lengkap".
                complete=bool(team.totals) and len(team.totals) == team.judges_expected,
                judges_done=len(team.totals),
                judges_expected=team.judges_expected,
                judge_totals={judge_id: exact_decimal(total) for judge_id, total in team.totals.items()},
                criterion_means=CriterionMeans(team) if team.totals else {},
            )
        )
    return rows


def rubric_standings(data: RubricInput) -> list[StandingRow]:
    """The official standings of a rubric contest under its chosen method, best first."""
    if data.method not in METHODS:
        raise ValueError(f"unknown method {data.method!r}; expected one of {METHODS}")
    teams = count_sheets(data)
    panels = panel_scores(teams, data.method)
    return build_standings(data, teams, panels, rank_sums(teams) if data.method == "rank_sum" else None)
