"""The models of the documents made after the event: piagam settings and printed piagam codes.

Kept beside models.py (which holds the domain model of rules §2) so neither grows past a
readable length; the app imports this module with the piagam service, before any table is made.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import Contest, Event, Team, utcnow


PIAGAM_BORDERS = ("ganda", "garis", "tanpa")
CERTIFICATE_KINDS = ("award", "participation")


class PiagamSettings(db.Model):
    """How an event's piagam look: the signing officials, the border, the place line and a logo."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    border: Mapped[str] = mapped_column(String(16), default="ganda")
    # [{"title": "Ketua Panitia", "name": "...", "nip": "..."}], left to right on the page.
    officials: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # PNG bytes re-encoded by the app (services/piagam.py), never the file as uploaded.
    logo_png: Mapped[Optional[bytes]] = mapped_column(LargeBinary)

    event: Mapped[Event] = relationship()
    __table_args__ = (
        CheckConstraint("border IN ('ganda', 'garis', 'tanpa')", name="piagam_border_known"),
    )


class Certificate(db.Model):
    """A piagam's verification code and what it certifies; the award is checked against the
    published results whenever the code is looked up."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="award")
    award: Mapped[str] = mapped_column(String(120), default="")
    rank: Mapped[int] = mapped_column(default=0)  # 0 on a participation piagam
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    contest: Mapped[Contest] = relationship()
    team: Mapped[Team] = relationship()
    __table_args__ = (
        UniqueConstraint("contest_id", "team_id", "kind", "award", "rank"),
        CheckConstraint("kind IN ('award', 'participation')", name="certificate_kind_known"),
    )
