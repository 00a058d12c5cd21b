"""The stage blueprint and its guard: seats (timekeeper, MC) log in by code or QR like a judge."""
from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from ..i18n import wants_json
from ..identity import enter_as_organizer, seat_judge

bp = Blueprint("stage", __name__, url_prefix="/stage")

# The MC's page also opens from a link the console shows (no seat needed): it only ever shows
# what the hall screen already shows.
MC_ENDPOINTS = {"stage.mc", "stage.mc_live", "stage.mc_link", "stage.mc_link_live"}


def wants_data() -> bool:
    """The timekeeper's script (and its offline outbox) asks for JSON instead of a page."""
    return wants_json() or request.headers.get("X-Timer-Client") == "1"


@bp.before_request
def require_seat():
    """A logged-in seat (the MC's pages: or an organizer, or the console's link)."""
    if seat_judge() is not None:
        return None
    if request.endpoint in MC_ENDPOINTS and (request.endpoint.startswith("stage.mc_link")
                                             or enter_as_organizer() is not None):
        return None
    if wants_data():
        return jsonify(ok=False, error=_("Sesi habis. Masuk lagi dengan kode akses.")), 401
    if request.method == "GET":
        return redirect(url_for("judge.index"))
    abort(403)
