"""Ties on an award (rules §3.5, §3.7): which shared ranks a person must settle before publishing."""

from decimal import Decimal

import pytest

from scoreboard.engine import (DEFAULT_AWARDS, CriterionSpec, RubricInput, Sheet, StandingRow, boundary_ties,
                               quiz_standings, rubric_standings)
from scoreboard.engine.awards import award_for


def rows_with_ranks(ranks, awards=DEFAULT_AWARDS, unscored=()) -> list[StandingRow]:
    """Rows for teams 1, 2, 3, … with these ranks and their awards (teams in `unscored` get none)."""
    return [
        StandingRow(
            team_id=team_id,
            rank=rank,
            award="" if team_id in unscored else award_for(rank, awards),
            score=Decimal(0),
            panel=Decimal(0),
        )
        for team_id, rank in enumerate(ranks, start=1)
    ]


@pytest.mark.parametrize(
    ("ranks", "awards", "ties"),
    [
        ([1, 2, 3, 4, 5, 6, 7], DEFAULT_AWARDS, []),  # no tie
        ([1, 1, 3, 4], DEFAULT_AWARDS, [[1, 2]]),  # two teams share Juara I
        ([1, 2, 3, 3, 5], DEFAULT_AWARDS, [[3, 4]]),  # share Juara III; spans the Juara III / Harapan I boundary
        ([1, 2, 3, 4, 5, 6, 6], DEFAULT_AWARDS, [[6, 7]]),  # last award (Harapan III) shared with an unawarded team
        ([1, 2, 3, 4, 5, 6, 7, 7], DEFAULT_AWARDS, []),  # a tie below the awards decides nothing
        ([1, 1, 3, 3, 3, 6, 7, 7], DEFAULT_AWARDS, [[1, 2], [3, 4, 5]]),  # every awarded group, in rank order
        ([1, 2, 3, 3], ("Juara I", "Juara II", "Juara III"), [[3, 4]]),
        ([1, 2, 3, 4, 4], ("Juara I", "Juara II", "Juara III"), []),  # three awards only: rank 4 is unawarded
        ([1, 1, 1], DEFAULT_AWARDS, [[1, 2, 3]]),  # everyone tied
        ([], DEFAULT_AWARDS, []),
    ],
)
def test_boundary_ties(ranks, awards, ties):
    assert boundary_ties(rows_with_ranks(ranks, awards), awards) == ties


def test_boundary_ties_on_real_standings():
    # Quiz totals 300, 200, 100, 100 → ranks 1, 2, 3, 3: teams 3 and 4 share Juara III.
    rows = quiz_standings([1, 2, 3, 4], {1: [Decimal(300)], 2: [Decimal(200)], 3: [Decimal(100)], 4: [Decimal(100)]})
    assert [row.award for row in rows] == ["Juara I", "Juara II", "Juara III", "Juara III"]
    assert boundary_ties(rows) == [[3, 4]]


@pytest.mark.parametrize(
    ("ranks", "unscored", "ties"),
    [
        ([1, 2, 3, 4, 5, 6, 6, 6], {6, 7, 8}, []),  # the demo: three unscored teams share rank 6, no award
        ([1, 1, 3, 3], {3, 4}, [[1, 2]]),  # a real tie above two unscored teams
        ([1, 1, 1], {1, 2, 3}, []),  # nobody scored yet
        ([1, 2, 3, 4, 5, 6, 6], {7}, []),  # an unscored team beside Harapan III takes nothing from it
    ],
)
def test_boundary_ties_ignore_rows_without_an_award(ranks, unscored, ties):
    assert boundary_ties(rows_with_ranks(ranks, unscored=unscored)) == ties


def test_unscored_rubric_teams_are_no_tie():
    # Two of five teams scored: the three nobody scored share rank 3 but hold no award.
    data = RubricInput(
        teams=[1, 2, 3, 4, 5], criteria=[CriterionSpec(1)], judges=[10], conflicts=set(),
        sheets=[Sheet(10, 1, {1: Decimal(80)}), Sheet(10, 2, {1: Decimal(70)})])
    rows = rubric_standings(data)
    assert [(row.team_id, row.rank, row.award) for row in rows][2:] == [(3, 3, ""), (4, 3, ""), (5, 3, "")]
    assert boundary_ties(rows) == []


def test_unplayed_quiz_teams_are_no_tie():
    rows = quiz_standings([1, 2, 3, 4], {1: [Decimal(100)]})
    assert [row.award for row in rows] == ["Juara I", "", "", ""]
    assert boundary_ties(rows) == []


def test_scored_is_a_sheet_for_rubric_and_an_entry_for_quiz():
    data = RubricInput(teams=[1, 2], criteria=[CriterionSpec(1)], judges=[10, 11], conflicts=set(),
                       sheets=[Sheet(10, 1, {1: Decimal(80)})])
    assert {row.team_id: row.scored for row in rubric_standings(data)} == {1: True, 2: False}
    # A quiz team at 0 after a right and a wrong answer has played; one with no entry has not.
    rows = quiz_standings([1, 2, 3], {1: [Decimal(100), Decimal(-100)], 2: [Decimal(50)]})
    assert {row.team_id: row.scored for row in rows} == {1: True, 2: True, 3: False}
