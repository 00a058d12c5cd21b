"""What every part of the event archive shares: its one error, exact numbers and moments as text."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal


class ArchiveError(ValueError):
    """An archive that cannot be loaded; the message names the place in the file."""

    def __init__(self, place: str, message: str):
        super().__init__(f"{place}: {message}")
        self.place = place
        self.message = message


def num(value: Decimal) -> str:
    """Exact decimal text: 7.5, not 7.500 or 7.50000."""
    return format(value.normalize(), "f")


def when(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def parse_when(text: str | None) -> datetime | None:
    """A moment written by when()."""
    return None if text is None else datetime.fromisoformat(text)
