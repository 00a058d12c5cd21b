"""The domain model of rules §2 as SQLAlchemy 2.0 typed models.

Decimal values (scores, weights, penalties, quiz points) are stored as integers
in thousandths (`Exact`), so SQLite and PostgreSQL hold them exactly and the
database can compare a score with its criterion's range.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (JSON, BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Index,
                        Integer, String, Text, UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .engine import DEFAULT_AWARDS
from .extensions import db

SCALE = 1000
CONTEST_KINDS = ("rubric", "quiz")
CONTEST_STATUSES = ("draft", "open", "closed", "published")
DISPLAY_STATES = ("live", "hidden", "frozen", "reveal")
SHEET_STATES = ("draft", "submitted")
ROLES = ("judge", "head", "scorekeeper", "timekeeper", "mc")


def utcnow() -> datetime:
    """Timestamps are stored in UTC and shown in WITA."""
    return datetime.now(timezone.utc)


class Exact(TypeDecorator):
    """A Decimal stored as an integer number of thousandths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value) * SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError("at most three decimal places are stored")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)) / SCALE


class Event(db.Model):
    """One yearly gathering; a deployment keeps several, one is active."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Makassar")
    active: Mapped[bool] = mapped_column(default=False)
    overall_mode: Mapped[str] = mapped_column(String(16), default="medals")
    award_points: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    hall_view: Mapped[str] = mapped_column(String(16), default="contest")
    hall_contest_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("contest.id", use_alter=True, name="fk_event_hall_contest", ondelete="SET NULL"))

    regions: Mapped[list[Region]] = relationship(back_populates="event", order_by="Region.name",
                                                 cascade="all, delete-orphan")
    teams: Mapped[list[Team]] = relationship(back_populates="event", cascade="all, delete-orphan")
    contests: Mapped[list[Contest]] = relationship(
        back_populates="event", order_by="Contest.position", cascade="all, delete-orphan",
        foreign_keys="Contest.event_id")
    judges: Mapped[list[Judge]] = relationship(back_populates="event", order_by="Judge.name",
                                               cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint("overall_mode IN ('medals', 'points')", name="overall_mode_known"),
        CheckConstraint("hall_view IN ('contest', 'overall')", name="hall_view_known"),
    )


class Region(db.Model):
    """A kecamatan; every team belongs to one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))

    event: Mapped[Event] = relationship(back_populates="regions")
    __table_args__ = (UniqueConstraint("event_id", "name"),)


class Team(db.Model):
    """A team representing a region, entered in one or more contests."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    name: Mapped[str] = mapped_column(String(200))
    village: Mapped[str] = mapped_column(String(200), default="")
    members: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="teams")
    region: Mapped[Region] = relationship()
    __table_args__ = (UniqueConstraint("event_id", "name"),)


class Contest(db.Model):
    """A lomba: rubric-judged or a quiz, with its status and what the hall sees of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="rubric")
    method: Mapped[str] = mapped_column(String(16), default="mean")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    position: Mapped[int] = mapped_column(default=0)
    tie_break: Mapped[list[int]] = mapped_column(JSON, default=list)
    award_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    display_state: Mapped[str] = mapped_column(String(16), default="live")
    version: Mapped[int] = mapped_column(default=1)
    frozen_board: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    reveal_step: Mapped[int] = mapped_column(default=0)
    now_performing_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"))
    draw_seed: Mapped[Optional[str]] = mapped_column(String(64))
    publish_note: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="contests", foreign_keys=[event_id])
    now_performing: Mapped[Optional[Team]] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="contest", order_by="Criterion.position", cascade="all, delete-orphan")
    entries: Mapped[list[ContestTeam]] = relationship(
        back_populates="contest", order_by="ContestTeam.order_no", cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="contest", cascade="all, delete-orphan")
    rounds: Mapped[list[QuizRound]] = relationship(
        back_populates="contest", order_by="QuizRound.position", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint("kind IN ('rubric', 'quiz')", name="kind_known"),
        CheckConstraint("method IN ('mean', 'sum', 'trimmed_mean', 'median', 'rank_sum')",
                        name="method_known"),
        CheckConstraint("status IN ('draft', 'open', 'closed', 'published')", name="status_known"),
        CheckConstraint("display_state IN ('live', 'hidden', 'frozen', 'reveal')",
                        name="display_state_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    @property
    def awards(self) -> tuple[str, ...]:
        """The award labels, best first (rules §3.5 defaults when none are set)."""
        return tuple(self.award_labels) if self.award_labels else DEFAULT_AWARDS

    @property
    def teams(self) -> list[Team]:
        """Teams in performance order."""
        return [entry.team for entry in self.entries]

    @property
    def frozen(self) -> bool:
        """True while the public sees the board as it was when frozen."""
        return self.display_state == "frozen"

    def judges_with_role(self, *roles: str) -> list[Judge]:
        """The judges assigned to this contest with one of the given roles."""
        return sorted((a.judge for a in self.assignments if a.role in roles), key=lambda j: j.name)

    @property
    def panel(self) -> list[Judge]:
        """The judges who score this contest (ketua juri included)."""
        return self.judges_with_role("judge", "head")

    @property
    def head_judge(self) -> Optional[Judge]:
        """The ketua juri, if one is named."""
        heads = self.judges_with_role("head")
        return heads[0] if heads else None


class ContestTeam(db.Model):
    """A team entered in a contest, with its performance order number."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    order_no: Mapped[Optional[int]] = mapped_column(Integer)
    performed: Mapped[bool] = mapped_column(default=False)
    # Quiz: on stage in the heat (or final) being played now; none on stage means all teams.
    on_stage: Mapped[bool] = mapped_column(default=False)

    contest: Mapped[Contest] = relationship(back_populates="entries")
    team: Mapped[Team] = relationship()
    __table_args__ = (
        UniqueConstraint("contest_id", "team_id"),
        UniqueConstraint("contest_id", "order_no"),
        CheckConstraint("order_no IS NULL OR order_no >= 1", name="order_positive"),
    )


class Criterion(db.Model):
    """A rubric criterion: weight, range and step."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Exact, default=Decimal(1))
    min_score: Mapped[Decimal] = mapped_column(Exact, default=Decimal(0))
    max_score: Mapped[Decimal] = mapped_column(Exact, default=Decimal(100))
    step: Mapped[Decimal] = mapped_column(Exact, default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="criteria")
    __table_args__ = (
        UniqueConstraint("contest_id", "name"),
        CheckConstraint("min_score < max_score", name="range_ordered"),
        CheckConstraint("step > 0", name="step_positive"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )


class Judge(db.Model):
    """A judge (or quiz scorekeeper) who logs in with a personal access code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # SHA-256 of a random 128-bit code: enough to look a code up, useless to a thief.
    code_digest: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")  # see identity
    home_region_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(back_populates="judges")
    home_region: Mapped[Optional[Region]] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="judge",
                                                         cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    def in_conflict_with(self, team: Team) -> bool:
        """A judge never scores a team of their own kecamatan."""
        return self.home_region_id is not None and self.home_region_id == team.region_id

    def role_in(self, contest: Contest) -> Optional[str]:
        """The judge's role in a contest, or None when not assigned."""
        for assignment in self.assignments:
            if assignment.contest_id == contest.id:
                return assignment.role
        return None


class Assignment(db.Model):
    """A seat in a contest: judge, ketua juri (head), quiz scorekeeper, timekeeper or MC."""

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id", ondelete="CASCADE"))
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16), default="judge")

    judge: Mapped[Judge] = relationship(back_populates="assignments")
    contest: Mapped[Contest] = relationship(back_populates="assignments")
    __table_args__ = (
        UniqueConstraint("judge_id", "contest_id"),
        CheckConstraint(f"role IN {ROLES}", name="role_known"),
        # One ketua juri per contest.
        Index("one_head_per_contest", "contest_id", unique=True,
              sqlite_where=text("role = 'head'"), postgresql_where=text("role = 'head'")),
    )


class Sheet(db.Model):
    """A judge's scores for one team in one contest; counts only once submitted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    contest: Mapped[Contest] = relationship()
    judge: Mapped[Judge] = relationship()
    team: Mapped[Team] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="sheet", cascade="all, delete-orphan")
    __table_args__ = (
        UniqueConstraint("contest_id", "judge_id", "team_id"),
        CheckConstraint("state IN ('draft', 'submitted')", name="sheet_state_known"),
    )

    @property
    def submitted(self) -> bool:
        """A submitted sheet is locked and counts toward the standings."""
        return self.state == "submitted"


class Score(db.Model):
    """One value per (judge, team, criterion); the database enforces the criterion's range."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheet.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    value: Mapped[Decimal] = mapped_column(Exact)

    sheet: Mapped[Sheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()
    __table_args__ = (UniqueConstraint("judge_id", "team_id", "criterion_id"),)


class SaveReceipt(db.Model):
    """A save id made on the tablet: the same id twice is stored once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="sheet")
    target_id: Mapped[Optional[int]] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (UniqueConstraint("judge_id", "client_id"),)


class ReopenRequest(db.Model):
    """A judge's request to reopen a submitted sheet; decided by the ketua juri or an organizer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheet.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    sheet: Mapped[Sheet] = relationship()
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="reopen_status_known"),
    )


class Penalty(db.Model):
    """Points taken off a team in a contest, with the reason and who entered it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    points: Mapped[Decimal] = mapped_column(Exact)
    reason: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    team: Mapped[Team] = relationship()
    __table_args__ = (CheckConstraint("points > 0", name="penalty_positive"),)


class QuizRound(db.Model):
    """A quiz round (babak) with its default point buttons."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    buttons: Mapped[list[str]] = mapped_column(JSON, default=list)

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    __table_args__ = (UniqueConstraint("contest_id", "name"),)


class QuizEntry(db.Model):
    """Points a team earned or lost on one quiz question; undone entries stay for the record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    round_id: Mapped[Optional[int]] = mapped_column(ForeignKey("quiz_round.id", ondelete="SET NULL"))
    question: Mapped[int] = mapped_column(default=1)
    points: Mapped[Decimal] = mapped_column(Exact)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone: Mapped[bool] = mapped_column(default=False)
    # The scorekeeper tablet (its browser session) that tapped it: undo takes back its own taps.
    tablet: Mapped[str] = mapped_column(String(32), default="", server_default="")

    team: Mapped[Team] = relationship()
    round: Mapped[Optional[QuizRound]] = relationship()


class Organizer(db.Model):
    """A panitia account; the password is stored only as a slow hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")  # see identity
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(db.Model):
    """Every change: who, when, from where, old and new value."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[Optional[int]] = mapped_column(Integer)
    event_id: Mapped[Optional[int]] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    contest_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    team_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    judge_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    old_value: Mapped[Optional[Any]] = mapped_column(JSON)
    new_value: Mapped[Optional[Any]] = mapped_column(JSON)
