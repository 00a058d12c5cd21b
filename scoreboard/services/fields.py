"""Form fields as every use case reads them: trimmed text with a length, exact decimals."""
from decimal import Decimal

from flask_babel import gettext as _

from ..engine import NumberTooLarge, parse_score
from .errors import ServiceError


def text_field(value, label: str, *, required=True, limit=200) -> str:
    """A trimmed text field, checked for presence and length."""
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(422, _("%(label)s wajib diisi.", label=label))
    if len(value) > limit:
        raise ServiceError(422, _("%(label)s terlalu panjang (paling banyak %(limit)d karakter).",
                           label=label, limit=limit))
    return value


def decimal_field(value, label: str) -> Decimal:
    """A decimal typed the Indonesian or the English way ("0,5" or "0.5")."""
    try:
        number = parse_score(value)
    except NumberTooLarge:
        raise ServiceError(422, _("%(label)s terlalu besar.", label=label)) from None
    except (ValueError, TypeError):
        raise ServiceError(422, _("%(label)s harus berupa angka.", label=label)) from None
    if number != number.quantize(Decimal("0.001")):
        raise ServiceError(422, _("%(label)s: paling banyak tiga angka di belakang koma.", label=label))
    return number
