"""Public pages: the landing page, the projector and the audience boards (read-only)."""
import segno
from flask import Blueprint, abort, render_template

from ..extensions import db
from ..htmx import page_or_partial
from ..models import Contest, Event
from ..services.public_board import overall_board, public_board
from ..services.setup import active_event
from ..urls import public_url

bp = Blueprint("display", __name__)


def render_page_or_partial(page: str, partial: str, **context):
    """The shared page-or-partial answer, never cached (a board is live)."""
    response = page_or_partial(page, partial, **context)
    # A board is live: a cached copy would be a stale board after a reconnect.
    response.headers["Cache-Control"] = "no-store"
    return response


def audience_url(contest: Contest) -> str:
    """The phone board's address as the audience's phones reach it (PUBLIC_BASE_URL if set)."""
    return public_url("display.board", contest_id=contest.id)


def qr_data_uri(url: str) -> str:
    """A QR code of a URL as an inline SVG (made here: the venue may have no internet)."""
    return segno.make(url, error="m").svg_data_uri(scale=8, dark="#000", light="#fff", border=2)


def hall_context(event: Event | None) -> dict:
    """What the hall screen shows now: one contest's board or the juara umum table."""
    if event is None:
        return {"event": None, "board": None, "overall": None}
    if event.hall_view == "overall":
        # Its QR code opens the juara umum table on the phones, as a contest's opens its board.
        url = public_url("display.overall")
        return {"event": event, "board": None, "overall": overall_board(event),
                "audience_url": url, "qr": qr_data_uri(url)}
    contest = (db.session.get(Contest, event.hall_contest_id) if event.hall_contest_id else None) \
        or (event.contests[0] if event.contests else None)
    if contest is None:
        return {"event": event, "board": None, "overall": None}
    url = audience_url(contest)
    return {"event": event, "board": public_board(contest), "overall": None,
            "audience_url": url, "qr": qr_data_uri(url)}


@bp.route("/")
def index():
    """Landing page: the event's contests and where judges, organizers and the hall go."""
    event = active_event()
    return render_template("display/index.html", event=event,
                           contests=event.contests if event else [])


@bp.route("/display")
def hall():
    """The hall projector: follows the contest (or juara umum) the organizer puts on screen."""
    return render_page_or_partial("display/hall.html", "display/_screen.html",
                                  **hall_context(active_event()))


@bp.route("/display/<int:contest_id>")
def projector(contest_id: int):
    """The projector pinned to one contest."""
    contest = db.get_or_404(Contest, contest_id)
    url = audience_url(contest)
    return render_page_or_partial("display/projector.html", "display/_standings.html",
                                  board=public_board(contest), event=contest.event,
                                  audience_url=url, qr=qr_data_uri(url))


@bp.route("/board/<int:contest_id>")
def board(contest_id: int):
    """The same board laid out for an audience phone."""
    contest = db.get_or_404(Contest, contest_id)
    return render_page_or_partial("display/board.html", "display/_standings.html",
                                  board=public_board(contest), event=contest.event)


@bp.route("/overall")
def overall():
    """The juara umum table of the active event over its published contests."""
    event = active_event()
    if event is None:
        abort(404)
    return render_page_or_partial("display/overall.html", "display/_overall.html",
                                  event=event, overall=overall_board(event))
