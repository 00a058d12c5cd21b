"""Rounding, formatting and score validation (rules §1, §3): hand-checked tables."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from scoreboard.engine import (ScoreProblem, check_score, format_score, format_score_id, parse_score,
                               round_half_up, score_problem)
from scoreboard.engine.numbers import (SCORE_NOT_A_NUMBER, SCORE_OFF_STEP, SCORE_OUT_OF_RANGE,
                                       exact_decimal, to_decimal)

D = Decimal


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        ("87.125", 2, "87.13"),  # the third place is exactly 5: up
        ("2.675", 2, "2.68"),  # exact decimal 2.675 (a float would be 2.67499…): up
        ("0.005", 2, "0.01"),
        ("-0.005", 2, "-0.01"),  # half away from zero
        ("1.994", 2, "1.99"),
        ("1.995", 2, "2.00"),  # carries into the units
        ("87.5", 2, "87.50"),
        ("8.16666666666666666667", 2, "8.17"),
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("12345678901234567890123456789.125", 2, "12345678901234567890123456789.13"),  # beyond 28 digits
    ],
)
def test_round_half_up(value, places, rounded):
    result = round_half_up(D(value), places)
    assert result == D(rounded)
    assert str(result) == rounded  # the exponent is right too: "87.50", not "87.5"


@pytest.mark.parametrize(
    ("value", "api", "indonesian"),
    [
        ("87.5", "87.50", "87,50"),
        ("87.125", "87.13", "87,13"),
        ("2.675", "2.68", "2,68"),
        ("0", "0.00", "0,00"),
        ("-25", "-25.00", "-25,00"),
        ("-0.001", "0.00", "0,00"),  # no negative zero on the board
        ("1234.5", "1234.50", "1.234,50"),
        ("1234567.891", "1234567.89", "1.234.567,89"),
        ("-1000", "-1000.00", "-1.000,00"),
        ("100", "100.00", "100,00"),
    ],
)
def test_format_score(value, api, indonesian):
    assert format_score(D(value)) == api
    assert format_score_id(D(value)) == indonesian


@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "step", "message"),
    [
        ("7.5", "1", "10", "0.5", None),  # (7.5 − 1) / 0.5 = 13, on step
        ("7,5", "1", "10", "0.5", None),  # Indonesian decimal comma
        ("7.25", "1", "10", "0.5", "Nilai harus kelipatan 0,5 dari 1."),  # (7.25 − 1) / 0.5 = 12.5
        ("7,25", "1", "10", "0.5", "Nilai harus kelipatan 0,5 dari 1."),
        ("1", "1", "10", "0.5", None),  # bounds are inclusive
        ("10", "1", "10", "0.5", None),
        ("0.5", "1", "10", "0.5", "Nilai harus antara 1 dan 10."),
        ("10.5", "1", "10", "0.5", "Nilai harus antara 1 dan 10."),
        ("-1", "0", "100", "1", "Nilai harus antara 0 dan 100."),
        ("7", "0.5", "10.0", "0.50", None),  # (7 − 0.5) / 0.5 = 13
        ("0", "0.5", "10.0", "0.50", "Nilai harus antara 0,5 dan 10."),  # limits shown without trailing zeros
        ("3", "0", "1000", "5", "Nilai harus kelipatan 5 dari 0."),
        ("2000", "0", "1000", "5", "Nilai harus antara 0 dan 1.000."),
        ("4", "1", "10", "1.5", None),  # the step counts from the minimum: 1 + 2·1.5 = 4
        ("3", "1", "10", "1.5", "Nilai harus kelipatan 1,5 dari 1."),
        ("7.0000000000000000000000000000001", "1", "10", "1", "Nilai harus kelipatan 1 dari 1."),  # 32 digits
        (" 8 ", "1", "10", "1", None),
        ("abc", "1", "10", "1", "Nilai harus berupa angka."),
        ("", "1", "10", "1", "Nilai harus berupa angka."),
        ("   ", "1", "10", "1", "Nilai harus berupa angka."),
        ("NaN", "1", "10", "1", "Nilai harus berupa angka."),
        ("inf", "1", "10", "1", "Nilai harus berupa angka."),
        ("1e1", "1", "10", "1", "Nilai harus berupa angka."),  # no exponents from a tablet
        ("1.234,5", "1", "10", "1", "Nilai harus berupa angka."),
        (None, "1", "10", "1", "Nilai harus berupa angka."),
        (7, "1", "10", "1", None),
        (D("9.5"), "1", "10", "0.5", None),
        (D("NaN"), "1", "10", "1", "Nilai harus berupa angka."),
    ],
)
def test_check_score(value, minimum, maximum, step, message):
    assert check_score(value, D(minimum), D(maximum), D(step)) == message


@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "step", "problem"),
    [
        ("7.5", "1", "10", "0.5", None),
        ("abc", "1", "10", "1", ScoreProblem(SCORE_NOT_A_NUMBER, {})),
        ("0", "0.5", "10.0", "0.50",
         ScoreProblem(SCORE_OUT_OF_RANGE, {"minimum": D("0.5"), "maximum": D("10.0")})),
        ("3", "1", "10", "1.5", ScoreProblem(SCORE_OFF_STEP, {"step": D("1.5"), "minimum": D("1")})),
    ],
)
def test_score_problem_gives_the_template_and_its_numbers(value, minimum, maximum, step, problem):
    """The caller translates the template; check_score is the same problem written in Indonesian."""
    found = score_problem(value, D(minimum), D(maximum), D(step))
    assert found == problem
    if found:
        assert found.text() == check_score(value, D(minimum), D(maximum), D(step))
        assert "%(" not in found.text(str)


def test_score_problem_text_takes_another_number_format():
    problem = score_problem("2000", D("0.5"), D("1000"), D("0.5"))
    assert problem.text() == "Nilai harus antara 0,5 dan 1.000."
    assert problem.text(lambda n: f"{n.normalize():,f}") == "Nilai harus antara 0.5 dan 1,000."


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("7,5", "7.5"),
        ("7.5", "7.5"),
        (" -25 ", "-25"),
        (",5", "0.5"),
        ("8,", "8"),
        (3, "3"),
        (D("2.675"), "2.675"),
        (7.5, "7.5"),  # a float from JSON reads as the 7.5 that was typed
    ],
)
def test_parse_score(value, number):
    assert parse_score(value) == D(number)


@pytest.mark.parametrize("value", ["", "abc", "7,5,0", "1_000", "Infinity", True, None, [7]])
def test_parse_score_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueError):
        parse_score(value)


@pytest.mark.parametrize("text", ["17.500", "20.000", "-20.0", "0.000", "-0.0", "2E+1", "123.456",
                                  "0.1", "1E-20", "1.5E-21", "-7.25", "100"])
def test_exact_decimal_gives_to_decimals_digits_for_a_decimal(text):
    value = D(text)
    assert str(exact_decimal(value)) == str(to_decimal(Fraction(value)))


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None,
                   min_value=D("-1E12"), max_value=D("1E12")))
def test_exact_decimal_agrees_with_the_fraction_path_on_any_decimal(value):
    # The engine's judge totals take the short path; it must print the very same digits.
    assert str(exact_decimal(value)) == str(to_decimal(Fraction(value)))
