"""The control desk: the event, every contest's progress, juara umum and the hall screen."""
from flask import render_template, request, url_for
from flask_babel import gettext as _

from ..engine import DEFAULT_AWARDS
from ..engine.overall import DEFAULT_POINTS
from ..models import Contest
from ..params import to_id
from ..services import running, setup
from ..services.display_state import set_hall_contest
from ..services.sheets import pending_reopens
from .blueprint import bp
from .sections import current_event, get_or_404, perform, section, section_response


@section("dashboard", "admin/dashboard.html", "admin/_hall.html",
         lambda _event: url_for("admin.dashboard"))
def dashboard_context(_event=None) -> dict:
    """The event, its contests with progress, and what the hall shows."""
    event = setup.active_event()
    contests = event.contests if event else []
    points = (event.award_points if event and event.award_points
              else {label: str(value) for label, value in DEFAULT_POINTS.items()})
    return {"event": event, "contests": contests,
            "overall_points": [(label, points.get(label, "0")) for label in DEFAULT_AWARDS],
            "progress": {c.id: running.judging_matrix(c) for c in contests if c.kind == "rubric"},
            "pending": {c.id: pending_reopens(c) for c in contests}}


@bp.route("/")
def dashboard():
    """The control desk: the event, every contest's progress and the hall screen."""
    return render_template("admin/dashboard.html", error="", **dashboard_context())


@bp.route("/event", methods=["POST"])
def save_event():
    """Create the active event or change its name, venue and date."""
    form = request.form
    event = setup.active_event()
    return perform("dashboard", event, lambda: setup.save_event(
        event, name=form.get("name"), venue=form.get("venue"), held_on=form.get("held_on")),
        _("Acara disimpan."))


@bp.route("/hall", methods=["POST"])
def hall():
    """Choose what the hall screen shows: one contest, or the juara umum table."""
    event = current_event()
    choice = request.form.get("show", "")
    contest = None
    if choice != "overall":
        if to_id(choice) is None:
            return section_response("dashboard", event, error=_("Pilih tampilan aula."), status=422)
        contest = get_or_404(Contest, to_id(choice))
    return perform("dashboard", event, lambda: set_hall_contest(event, contest),
                   _("Layar aula diperbarui."))


@bp.route("/event/overall", methods=["POST"])
def overall_mode():
    """Rank the juara umum by medals or by points per award."""
    event = current_event()
    points = {label: request.form.get(f"points_{n}") for n, label in enumerate(DEFAULT_AWARDS)}
    return perform("dashboard", event, lambda: setup.save_overall_mode(
        event, request.form.get("mode"), points), _("Cara menghitung juara umum disimpan."))
