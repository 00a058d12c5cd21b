"""Setting up one contest: settings, criteria, teams entered, the panel and quiz rounds."""
from flask import request, url_for
from flask_babel import gettext as _

from ..engine import METHODS
from ..extensions import db
from ..models import Contest, Criterion, QuizRound
from ..services import contest_setup as contest_service, quiz, setup
from .blueprint import bp
from .sections import (checked, contest_section, current_event, get_or_404, part_of_contest,
                       perform)


@contest_section("setup", "admin/contest_setup.html", "admin/_contest_setup.html",
                 "/contests/<int:contest_id>/setup", "contest_setup")
def setup_context(contest: Contest) -> dict:
    """A contest's settings, criteria, teams entered and panel."""
    db.session.refresh(contest)
    return {"contest": contest, "event": contest.event, "methods": METHODS,
            "scored": setup.has_scores(contest),
            "entered": {e.team_id for e in contest.entries},
            "roles": {a.judge_id: a.role for a in contest.assignments}}


@bp.route("/contests", methods=["POST"])
def create_contest():
    """Add a contest."""
    event = current_event()
    form = request.form
    return perform("dashboard", event, lambda: contest_service.save_contest(
        event, None, name=form.get("name"), kind=form.get("kind", "rubric"),
        method=form.get("method", "mean")), _("Lomba dibuat."),
        then=lambda contest: url_for("admin.contest_setup", contest_id=contest.id))


@bp.route("/contests/<int:contest_id>/settings", methods=["POST"])
def contest_settings(contest_id):
    """Change a contest's kind, method, tie-break criteria, awards and draft/open status."""
    contest = get_or_404(Contest, contest_id)
    form = request.form
    return perform("setup", contest, lambda: contest_service.save_contest(
        contest.event, contest, name=form.get("name"), kind=form.get("kind"),
        method=form.get("method"), status=form.get("status"),
        tie_break=form.getlist("tie_break"), award_labels=form.get("award_labels"),
        award_count=form.get("award_count"), confirm=checked("confirm")),
        _("Pengaturan lomba disimpan."))


@bp.route("/contests/<int:contest_id>/criteria", methods=["POST"])
@bp.route("/criteria/<int:criterion_id>", methods=["POST"])
def save_criterion(contest_id=None, criterion_id=None):
    """Add or change a criterion (a scored contest needs confirmation)."""
    criterion, contest = part_of_contest(Criterion, criterion_id, contest_id)
    form = request.form
    return perform("setup", contest, lambda: contest_service.save_criterion(
        contest, criterion, name=form.get("name"), description=form.get("description"),
        weight=form.get("weight", "1"), min_score=form.get("min_score"),
        max_score=form.get("max_score"), step=form.get("step"), position=form.get("position"),
        confirm=checked("confirm")), _("Kriteria disimpan."))


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
def delete_criterion(criterion_id):
    """Remove a criterion (a scored contest needs confirmation)."""
    criterion = get_or_404(Criterion, criterion_id)
    contest = criterion.contest
    return perform("setup", contest, lambda: contest_service.delete_criterion(
        criterion, confirm=checked("confirm")), _("Kriteria dihapus."))


@bp.route("/contests/<int:contest_id>/entries", methods=["POST"])
def contest_entries(contest_id):
    """Choose the teams taking part."""
    contest = get_or_404(Contest, contest_id)
    return perform("setup", contest, lambda: contest_service.set_entries(
        contest, request.form.getlist("team_id"), confirm=checked("confirm")),
        _("Peserta lomba disimpan."))


@bp.route("/contests/<int:contest_id>/panel", methods=["POST"])
def contest_panel(contest_id):
    """Assign judges, the ketua juri, scorekeepers, timekeepers and MCs (a scored contest needs confirmation)."""
    contest = get_or_404(Contest, contest_id)
    form = request.form
    return perform("setup", contest, lambda: contest_service.set_panel(
        contest, form.getlist("judge_id"), form.get("head_id"), form.getlist("scorekeeper_id"),
        confirm=checked("confirm"), timekeeper_ids=form.getlist("timekeeper_id"),
        mc_ids=form.getlist("mc_id")), _("Susunan juri disimpan."))


@bp.route("/contests/<int:contest_id>/rounds", methods=["POST"])
@bp.route("/rounds/<int:round_id>", methods=["POST"])
def save_round(contest_id=None, round_id=None):
    """Add a quiz round (babak) with its point buttons, or rename it and change its buttons."""
    quiz_round, contest = part_of_contest(QuizRound, round_id, contest_id)
    return perform("setup", contest, lambda: quiz.save_round(
        contest, request.form.get("name"), request.form.get("buttons", ""), quiz_round),
        _("Babak disimpan."))


@bp.route("/rounds/<int:round_id>/delete", methods=["POST"])
def delete_round(round_id):
    """Remove a quiz round that has no points yet."""
    quiz_round = get_or_404(QuizRound, round_id)
    contest = quiz_round.contest
    return perform("setup", contest, lambda: quiz.delete_round(contest, quiz_round),
                   _("Babak dihapus."))
