"""Kecamatan, teams and judges of the active event; judges' access codes and login cards."""
import segno
from flask import make_response, render_template, request, url_for
from flask_babel import gettext as _

from ..downloads import attachment
from ..models import Event, Judge, Region, Team
from ..services import cards, setup
from ..services.access import login_link
from .blueprint import bp
from .sections import checked, current_event, get_or_404, perform, section, section_response


@section("teams", "admin/teams.html", "admin/_teams.html", lambda _event: url_for("admin.teams"))
def teams_context(event: Event) -> dict:
    """Regions and teams of the event."""
    teams = sorted(event.teams, key=lambda t: (t.region.name, t.name))
    return {"event": event, "teams": teams, "regions": event.regions}


@bp.route("/teams")
def teams():
    """Regions and teams, edited in place."""
    return section_response("teams", current_event())


@bp.route("/regions", methods=["POST"])
def add_region():
    """Add a kecamatan."""
    event = current_event()
    return perform("teams", event, lambda: setup.add_region(event, request.form.get("name")),
                   _("Kecamatan ditambahkan."))


@bp.route("/regions/<int:region_id>/delete", methods=["POST"])
def delete_region(region_id):
    """Remove a kecamatan no team belongs to."""
    region = get_or_404(Region, region_id)
    return perform("teams", region.event, lambda: setup.delete_region(region),
                   _("Kecamatan dihapus."))


@bp.route("/teams", methods=["POST"])
@bp.route("/teams/<int:team_id>", methods=["POST"])
def save_team(team_id=None):
    """Add or edit a team."""
    event = current_event()
    team = get_or_404(Team, team_id) if team_id else None
    fields = {name: request.form.get(name) for name in ("name", "region_id", "village", "members")}
    return perform("teams", event, lambda: setup.save_team(event, team, **fields),
                   _("Tim disimpan."))


@bp.route("/teams/<int:team_id>/delete", methods=["POST"])
def delete_team(team_id):
    """Remove a team that has not been scored."""
    team = get_or_404(Team, team_id)
    event = team.event
    return perform("teams", event, lambda: setup.delete_team(team), _("Tim dihapus."))


@section("judges", "admin/judges.html", "admin/_judges.html",
         lambda _event: url_for("admin.judges"))
def judges_context(event: Event) -> dict:
    """Judges of the event with their seats."""
    return {"event": event, "judges": event.judges, "regions": event.regions,
            "seats": {j.id: cards.seats_of(j) for j in event.judges}}


@bp.route("/judges")
def judges():
    """Judges, their home kecamatan and seats; access codes and login cards."""
    return section_response("judges", current_event())


@bp.route("/judges", methods=["POST"])
@bp.route("/judges/<int:judge_id>", methods=["POST"])
def save_judge(judge_id=None):
    """Add or edit a judge."""
    event = current_event()
    judge = get_or_404(Judge, judge_id) if judge_id else None
    form = request.form
    return perform("judges", event, lambda: setup.save_judge(
        event, judge, name=form.get("name"), home_region_id=form.get("home_region_id"),
        confirm=checked("confirm")), _("Juri disimpan."))


def pdf_response(data: bytes, filename: str):
    """A PDF download that no cache keeps (it holds fresh access codes)."""
    return attachment(data, "application/pdf", filename)


@bp.route("/judges/<int:judge_id>/code", methods=["POST"])
def regenerate_code(judge_id):
    """Give one judge a new code (the old one stops working) and show it once, or its card."""
    judge = get_or_404(Judge, judge_id)
    if request.form.get("output") == "pdf":
        return pdf_response(cards.issue_cards([judge], judge.event.name),
                            f"kartu-juri-{judge.id}.pdf")
    (judge, code), = cards.regenerate_codes([judge])
    link = login_link(code)
    response = make_response(render_template("admin/new_code.html", judge=judge, code=code,
                                             link=link, qr=segno.make(link, error="m")))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/judges/cards", methods=["POST"])
def all_cards():
    """Regenerate every judge's code and download all login cards as one A4 PDF."""
    event = current_event()
    if not checked("confirm"):
        return section_response("judges", event, status=422, error=_(
            "Centang konfirmasi: semua kode lama langsung tidak berlaku."))
    return pdf_response(cards.issue_cards(list(event.judges), event.name), "kartu-juri.pdf")
