"""The MC's phone: read-only, what to say now, from the same boards the hall screen shows."""
from flask import abort, g, make_response, render_template, url_for

from ..models import Event
from ..services.mc import event_for_token, mc_view
from ..services.setup import active_event
from .blueprint import bp


def mc_response(template: str, event: Event | None, live_url: str):
    """The MC's page or its live part; never cached (it follows the hall)."""
    if event is None:
        abort(404)
    response = make_response(render_template(template, mc=mc_view(event), live_url=live_url,
                                             judge=g.get("judge")))
    response.headers["Cache-Control"] = "no-store"
    return response


def seat_event() -> Event | None:
    """The active event, if this browser is an organizer or holds an MC seat in it."""
    event = active_event()
    judge = g.get("judge")
    if judge is not None and (event is None or judge.event_id != event.id
                              or not any(a.role == "mc" for a in judge.assignments)):
        abort(403)
    return event


@bp.route("/mc")
def mc():
    """The MC's page: on stage and up next, the reveal's sentences, the winners in reading order."""
    return mc_response("stage/mc.html", seat_event(), url_for("stage.mc_live"))


@bp.route("/mc/live")
def mc_live():
    """The MC's page's live part alone (refetched when the hall's boards change)."""
    return mc_response("stage/_mc.html", seat_event(), url_for("stage.mc_live"))


@bp.route("/mc/link/<token>")
def mc_link(token: str):
    """The MC's page from the console's link (no seat needed: it shows only what the hall shows)."""
    return mc_response("stage/mc.html", event_for_token(token),
                       url_for("stage.mc_link_live", token=token))


@bp.route("/mc/link/<token>/live")
def mc_link_live(token: str):
    """The live part of the MC's page opened from the console's link."""
    return mc_response("stage/_mc.html", event_for_token(token),
                       url_for("stage.mc_link_live", token=token))
