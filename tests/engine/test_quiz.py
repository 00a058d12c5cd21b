"""Quiz contests (rules §3): F is the sum of a team's entries, negatives included; ties share a rank."""

from decimal import Decimal

import pytest

from scoreboard.engine import quiz_standings

D = Decimal


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            {
                1: [100, -25, 50],  # 125
                2: [100, 25],  # 125: shares rank 1 with team 1
                3: [-25, -100],  # −125
                4: [],  # 0, but has not played: after every team that has, and no award
            },
            [(1, 1, "Juara I", "125"), (2, 1, "Juara I", "125"), (3, 3, "Juara III", "-125"), (4, 4, "", "0")],
        ),
        (
            {1: [-25], 2: [-25, -25], 3: [-100, 100]},  # −25, −50, 0
            [(3, 1, "Juara I", "0"), (1, 2, "Juara II", "-25"), (2, 3, "Juara III", "-50")],
        ),
        (
            {1: [50, 50], 2: [100], 3: [25, 75], 4: ["12.5"]},  # 100, 100, 100, 12.5: all three share Juara I
            [(1, 1, "Juara I", "100"), (2, 1, "Juara I", "100"), (3, 1, "Juara I", "100"), (4, 4, "Harapan I", "12.5")],
        ),
    ],
)
def test_quiz_totals_and_ranks(entries, expected):
    rows = quiz_standings(list(entries), {team: [D(points) for points in points] for team, points in entries.items()})
    assert [(row.team_id, row.rank, row.award, row.score) for row in rows] == [
        (team, rank, award, D(score)) for team, rank, award, score in expected
    ]
    assert all(row.panel == row.score and row.penalty == 0 and row.rank_sum is None for row in rows)
    assert all(row.judges_done == row.judges_expected == 0 for row in rows)
    # A team that has played is complete and has a place; one that has not is neither.
    assert [(row.team_id, row.complete, row.place) for row in rows] == [
        (team, bool(entries[team]), rank if entries[team] else None) for team, rank, _a, _s in expected]
    assert all(row.judge_totals == {} and row.criterion_means == {} for row in rows)


def test_team_without_entries_scores_zero_and_entries_of_other_teams_are_ignored():
    rows = quiz_standings([1, 2], {2: [D(50)], 9: [D(1000)]})  # team 9 is not in the contest
    assert [(row.team_id, row.score) for row in rows] == [(2, D(50)), (1, D(0))]


def test_custom_awards_and_empty_quiz():
    rows = quiz_standings([1, 2], {1: [D(10)], 2: [D(5)]}, awards=("Terbaik",))
    assert [(row.team_id, row.award) for row in rows] == [(1, "Terbaik"), (2, "")]
    assert quiz_standings([], {}) == []
