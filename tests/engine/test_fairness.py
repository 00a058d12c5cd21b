"""The fairness preview (rules §3.8): every method side by side, and per-judge z-score normalization."""

from decimal import Decimal

import pytest

from scoreboard.engine import METHODS, CriterionSpec, RubricInput, Sheet, compare_methods, judge_spread, round_half_up

D = Decimal


def build(totals_by_judge, *, teams=None, penalties=None) -> RubricInput:
    """A one-criterion contest from {judge_id: {team_id: total}}."""
    sheets = [
        Sheet(judge_id, team_id, {1: D(total)})
        for judge_id, totals in totals_by_judge.items()
        for team_id, total in totals.items()
    ]
    return RubricInput(
        teams=sorted({sheet.team_id for sheet in sheets}) if teams is None else teams,
        criteria=[CriterionSpec(1)],
        judges=list(totals_by_judge),
        conflicts=set(),
        sheets=sheets,
        penalties=penalties or {},
    )


@pytest.mark.parametrize(
    ("totals_by_judge", "penalties", "expected"),
    [
        (
            # Totals 8, 12: mean 10, variance (4 + 4) / 2 = 4, sd 2 → z −1, +1 → 100 ∓ 20 = 80, 120.
            {1: {1: 8, 2: 12}},
            {},
            [(2, 1, "120"), (1, 2, "80")],
        ),
        (
            # A lenient judge 2: 30, 20 → mean 25, sd 5 → z +1, −1. Judge 1 as above: −1, +1.
            # Mean z 0 for both → 100 each: shared rank (under mean team 1 leads (8 + 30) / 2 = 19 to 16).
            {1: {1: 8, 2: 12}, 2: {1: 30, 2: 20}},
            {},
            [(1, 1, "100"), (2, 1, "100")],
        ),
        (
            # Judge 1 gives both 10: sd 0 → z 0. Judge 2: 8, 12 → −1, +1.
            # Team 1: 100 + 20 · (0 − 1) / 2 = 90; team 2: 100 + 20 · (0 + 1) / 2 = 110.
            {1: {1: 10, 2: 10}, 2: {1: 8, 2: 12}},
            {},
            [(2, 1, "110"), (1, 2, "90")],
        ),
        (
            # Penalties are subtracted as usual: team 2 120 − 45 = 75 < team 1 80.
            {1: {1: 8, 2: 12}},
            {2: D(45)},
            [(1, 1, "80"), (2, 2, "75")],
        ),
        (
            # Totals 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5; squared deviations 9, 1, 1, 1, 0, 0, 4, 16 = 32,
            # variance 32 / 8 = 4, sd 2 → z −1.5, −0.5 ×3, 0, 0, 1, 2 → 70, 90 ×3, 100, 100, 120, 140.
            {1: {1: 2, 2: 4, 3: 4, 4: 4, 5: 5, 6: 5, 7: 7, 8: 9}},
            {},
            [
                (8, 1, "140"),
                (7, 2, "120"),
                (5, 3, "100"),
                (6, 3, "100"),
                (2, 5, "90"),
                (3, 5, "90"),
                (4, 5, "90"),
                (1, 8, "70"),
            ],
        ),
        (
            # Judges see different teams. Judge 1: team 1 8, team 2 12 → −1, +1.
            # Judge 2: team 1 5, team 3 9 → mean 7, sd 2 → −1, +1.
            # Team 1: mean z −1 → 80; teams 2 and 3: +1 → 120.
            {1: {1: 8, 2: 12}, 2: {1: 5, 3: 9}},
            {},
            [(2, 1, "120"), (3, 1, "120"), (1, 3, "80")],
        ),
    ],
)
def test_normalized_scores(totals_by_judge, penalties, expected):
    rows = compare_methods(build(totals_by_judge, penalties=penalties))["normalized"]
    assert [(row.team_id, row.rank, row.score) for row in rows] == [
        (team, rank, D(score)) for team, rank, score in expected
    ]


def test_normalized_team_without_sheets_scores_zero():
    rows = compare_methods(build({1: {1: 8, 2: 12}}, teams=[1, 2, 3]))["normalized"]
    assert [(row.team_id, row.score, row.complete) for row in rows] == [
        (2, D(120), True),
        (1, D(80), True),
        (3, D(0), False),
    ]


def test_normalized_score_that_does_not_terminate():
    # Judges 1 and 2: team 1 9, team 2 8 → mean 8.5, sd 0.5 → z +1, −1.
    # Judge 3: team 1 3, team 2 8 → mean 5.5, sd 2.5 → z −1, +1.
    # Team 1: mean z (1 + 1 − 1) / 3 = 1/3 → 100 + 20/3 = 106.666…; team 2: 100 − 20/3 = 93.333…
    rows = compare_methods(build({1: {1: 9, 2: 8}, 2: {1: 9, 2: 8}, 3: {1: 3, 2: 8}}))["normalized"]
    assert [(row.team_id, round_half_up(row.score)) for row in rows] == [(1, D("106.67")), (2, D("93.33"))]
    assert rows[0].score == D("106.66666666666666666667")  # kept to 20 places


def test_compare_methods_shows_every_method_side_by_side():
    # Team 1: 9, 9, 3. Team 2: 8, 8, 8.
    # mean: 21 / 3 = 7 vs 8 → team 2.      sum: 21 vs 24 → team 2.
    # trimmed_mean: drop 3 and a 9 → 9 vs 8 → team 1.      median: 9 vs 8 → team 1.
    # rank_sum: places 1, 1, 2 → R 4 vs 2, 2, 1 → R 5 → team 1.
    # normalized (worked out above): 106.67 vs 93.33 → team 1.
    comparison = compare_methods(build({1: {1: 9, 2: 8}, 2: {1: 9, 2: 8}, 3: {1: 3, 2: 8}}))
    assert list(comparison) == [*METHODS, "normalized"]
    assert {method: rows[0].team_id for method, rows in comparison.items()} == {
        "mean": 2,
        "sum": 2,
        "trimmed_mean": 1,
        "median": 1,
        "rank_sum": 1,
        "normalized": 1,
    }
    assert [row.rank_sum for row in comparison["rank_sum"]] == [D(4), D(5)]
    assert all(row.rank_sum is None for row in comparison["normalized"])


def test_judge_spread():
    # Judge 1: 8, 12 → mean 10, sd 2. Judge 2: 6, 8, 10 → mean 8, variance (4 + 0 + 4) / 3 = 8/3,
    # sd √(8/3) ≈ 1.63299. Judge 3: a single total 7 → mean 7, sd 0. Judge 4 scored nobody: absent.
    data = build({1: {1: 8, 2: 12}, 2: {1: 6, 2: 8, 3: 10}, 3: {1: 7}, 4: {}})
    spread = judge_spread(data)
    assert list(spread) == [1, 2, 3]
    assert spread[1] == (D(10), D(2))
    mean, deviation = spread[2]
    assert mean == D(8)
    assert round_half_up(deviation, 5) == D("1.63299")
    assert abs(deviation * deviation - D(8) / D(3)) < D("1e-19")
    assert spread[3] == (D(7), D(0))
