"""Ids and whole numbers from URLs, forms and query strings, bounded so a database never sees a
number it cannot hold."""
from werkzeug.routing import IntegerConverter

# The largest id every database holds: primary keys are INTEGER, 32-bit in PostgreSQL (SQLite's
# are 64-bit). Anything larger is simply unknown, and asking the database would be an error.
MAX_ID = 2**31 - 1
# What every INTEGER column holds on both databases (PostgreSQL's are 32-bit; SQLite's 64-bit).
MIN_INT, MAX_INT = -(2**31), 2**31 - 1


def to_id(value) -> int | None:
    """The id written in `value` (ASCII digits only, 1..MAX_ID), else None.

    str.isdigit() accepts "²" and "٧", which int() then refuses or reads as another number.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        # Compared, not printed: str() of an int past 4300 digits raises.
        return value if 1 <= value <= MAX_ID else None
    text = value.strip() if isinstance(value, str) else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def to_int(value, minimum: int = MIN_INT, maximum: int = MAX_INT) -> int | None:
    """The whole number written in `value` (ASCII digits, an optional sign) if it lies in
    minimum..maximum, else None; the text's length is checked before it is read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if minimum <= value <= maximum else None
    text = value.strip() if isinstance(value, str) else ""
    digits = text[1:] if text[:1] in ("-", "+") else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(MAX_INT)) + 1:
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


class IdConverter(IntegerConverter):
    """The default `int` URL converter, bounded: /board/<25 nines> is a 404, not a 500.

    (A POST to a path whose GET twin exists is a 405 instead: Werkzeug's matcher, still a 4xx.)
    """

    regex = r"[0-9]+"  # ASCII digits only, as to_id

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
