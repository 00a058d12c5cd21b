"""Public pages: the landing page, the projector and the audience boards (read-only)."""
from flask import Blueprint, render_template

from ..extensions import db
from ..models import Contest, Event

bp = Blueprint("display", __name__)


def active_event() -> Event | None:
    """The event this deployment is running now."""
    return db.session.scalar(db.select(Event).filter_by(active=True).limit(1))


@bp.route("/")
def index():
    """Landing page: the event's contests and where judges, organizers and the hall go."""
    event = active_event()
    return render_template("display/index.html", event=event,
                           contests=event.contests if event else [])
