"""Save ids: every save a tablet queues (a judge's sheet, a quiz tap or undo) is stored once.

The tablet makes an id for each save before sending it (static/js/outbox.js) and sends the same
id again when it retries. The server keeps a receipt per (judge, id): a save whose id it has seen
is answered with what the first one stored, and an id used before for something else is refused
(409). One rule for every id: 8 to 64 letters, digits, "-" or "_" (a UUID fits).
"""
import re
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Judge, SaveReceipt, utcnow
from .errors import ServiceError

CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
Target = TypeVar("Target")


def checked_client_id(client_id) -> str:
    """The save's id as the tablet sent it, or 422 when it breaks the one rule."""
    if not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id.strip()):
        raise ServiceError(422, _("Simpanan tanpa nomor pengenal (ID) yang sah dari tablet. "
                                  "Muat ulang halaman lalu coba lagi."))
    return client_id.strip()


def saved_receipt(by: Judge, client_id: str) -> SaveReceipt | None:
    """The receipt of an earlier save with this id from this judge's tablets, if any."""
    return db.session.scalar(db.select(SaveReceipt).filter_by(judge_id=by.id, client_id=client_id))


def replay(by: Judge, client_id: str, kind: str,
           target_of: Callable[[SaveReceipt], Target | None]) -> Target | None:
    """What an earlier save with this id stored (None for a new id).

    `target_of` turns the receipt into the stored thing, or None when it is not the thing this
    save is about (another sheet, another contest): acknowledging it would tell the tablet a
    save was stored that never was, so the id is refused instead.
    """
    receipt = saved_receipt(by, client_id)
    if receipt is None:
        return None
    target = target_of(receipt) if receipt.kind == kind and receipt.target_id else None
    if target is None:
        other = _("lembar lain") if receipt.kind == kind == "sheet" else _("hal lain")
        raise ServiceError(409, _("Nomor pengenal (ID) simpanan ini sudah dipakai untuk %(other)s.",
                                  other=other))
    return target


def keep_receipt(by: Judge, client_id: str, kind: str, target_id: int,
                 at: datetime | None = None) -> None:
    """Remember the save's id in the save's own transaction (stored with it, or not at all)."""
    db.session.add(SaveReceipt(judge_id=by.id, client_id=client_id, kind=kind,
                               target_id=target_id, received_at=at or utcnow()))


def store_once(by: Judge, client_id: str, kind: str,
               target_of: Callable[[SaveReceipt], Target | None],
               write: Callable[[], Target]) -> tuple[Target, bool]:
    """Run `write` for a new id, or answer with what the id stored before; True when written.

    Two requests with one id can pass the first look together: the receipt's unique constraint
    stops the second, which then answers as the first decided. Any other clash (two tablets of
    one judge creating the same sheet at once) gets one more try.
    """
    for attempt in range(2):
        replayed = replay(by, client_id, kind, target_of)
        if replayed is not None:
            return replayed, False
        try:
            return write(), True
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")
