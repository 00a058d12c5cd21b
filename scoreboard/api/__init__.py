"""The public read-only JSON API of rules §4: contests and their public standings."""
from flask import Blueprint, abort

from ..extensions import db
from ..models import Contest, Event
from ..services.public_board import public_board, public_version
from ..services.setup import active_event

bp = Blueprint("api", __name__, url_prefix="/api")


def event_json(event: Event) -> dict:
    """An event as the API shows it."""
    return {"id": event.id, "name": event.name, "venue": event.venue,
            "date": event.held_on.isoformat(), "timezone": event.timezone}


def contest_json(contest: Contest) -> dict:
    """A contest's summary (no standings: cheap enough for a 30-second backstop poll)."""
    return {"id": contest.id, "name": contest.name, "kind": contest.kind,
            "status": contest.status, "version": public_version(contest),
            "frozen": contest.frozen, "display_state": contest.display_state}


@bp.after_request
def no_store(response):
    """Live data: never cached by a browser or proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/contests")
def contests():
    """The active event and its contests with their public versions."""
    event = active_event()
    if event is None:
        return {"event": None, "contests": []}
    return {"event": event_json(event), "contests": [contest_json(c) for c in event.contests]}


@bp.route("/contests/<int:contest_id>/standings")
def standings(contest_id: int):
    """A contest's public standings (the frozen ones while frozen; revealed rows only in a reveal)."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    board = public_board(contest)
    return {"contest": contest_json(contest), "version": board.version,
            "status": contest.status, "frozen": board.frozen,
            "display_state": board.state, "rows": board.rows_json()}
