"""Ids from URLs, forms and query strings, bounded so a database never sees a number it cannot hold."""
from werkzeug.routing import IntegerConverter

# The largest id every database holds: primary keys are INTEGER, 32-bit in PostgreSQL (SQLite's
# are 64-bit). Anything larger is simply unknown, and asking the database would be an error.
MAX_ID = 2**31 - 1


def to_id(value) -> int | None:
    """The id written in `value` (ASCII digits only, 1..MAX_ID), else None.

    str.isdigit() accepts "²" and "٧", which int() then refuses or reads as another number.
    """
    text = value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """The default `int` URL converter, bounded: /board/<25 nines> is a 404, not a 500.

    (A POST to a path whose GET twin exists is a 405 instead: Werkzeug's matcher, still a 4xx.)
    """

    regex = r"[0-9]+"  # ASCII digits only, as to_id

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
