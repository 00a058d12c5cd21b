"""The audit trail: every change with who, when, from where, old and new value."""
from typing import Any

from flask import g, has_request_context, request

from ..extensions import db
from ..models import AuditEntry, Event


def current_actor() -> str:
    """Who is acting: set by each blueprint's guard (g.actor), else the command line."""
    if has_request_context():
        return getattr(g, "actor", None) or "anonim"
    return "sistem (CLI)"


def trail(event: Event) -> list[AuditEntry]:
    """The event's audit entries (and its contests'), oldest first."""
    contest_ids = [c.id for c in event.contests]
    return list(db.session.scalars(
        db.select(AuditEntry)
        .where(db.or_(AuditEntry.event_id == event.id, AuditEntry.contest_id.in_(contest_ids)))
        .order_by(AuditEntry.at, AuditEntry.id)))


def record(action: str, entity: str, *, entity_id: int | None = None, event_id: int | None = None,
           contest_id: int | None = None, team_id: int | None = None, judge_id: int | None = None,
           old: Any = None, new: Any = None, actor: str | None = None) -> AuditEntry:
    """Add an audit entry to the current transaction (committed with the change it records)."""
    entry = AuditEntry(
        actor=actor or current_actor(),
        remote_addr=(request.remote_addr or "") if has_request_context() else "",
        action=action, entity=entity, entity_id=entity_id, event_id=event_id,
        contest_id=contest_id, team_id=team_id, judge_id=judge_id, old_value=old, new_value=new)
    db.session.add(entry)
    return entry
