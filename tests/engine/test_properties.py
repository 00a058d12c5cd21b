"""Properties every result must have, whatever the scores (rules §3)."""

from dataclasses import replace
from decimal import Context, Decimal, localcontext

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoreboard.engine import METHODS, CriterionSpec, RubricInput, Sheet, compare_methods, rubric_standings

D = Decimal

# database=None: failing examples are not saved between runs; each run stands on its own.
fast = settings(max_examples=100, deadline=None, database=None)

# Half points from 0 to 10, so that equal totals (and so ties) are common.
half_points = st.integers(0, 20).map(lambda halves: D(halves) / 2)


@st.composite
def contests(draw) -> RubricInput:
    """A small rubric contest with valid sheets, conflicts, penalties, any method and tie-break."""
    team_ids = draw(st.lists(st.integers(1, 40), unique=True, max_size=6))
    judge_ids = draw(st.lists(st.integers(1, 40), unique=True, min_size=1, max_size=4))
    weights = draw(st.lists(st.sampled_from([D(1), D(2), D("0.5")]), min_size=1, max_size=3))
    criteria = [CriterionSpec(criterion_id, weight) for criterion_id, weight in enumerate(weights, start=1)]
    conflicts = {
        (judge_id, team_id) for judge_id in judge_ids for team_id in team_ids if draw(st.integers(0, 5)) == 0
    }
    sheets = [
        Sheet(judge_id, team_id, {criterion.id: draw(half_points) for criterion in criteria})
        for judge_id in judge_ids
        for team_id in team_ids
        if (judge_id, team_id) not in conflicts and draw(st.integers(0, 4))
    ]
    penalties = {team_id: draw(st.sampled_from([D("0.5"), D(3), D(20)])) for team_id in team_ids if draw(st.booleans())}
    tie_break = draw(st.permutations([criterion.id for criterion in criteria]))
    return RubricInput(
        teams=team_ids,
        criteria=criteria,
        judges=judge_ids,
        conflicts=conflicts,
        sheets=sheets,
        penalties=penalties,
        method=draw(st.sampled_from(METHODS)),
        tie_break=tie_break[: draw(st.integers(0, len(tie_break)))],
    )


@fast
@given(contests(), st.data())
def test_input_order_never_changes_a_result(data, shuffles):
    shuffled = replace(
        data,
        teams=shuffles.draw(st.permutations(data.teams)),
        judges=shuffles.draw(st.permutations(data.judges)),
        sheets=shuffles.draw(st.permutations(data.sheets)),
        criteria=shuffles.draw(st.permutations(data.criteria)),
    )
    assert compare_methods(shuffled) == compare_methods(data)


@fast
@given(contests(), st.data())
def test_raising_a_score_never_lowers_the_rank_under_mean(data, choices):
    assume(data.sheets)
    index = choices.draw(st.integers(0, len(data.sheets) - 1))
    sheet = data.sheets[index]
    criterion_id = choices.draw(st.sampled_from(sorted(sheet.scores)))
    raised = Sheet(sheet.judge_id, sheet.team_id, {**sheet.scores, criterion_id: sheet.scores[criterion_id] + D("0.5")})
    data = replace(data, method="mean")

    def rank_of_team(standings) -> int:
        return next(row.rank for row in standings if row.team_id == sheet.team_id)

    before = rank_of_team(rubric_standings(data))
    raised_sheets = [*data.sheets[:index], raised, *data.sheets[index + 1 :]]
    after = rank_of_team(rubric_standings(replace(data, sheets=raised_sheets)))
    assert after <= before


@fast
@given(contests())
def test_final_score_is_panel_minus_penalties(data):
    for rows in compare_methods(data).values():
        for row in rows:
            assert row.penalty == data.penalties.get(row.team_id, 0)
            with localcontext(Context(prec=60)):
                assert row.score == row.panel - row.penalty


@fast
@given(contests())
def test_ranks_are_shared_and_skip_after_a_shared_rank(data):
    for method, rows in compare_methods(data).items():
        assert sorted(row.team_id for row in rows) == sorted(data.teams)
        for position, row in enumerate(rows, start=1):
            previous = rows[position - 2] if position > 1 else None
            if previous is None or row.rank != previous.rank:
                assert row.rank == position  # 1-based, and the places a shared rank took are skipped
            else:
                assert row.team_id > previous.team_id  # stable order inside a shared rank
            if previous is not None and method != "rank_sum":
                # Scored teams come first; within each group the score never rises.
                assert (row.judges_done == 0, -row.score) >= (previous.judges_done == 0, -previous.score)
            expected_award = data.awards[row.rank - 1] if row.rank <= len(data.awards) else ""
            # A team nobody has scored holds a place but no award.
            assert row.award == (expected_award if row.judges_done else "")
