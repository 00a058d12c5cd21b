"""Form fields as every use case reads them: trimmed text with a length and no control
characters, exact decimals, whole numbers within their column."""
from decimal import Decimal

from flask_babel import gettext as _

from ..engine import MAX_NUMBER_LENGTH, NumberTooLarge, NumberTooLong, parse_score
from ..inputs import has_control_characters
from ..params import to_int
from .errors import ServiceError


def too_long(label: str, limit: int) -> ServiceError:
    """The refusal of a field longer than its limit."""
    return ServiceError(422, _("%(label)s terlalu panjang (paling banyak %(limit)d karakter).",
                               label=label, limit=limit))


def text_field(value, label: str, *, required=True, limit=200) -> str:
    """A trimmed text field, checked for presence, length and control characters (a NUL is a 500
    on PostgreSQL); forms are checked before this (inputs.py), imported rows and the CLI are not."""
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(422, _("%(label)s wajib diisi.", label=label))
    if len(value) > limit:
        raise too_long(label, limit)
    if has_control_characters(value):
        raise ServiceError(422, _("%(label)s berisi karakter kontrol yang tidak diizinkan.", label=label))
    return value


def decimal_field(value, label: str) -> Decimal:
    """A decimal typed the Indonesian or the English way ("0,5" or "0.5")."""
    try:
        number = parse_score(value)
    except NumberTooLarge:
        raise ServiceError(422, _("%(label)s terlalu besar.", label=label)) from None
    except NumberTooLong:
        raise too_long(label, MAX_NUMBER_LENGTH) from None
    except (ValueError, TypeError):
        raise ServiceError(422, _("%(label)s harus berupa angka.", label=label)) from None
    if number != number.quantize(Decimal("0.001")):
        raise ServiceError(422, _("%(label)s: paling banyak tiga angka di belakang koma.", label=label))
    return number


def int_field(value, label: str, minimum: int, maximum: int) -> int:
    """A whole number written with ASCII digits, from minimum to maximum (at most what its
    INTEGER column holds: 3,000,000,000 is a 500 on PostgreSQL, 10**20 one on SQLite)."""
    number = to_int(value, minimum, maximum)
    if number is None:
        raise ServiceError(422, _("%(label)s harus bilangan bulat dari %(minimum)d sampai %(maximum)d.",
                                  label=label, minimum=minimum, maximum=maximum))
    return number
