"""The models of the stage (DESIGN §8): a contest's time limits, each entry's stage timer and the
penalties the overtime rule proposes.

Kept beside models.py (the domain model of DESIGN §2) so neither grows past a readable length.
Contest.time_limit and ContestTeam.timer are added here as backrefs; the app imports this module
with services/stage_view.py (the public board's gate uses it), before any table is made.

Times are integers: milliseconds since the Unix epoch on the server's clock (UTC), and durations
in milliseconds, so every device computes the same running time from the same numbers.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .engine import TimeRule
from .extensions import db
from .models import Contest, ContestTeam, Exact, Penalty, Team, utcnow

TIMER_STATES = ("idle", "running", "paused", "stopped")
PROPOSAL_STATUSES = ("proposed", "confirmed", "dismissed", "withdrawn")


class TimeLimit(db.Model):
    """A contest's time range (either end optional) and the rule that turns time outside it
    into a proposed penalty: points per started step of seconds, up to a cap."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"),
                                            unique=True)
    min_seconds: Mapped[Optional[int]] = mapped_column()
    max_seconds: Mapped[Optional[int]] = mapped_column()
    step_seconds: Mapped[int] = mapped_column(default=30)
    points_per_step: Mapped[Decimal] = mapped_column(Exact, default=Decimal(1))
    cap: Mapped[Optional[Decimal]] = mapped_column(Exact)

    contest: Mapped[Contest] = relationship(backref=backref(
        "time_limit", uselist=False, cascade="all, delete-orphan"))
    __table_args__ = (
        CheckConstraint("min_seconds IS NULL OR min_seconds >= 0", name="time_min_known"),
        CheckConstraint("max_seconds IS NULL OR max_seconds > 0", name="time_max_known"),
        CheckConstraint("min_seconds IS NULL OR max_seconds IS NULL OR min_seconds < max_seconds",
                        name="time_range_ordered"),
        CheckConstraint("step_seconds > 0", name="time_step_positive"),
        CheckConstraint("points_per_step > 0", name="time_points_positive"),
        CheckConstraint("cap IS NULL OR cap > 0", name="time_cap_positive"),
    )

    @property
    def rule(self) -> TimeRule:
        """The rule as the engine takes it."""
        return TimeRule(self.min_seconds, self.max_seconds, self.step_seconds,
                        self.points_per_step, self.cap)


class EntryTimer(db.Model):
    """The stage timer of one team's performance in one contest, held by the server."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_team.id", ondelete="CASCADE"),
                                          unique=True)
    started_ms: Mapped[Optional[int]] = mapped_column(BigInteger)
    paused_at_ms: Mapped[Optional[int]] = mapped_column(BigInteger)   # set while paused
    paused_total_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    stopped_ms: Mapped[Optional[int]] = mapped_column(BigInteger)
    duration_ms: Mapped[Optional[int]] = mapped_column(BigInteger)    # the recorded duration
    # When the last tap took effect: a late tap is never placed before it.
    last_tap_ms: Mapped[Optional[int]] = mapped_column(BigInteger)
    rev: Mapped[int] = mapped_column(default=0)  # +1 per change: devices keep the newest

    entry: Mapped[ContestTeam] = relationship(backref=backref(
        "timer", uselist=False, cascade="all, delete-orphan"))
    __table_args__ = (
        CheckConstraint("paused_total_ms >= 0", name="timer_paused_positive"),
        CheckConstraint("duration_ms IS NULL OR duration_ms >= 0", name="timer_duration_positive"),
    )

    @property
    def state(self) -> str:
        """idle, running, paused or stopped."""
        if self.duration_ms is not None:
            return "stopped"
        if self.started_ms is None:
            return "idle"
        return "paused" if self.paused_at_ms is not None else "running"

    def elapsed_ms(self, now_ms: int) -> int:
        """The running time at server time `now_ms` (the recorded duration once stopped)."""
        if self.duration_ms is not None:
            return self.duration_ms
        if self.started_ms is None:
            return 0
        until = self.paused_at_ms if self.paused_at_ms is not None else now_ms
        return max(0, until - self.started_ms - self.paused_total_ms)


class ProposedPenalty(db.Model):
    """A penalty the overtime rule proposes for a measured duration; a person confirms it (it
    becomes a Penalty) or dismisses it with a reason. Nothing is deducted before that."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    duration_ms: Mapped[int] = mapped_column(BigInteger)
    side: Mapped[str] = mapped_column(String(8))          # over or under
    outside_seconds: Mapped[int] = mapped_column()
    points: Mapped[Decimal] = mapped_column(Exact)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was dismissed
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    penalty_id: Mapped[Optional[int]] = mapped_column(ForeignKey("penalty.id", ondelete="SET NULL"))

    contest: Mapped[Contest] = relationship()
    team: Mapped[Team] = relationship()
    penalty: Mapped[Optional[Penalty]] = relationship()
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'confirmed', 'dismissed', 'withdrawn')",
                        name="proposal_status_known"),
        CheckConstraint("side IN ('over', 'under')", name="proposal_side_known"),
        CheckConstraint("points > 0", name="proposal_positive"),
    )
