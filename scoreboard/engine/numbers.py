"""Numbers as the scoreboard keeps, shows and accepts them (rules §3).

Kept exact (Decimal, Fraction while dividing), shown rounded half-up to 2 places, in the API
form "87.50" or the Indonesian form "87,50", and accepted from a judge as "7.5" or "7,5".
"""

import re
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact
from fractions import Fraction
from typing import NamedTuple

# A value that does not terminate (a mean over three judges, a z-score) is kept to this many
# places: far beyond the two that are shown, so it never changes a displayed number.
SCALE = 20

# Wide enough for any score the event produces; trapping Inexact proves nothing was rounded.
EXACT = Context(prec=100, traps=[Inexact])

# ASCII digits with an optional decimal point or comma; no exponents, no thousands separators,
# no "٧" or "７" (\d would take them, and a judge's keyboard never types them by mistake).
_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")

_TO_INDONESIAN = str.maketrans(",.", ".,")

# No score, weight, penalty or quiz point comes near a trillion; refusing larger numbers keeps
# every value exact at the default Decimal precision and within the 64-bit thousandths stored.
LARGEST = Decimal(10) ** 12

# The longest number text read at all: a trillion less a thousandth is 16 characters, so this
# leaves room for a sign and trailing zeros. Checked before anything else, because reading a
# long decimal (and the Fraction of the step check) costs time quadratic in its digits: one
# 600 KB score held the whole server for 20 seconds.
MAX_NUMBER_LENGTH = 40


class NumberTooLarge(ValueError):
    """A well-formed number whose size (a trillion or more) no scoreboard value can have."""


class NumberTooLong(ValueError):
    """A text longer than MAX_NUMBER_LENGTH characters, refused before it is read as a number."""


def to_decimal(value: Fraction) -> Decimal:
    """The fraction as a Decimal, exact when it terminates within SCALE places, else rounded half-up there."""
    units, remainder = divmod(abs(value.numerator) * 10**SCALE, value.denominator)
    if 2 * remainder >= value.denominator:
        units += 1
    if not units:
        return Decimal(0)
    exponent = -SCALE
    while exponent < 0 and units % 10 == 0:
        units //= 10
        exponent += 1
    sign = "-" if value < 0 else ""
    # Built from a string: the Decimal constructor never rounds, arithmetic would.
    return Decimal(f"{sign}{units}E{exponent}")


def exact_decimal(value: Decimal) -> Decimal:
    """to_decimal(Fraction(value)) for a Decimal, without the Fraction: the same digits, cheaper."""
    if not value:
        return Decimal(0)
    if value.as_tuple().exponent < -SCALE:
        return to_decimal(Fraction(value))
    if value == value.to_integral_value():
        return Decimal(int(value))
    # Not an integer and at most SCALE places: dropping trailing zeros is all to_decimal does.
    return value.normalize(EXACT)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """The value rounded to `places` decimals, halves away from zero (0.005 -> 0.01, -0.005 -> -0.01)."""
    digits_needed = max(value.adjusted(), 0) + places + 2
    return value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=max(digits_needed, 28))
    )


def _rounded_for_display(value: Decimal) -> Decimal:
    rounded = round_half_up(value)
    # -0.001 rounds to -0.00; nobody wants to read a negative zero.
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_score(value: Decimal) -> str:
    """The API form of a score: dot, 2 places, half-up ("87.50")."""
    return f"{_rounded_for_display(value):f}"


def format_score_id(value: Decimal) -> str:
    """The Indonesian form of a score: comma, 2 places, thousands with dots ("1.234,50")."""
    return f"{_rounded_for_display(value):,f}".translate(_TO_INDONESIAN)


def _format_plain_id(value: Decimal) -> str:
    """A limit or step as a person writes it in Indonesian: no trailing zeros ("10", "0,5")."""
    return f"{value.normalize():,f}".translate(_TO_INDONESIAN)


def _refusal_of_long(text: str) -> ValueError:
    """Why a text past MAX_NUMBER_LENGTH is refused: too large if its whole part is, else too long."""
    whole, _separator, fraction = text.lstrip("+-").replace(",", ".").partition(".")
    digits = whole + fraction
    if digits.isascii() and digits.isdigit() and len(whole.lstrip("0")) > len(str(LARGEST)) - 1:
        return NumberTooLarge(f"too large: {len(text)} characters")
    return NumberTooLong(f"too long: {len(text)} characters")


def parse_score(value) -> Decimal:
    """The number a judge entered, accepting a decimal comma ("7,5").

    ValueError if it is not a finite number; NumberTooLarge (a ValueError) if it is a trillion or
    more; NumberTooLong (a ValueError) if the text has more than MAX_NUMBER_LENGTH characters.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a score: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # str() gives the shortest form that reads back as the same float: what was typed.
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_LENGTH:
            raise _refusal_of_long(text)
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"not a score: {value!r}")
        number = Decimal(text.replace(",", "."))
    else:
        raise ValueError(f"not a score: {value!r}")
    if not number.is_finite():
        raise ValueError(f"not a score: {value!r}")
    if abs(number) >= LARGEST:
        raise NumberTooLarge(f"too large: {value!r}")
    return number


def N_(message: str) -> str:
    """Mark a message for the translation catalog without translating it (the engine knows no Flask)."""
    return message


# A judge's invalid score, as templates with named placeholders: the engine returns the template
# and its numbers (score_problem), the caller translates the template and formats the numbers.
SCORE_NOT_A_NUMBER = N_("Nilai harus berupa angka.")
SCORE_OUT_OF_RANGE = N_("Nilai harus antara %(minimum)s dan %(maximum)s.")
SCORE_OFF_STEP = N_("Nilai harus kelipatan %(step)s dari %(minimum)s.")
SCORE_TOO_LONG = N_("Nilai terlalu panjang (paling banyak %(length)s karakter).")


class ScoreProblem(NamedTuple):
    """Why a value is not a valid score: a message template and the numbers it names."""

    template: str
    params: dict[str, Decimal]

    def text(self, format_number=None) -> str:
        """The message with its numbers filled in, written the Indonesian way unless told otherwise."""
        fmt = format_number or _format_plain_id
        return self.template % {name: fmt(value) for name, value in self.params.items()}


def score_problem(value, minimum: Decimal, maximum: Decimal, step: Decimal) -> ScoreProblem | None:
    """None when the value is a valid score for the criterion, else what is wrong with it."""
    try:
        number = parse_score(value)
    except NumberTooLarge:
        return ScoreProblem(SCORE_OUT_OF_RANGE, {"minimum": minimum, "maximum": maximum})
    except NumberTooLong:
        return ScoreProblem(SCORE_TOO_LONG, {"length": Decimal(MAX_NUMBER_LENGTH)})
    except ValueError:
        return ScoreProblem(SCORE_NOT_A_NUMBER, {})
    if not minimum <= number <= maximum:
        return ScoreProblem(SCORE_OUT_OF_RANGE, {"minimum": minimum, "maximum": maximum})
    # Fractions: Decimal subtraction would round a long input and let an off-step value through.
    if (Fraction(number) - Fraction(minimum)) % Fraction(step):
        return ScoreProblem(SCORE_OFF_STEP, {"step": step, "minimum": minimum})
    return None


def check_score(value, minimum: Decimal, maximum: Decimal, step: Decimal) -> str | None:
    """None when the value is a valid score for the criterion, else the message to show (in Indonesian)."""
    problem = score_problem(value, minimum, maximum, step)
    return problem.text() if problem else None
