"""Rubric contests, rules §3.1–3.6: every number below is worked out by hand in the comment beside it."""

from dataclasses import replace
from decimal import Decimal

import pytest

from scoreboard.engine import DEFAULT_AWARDS, CriterionSpec, RubricInput, Sheet, judge_total, rubric_standings

D = Decimal


def build(table, *, weights=(1,), judges=None, conflicts=(), **options) -> RubricInput:
    """A contest from {team_id: {judge_id: (score per criterion, ...)}}; criteria are 1, 2, … with these weights."""
    sheets = [
        Sheet(judge_id, team_id, {criterion: D(score) for criterion, score in enumerate(scores, start=1)})
        for team_id, by_judge in table.items()
        for judge_id, scores in by_judge.items()
    ]
    return RubricInput(
        teams=list(table),
        criteria=[CriterionSpec(criterion, D(weight)) for criterion, weight in enumerate(weights, start=1)],
        judges=sorted({sheet.judge_id for sheet in sheets}) if judges is None else judges,
        conflicts=set(conflicts),
        sheets=sheets,
        **options,
    )


def summary(rows) -> list[tuple[int, int, str]]:
    return [(row.team_id, row.rank, row.award) for row in rows]


@pytest.mark.parametrize(
    ("weights", "scores", "total"),
    [
        ((1,), (7,), "7"),  # 1·7
        ((1, 1, 1), (8, 7, 9), "24"),  # 8 + 7 + 9
        ((1, 2, "0.5"), (8, 7, 9), "26.5"),  # 1·8 + 2·7 + 0.5·9 = 8 + 14 + 4.5
        (("1.5", 3), ("7.5", "0.5"), "12.75"),  # 1.5·7.5 + 3·0.5 = 11.25 + 1.5
        ((2, 1), (0, 0), "0"),  # 2·0 + 1·0
    ],
)
def test_judge_total_is_the_weighted_sum(weights, scores, total):
    criteria = [CriterionSpec(criterion, D(weight)) for criterion, weight in enumerate(weights, start=1)]
    sheet = Sheet(1, 1, {criterion: D(score) for criterion, score in enumerate(scores, start=1)})
    assert judge_total(sheet, criteria) == D(total)


@pytest.mark.parametrize(
    ("method", "totals", "panel"),
    [
        ("mean", (6, 8), "7"),  # (6 + 8) / 2
        ("mean", (7, 8, "9.5"), "8.16666666666666666667"),  # 24.5 / 3 = 8.1666…, kept to 20 places
        ("sum", (6, 8, 9), "23"),  # 6 + 8 + 9
        ("trimmed_mean", (5, 7, 8, 10), "7.5"),  # drop 10 and 5: (7 + 8) / 2
        ("trimmed_mean", (4, 9, 9), "9"),  # drop one 9 and the 4: 9 / 1
        ("trimmed_mean", (6, 9), "7.5"),  # fewer than 3 sheets, plain mean: (6 + 9) / 2
        ("trimmed_mean", (7,), "7"),  # one sheet: its total
        ("median", (9, 6, 7), "7"),  # sorted 6, 7, 9: the middle one
        ("median", (10, 6, 7, 9), "8"),  # sorted 6, 7, 9, 10: (7 + 9) / 2
        ("rank_sum", (6, 9), "7.5"),  # shown beside R: the mean (6 + 9) / 2
    ],
)
def test_panel_score_by_method(method, totals, panel):
    data = build({1: {judge: (total,) for judge, total in enumerate(totals, start=1)}}, method=method)
    [row] = rubric_standings(data)
    assert row.panel == D(panel)
    assert row.score == D(panel)


def test_criterion_means_are_computed_only_when_read(monkeypatch):
    """The boards never read them: a push of a large contest should not pay for them."""
    from scoreboard.engine import rubric
    calls = []
    real = rubric.TeamSheets.criterion_mean
    monkeypatch.setattr(rubric.TeamSheets, "criterion_mean",
                        lambda team, cid: calls.append(cid) or real(team, cid))
    [row] = rubric_standings(build({1: {1: (8, 3), 2: (6, 5)}}, weights=(1, 2)))
    assert calls == []
    assert row.criterion_means[2] == D(8)  # (2·3 + 2·5) / 2
    assert row.criterion_means.get(3) is None and len(row.criterion_means) == 2
    assert calls == [2]


def test_criterion_sums_are_added_only_for_a_tie_break_or_when_read(monkeypatch):
    """A push of a large contest reads no criterion mean: their sums are not added either,
    except the tie-break's criterion when teams tie."""
    from scoreboard.engine import rubric
    summed = []
    real = rubric.TeamSheets.criterion_sum
    monkeypatch.setattr(rubric.TeamSheets, "criterion_sum",
                        lambda team, cid: summed.append((team.team_id, cid)) or real(team, cid))
    # Both teams' mean is 15; criterion 2's mean (of 2·s) is 8 for team 1 and 10 for team 2.
    table = {1: {1: (8, 3), 2: (6, 5)}, 2: {1: (5, 5), 2: (5, 5)}}
    rubric_standings(build(table, weights=(1, 2)))
    assert summed == []
    rows = rubric_standings(build(table, weights=(1, 2), tie_break=[2]))
    assert {cid for _team, cid in summed} == {2}
    assert [(row.team_id, row.rank) for row in rows] == [(2, 1), (1, 2)]


def test_weights_enter_totals_and_criterion_means():
    # criteria weights 1 and 2. Judge 1: 8 + 2·3 = 14; judge 2: 6 + 2·4 = 14.
    # criterion means of w·s: c1 (8 + 6) / 2 = 7; c2 (2·3 + 2·4) / 2 = 7.
    [row] = rubric_standings(build({1: {1: (8, 3), 2: (6, 4)}}, weights=(1, 2)))
    assert row.judge_totals == {1: D(14), 2: D(14)}
    assert row.criterion_means == {1: D(7), 2: D(7)}
    assert row.panel == D(14)


@pytest.mark.parametrize(
    ("method", "table", "penalties", "expected"),
    [
        (
            # mean: team 1 (80 + 90) / 2 = 85 − 3.5 = 81.5; team 2 82 − 0 = 82: the penalty costs first place.
            "mean",
            {1: {1: (80,), 2: (90,)}, 2: {1: (82,), 2: (82,)}},
            {1: D("3.5")},
            [(2, 1, "Juara I", "82"), (1, 2, "Juara II", "81.5")],
        ),
        (
            # sum: team 1 9 + 9 = 18 − 2 = 16; team 2 8 + 9 = 17.
            "sum",
            {1: {1: (9,), 2: (9,)}, 2: {1: (8,), 2: (9,)}},
            {1: D(2)},
            [(2, 1, "Juara I", "17"), (1, 2, "Juara II", "16")],
        ),
        (
            # trimmed_mean: team 1 drops 2 and 10, (8 + 9) / 2 = 8.5; team 2 drops 6 and 9, (7 + 8) / 2 = 7.5.
            # mean would say 7.25 vs 7.5, the other way round.
            "trimmed_mean",
            {1: {1: (2,), 2: (8,), 3: (9,), 4: (10,)}, 2: {1: (6,), 2: (7,), 3: (8,), 4: (9,)}},
            {},
            [(1, 1, "Juara I", "8.5"), (2, 2, "Juara II", "7.5")],
        ),
        (
            # median: team 1 sorted 1, 9, 9 → 9, minus penalty 0.5 = 8.5; team 2 sorted 8, 8, 8 → 8.
            "median",
            {1: {1: (9,), 2: (1,), 3: (9,)}, 2: {1: (8,), 2: (8,), 3: (8,)}},
            {1: D("0.5")},
            [(1, 1, "Juara I", "8.5"), (2, 2, "Juara II", "8")],
        ),
    ],
)
def test_order_and_penalties_by_method(method, table, penalties, expected):
    rows = rubric_standings(build(table, method=method, penalties=penalties))
    assert [(row.team_id, row.rank, row.award, row.score) for row in rows] == [
        (team, rank, award, D(score)) for team, rank, award, score in expected
    ]


def test_rank_sum_penalties_enter_each_judges_ranking():
    # Judge 1: team 1 90 − 5 = 85, team 2 88, team 3 70 → places 2, 1, 3.
    # Judge 2: team 1 80 − 5 = 75, team 2 85, team 3 85 → team 2 and 3 share places 1–2: 1.5 each; team 1 3.
    # R: team 1 2 + 3 = 5; team 2 1 + 1.5 = 2.5; team 3 3 + 1.5 = 4.5 → order 2, 3, 1.
    # (Without the penalty team 1 would be first for judge 1: R = 1 + 3 = 4, ahead of team 3.)
    # Shown scores: team 1 (90 + 80) / 2 − 5 = 80; team 2 (88 + 85) / 2 = 86.5; team 3 (70 + 85) / 2 = 77.5.
    table = {1: {1: (90,), 2: (80,)}, 2: {1: (88,), 2: (85,)}, 3: {1: (70,), 2: (85,)}}
    rows = rubric_standings(build(table, method="rank_sum", penalties={1: D(5)}))
    assert [(row.team_id, row.rank, row.rank_sum, row.score) for row in rows] == [
        (2, 1, D("2.5"), D("86.5")),
        (3, 2, D("4.5"), D("77.5")),
        (1, 3, D(5), D(80)),
    ]


def test_rank_sum_shared_places_span_a_mean():
    # One judge: 9, 7, 7, 5 → places 1, (2 + 3) / 2 = 2.5, 2.5, 4; the tied teams share rank 2.
    table = {1: {1: (9,)}, 2: {1: (7,)}, 3: {1: (7,)}, 4: {1: (5,)}}
    rows = rubric_standings(build(table, method="rank_sum"))
    assert [(row.team_id, row.rank, row.rank_sum) for row in rows] == [
        (1, 1, D(1)),
        (2, 2, D("2.5")),
        (3, 2, D("2.5")),
        (4, 4, D(4)),
    ]


def test_rank_sum_tie_is_broken_by_final_score():
    # Judge 1: team 1 10, team 2 8 → 1, 2. Judge 2: team 1 7, team 2 10 → 2, 1. R = 3 for both.
    # F: team 1 (10 + 7) / 2 = 8.5; team 2 (8 + 10) / 2 = 9 → team 2 first.
    rows = rubric_standings(build({1: {1: (10,), 2: (7,)}, 2: {1: (8,), 2: (10,)}}, method="rank_sum"))
    assert [(row.team_id, row.rank, row.rank_sum) for row in rows] == [(2, 1, D(3)), (1, 2, D(3))]


def test_rank_sum_team_without_sheets_goes_last():
    # Judge 1: team 1 5 − 10 = −5, team 2 6 → team 2 R 1, team 1 R 2. Team 3 has no sheet: no R, last,
    # even though its F = 0 is above team 1's F = 5 − 10 = −5.
    data = build({1: {1: (5,)}, 2: {1: (6,)}, 3: {}}, method="rank_sum", penalties={1: D(10)})
    assert [(row.team_id, row.rank, row.rank_sum, row.score) for row in rubric_standings(data)] == [
        (2, 1, D(1), D(6)),
        (1, 2, D(2), D(-5)),
        (3, 3, None, D(0)),
    ]
    # Under mean too, the unscored team goes after every scored one (even team 1 at −5) and has
    # no award: awards go only to teams some judge has scored.
    assert summary(rubric_standings(build({1: {1: (5,)}, 2: {1: (6,)}, 3: {}}, penalties={1: D(10)}))) == [
        (2, 1, "Juara I"),
        (1, 2, "Juara II"),
        (3, 3, ""),
    ]


@pytest.mark.parametrize(
    ("weights", "table", "tie_break", "expected"),
    [
        (
            # T: team 1 8 + 6 = 14, team 2 6 + 8 = 14. Criterion 1 first: 8 > 6 → team 1 wins.
            (1, 1),
            {1: {1: (8, 6)}, 2: {1: (6, 8)}},
            (1, 2),
            [(1, 1, "Juara I"), (2, 2, "Juara II")],
        ),
        (
            # Same sheets, criterion 2 first: 8 > 6 → team 2 wins.
            (1, 1),
            {1: {1: (8, 6)}, 2: {1: (6, 8)}},
            (2, 1),
            [(2, 1, "Juara I"), (1, 2, "Juara II")],
        ),
        (
            # T: 7 + 8 + 5 = 20 and 7 + 6 + 7 = 20. Criterion 1 equal (7 = 7); criterion 2: 8 > 6 → team 1.
            (1, 1, 1),
            {1: {1: (7, 8, 5)}, 2: {1: (7, 6, 7)}},
            (1, 2),
            [(1, 1, "Juara I"), (2, 2, "Juara II")],
        ),
        (
            # Teams 1 and 2 equal on T (20) and on every criterion → shared rank 1, next rank is 3.
            # Team 3: 5 + 5 + 5 = 15.
            (1, 1, 1),
            {1: {1: (7, 8, 5)}, 2: {1: (7, 8, 5)}, 3: {1: (5, 5, 5)}},
            (1, 2, 3),
            [(1, 1, "Juara I"), (2, 1, "Juara I"), (3, 3, "Juara III")],
        ),
        (
            # No tie-break criteria: T 14 = 14 is a shared rank.
            (1, 1),
            {1: {1: (8, 6)}, 2: {1: (6, 8)}},
            (),
            [(1, 1, "Juara I"), (2, 1, "Juara I")],
        ),
        (
            # Weighted means decide: w = 2, 1. Team 1: 2·5 + 6 = 16, team 2: 2·4 + 8 = 16.
            # Mean of w·s on criterion 1: 10 > 8 → team 1.
            (2, 1),
            {1: {1: (5, 6)}, 2: {1: (4, 8)}},
            (1,),
            [(1, 1, "Juara I"), (2, 2, "Juara II")],
        ),
        (
            # Means over two sheets: team 1 T 8+2 = 10 and 6+4 = 10, team 2 7+3 = 10 twice → P 10 both.
            # Criterion 1: (8 + 6) / 2 = 7 vs (7 + 7) / 2 = 7, equal; criterion 2: 3 vs 3 → shared.
            (1, 1),
            {1: {1: (8, 2), 2: (6, 4)}, 2: {1: (7, 3), 2: (7, 3)}},
            (1, 2),
            [(1, 1, "Juara I"), (2, 1, "Juara I")],
        ),
    ],
)
def test_tie_break_chain(weights, table, tie_break, expected):
    assert summary(rubric_standings(build(table, weights=weights, tie_break=tie_break))) == expected


def test_shared_rank_shares_the_award_and_skips_the_next():
    # Totals 9, 8, 8, 7 → ranks 1, 2, 2, 4: both rank 2 teams are Juara II, the fourth is Harapan I.
    table = {1: {1: (9,)}, 2: {1: (8,)}, 3: {1: (8,)}, 4: {1: (7,)}}
    assert summary(rubric_standings(build(table))) == [
        (1, 1, "Juara I"),
        (2, 2, "Juara II"),
        (3, 2, "Juara II"),
        (4, 4, "Harapan I"),
    ]


def test_custom_award_labels_run_out():
    # Two labels for three teams: the third place gets no award.
    table = {1: {1: (9,)}, 2: {1: (8,)}, 3: {1: (7,)}}
    assert summary(rubric_standings(build(table, awards=("Emas", "Perak")))) == [
        (1, 1, "Emas"),
        (2, 2, "Perak"),
        (3, 3, ""),
    ]


def test_all_tied():
    table = {1: {1: (7,), 2: (8,)}, 2: {1: (8,), 2: (7,)}, 3: {1: ("7.5",), 2: ("7.5",)}}  # P = 7.5 for all
    assert summary(rubric_standings(build(table))) == [(1, 1, "Juara I"), (2, 1, "Juara I"), (3, 1, "Juara I")]


@pytest.mark.parametrize("method", ["mean", "sum", "trimmed_mean", "median", "rank_sum"])
def test_one_judge_gives_the_order_of_their_totals(method):
    # With one sheet per team every method's panel score is that sheet's total: 6 < 9 < 9.5.
    rows = rubric_standings(build({1: {1: (6,)}, 2: {1: (9,)}, 3: {1: ("9.5",)}}, method=method))
    assert [(row.team_id, row.rank, row.panel) for row in rows] == [(3, 1, D("9.5")), (2, 2, D(9)), (1, 3, D(6))]


def test_completeness_counts_judges_not_in_conflict():
    # Judges 1, 2, 3; judge 3 is from team 1's kecamatan. Team 1 expects 2 sheets and has them: complete.
    # Team 2 expects 3 and has 2: provisional.
    table = {1: {1: (8,), 2: (6,)}, 2: {1: (7,), 2: (7,)}}
    rows = rubric_standings(build(table, judges=[1, 2, 3], conflicts={(3, 1)}))
    assert [(row.team_id, row.complete, row.judges_done, row.judges_expected) for row in rows] == [
        (1, True, 2, 2),
        (2, False, 2, 3),
    ]


def test_sheets_that_must_not_count_are_ignored():
    # Judge 3 is in conflict with team 1 and judge 9 is not assigned: their sheets never count,
    # nor does a sheet for a team outside the contest. Team 1 stays (8 + 6) / 2 = 7.
    data = build({1: {1: (8,), 2: (6,), 3: (10,), 9: (10,)}, 5: {1: (1,)}}, judges=[1, 2, 3], conflicts={(3, 1)})
    data = replace(data, teams=[1])
    [row] = rubric_standings(data)
    assert (row.panel, row.judges_done, row.judge_totals) == (D(7), 2, {1: D(8), 2: D(6)})


def test_empty_contest():
    assert rubric_standings(build({})) == []


def test_teams_without_sheets():
    # No sheets: P = 0, F = 0 − penalties. Teams 1 and 2 share 0; team 3 has −2. Judges 1, 2 expected.
    data = build({1: {}, 2: {}, 3: {}}, judges=[1, 2], penalties={3: D(2)})
    rows = rubric_standings(data)
    assert [(row.team_id, row.rank, row.score, row.complete, row.judges_expected) for row in rows] == [
        (1, 1, D(0), False, 2),
        (2, 1, D(0), False, 2),
        (3, 3, D(-2), False, 2),
    ]
    assert all(row.judge_totals == {} and row.criterion_means == {} for row in rows)


def test_output_is_ordered_by_team_id_inside_a_shared_rank():
    rows = rubric_standings(build({7: {1: (5,)}, 3: {1: (5,)}, 5: {1: (5,)}}))
    assert [row.team_id for row in rows] == [3, 5, 7]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "average"}, "unknown method"),
        ({"tie_break": (9,)}, "tie-break"),
        ({"sheets": [Sheet(1, 1, {1: D(5)}), Sheet(1, 1, {1: D(6)})]}, "two sheets"),
        ({"sheets": [Sheet(1, 1, {})]}, "not complete"),
    ],
)
def test_input_that_cannot_be_scored_is_refused(change, message):
    data = replace(build({1: {1: (5,)}}), **change)
    with pytest.raises(ValueError, match=message):
        rubric_standings(data)


def test_default_awards():
    assert DEFAULT_AWARDS == ("Juara I", "Juara II", "Juara III", "Harapan I", "Harapan II", "Harapan III")
