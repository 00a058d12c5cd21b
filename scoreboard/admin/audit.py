"""The audit trail: every change with who, when, from where, old and new value."""
from flask import request

from ..extensions import db
from ..htmx import page_or_partial
from ..models import AuditEntry
from ..params import to_id
from .blueprint import bp
from .sections import current_event


@bp.route("/audit")
def audit_trail():
    """Every change with who, when, from where, old and new value; filter by contest, team, judge."""
    event = current_event()
    # Several years of events share the database: show this event's entries (and event-less ones).
    query = (db.select(AuditEntry)
             .where((AuditEntry.event_id == event.id) | AuditEntry.event_id.is_(None))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    filters = {}
    for key, column in (("contest", AuditEntry.contest_id), ("team", AuditEntry.team_id),
                        ("judge", AuditEntry.judge_id)):
        value = to_id(request.args.get(key, ""))
        if value is not None:
            filters[key] = value
            query = query.where(column == value)
    entries = list(db.session.scalars(query.limit(500)))
    return page_or_partial("admin/audit.html", "admin/_audit.html", event=event,
                           entries=entries, filters=filters)
