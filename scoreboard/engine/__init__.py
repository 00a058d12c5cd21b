"""The scoring rules of DESIGN §3, as pure functions.

Boundary: plain Python values in, plain values out. The engine imports nothing from Flask,
SQLAlchemy or the rest of `scoreboard`; services load rows from the database, turn them into
the inputs below and store or push what comes back. All arithmetic is exact (Decimal, with
Fraction where it divides); values are rounded half-up only when formatted for display.

Vocabulary:

- sheet: one judge's submitted scores for one team (drafts never reach the engine).
- judge total T(j,t): the weighted sum of one sheet, Σ w(c) · s(j,t,c).
- panel score P(t): the judge totals of a team combined by the contest's method
  (mean, sum, trimmed_mean, median, rank_sum).
- final score F(t): P(t) minus the team's penalties; for a quiz, the sum of its entries.
- rank: the place in the standings, 1-based; tied teams share it and the next is skipped (1, 2, 2, 4).
- award: the label of a rank ("Juara I" … "Harapan III"); a shared rank shares its award.
"""

from .awards import DEFAULT_AWARDS, StandingRow, boundary_ties
from .fairness import compare_methods, judge_spread
from .numbers import (MAX_NUMBER_LENGTH, NumberTooLarge, NumberTooLong, ScoreProblem, check_score,
                      format_score, format_score_id, parse_score, round_half_up, score_problem)
from .overall import OverallRow, juara_umum
from .quiz import quiz_standings
from .rubric import METHODS, CriterionSpec, RubricInput, Sheet, judge_total, rubric_standings

__all__ = [
    "DEFAULT_AWARDS",
    "METHODS",
    "MAX_NUMBER_LENGTH",
    "NumberTooLarge",
    "NumberTooLong",
    "CriterionSpec",
    "OverallRow",
    "RubricInput",
    "ScoreProblem",
    "Sheet",
    "StandingRow",
    "boundary_ties",
    "check_score",
    "compare_methods",
    "format_score",
    "format_score_id",
    "judge_spread",
    "judge_total",
    "juara_umum",
    "parse_score",
    "quiz_standings",
    "round_half_up",
    "rubric_standings",
    "score_problem",
]
