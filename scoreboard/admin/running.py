"""Running one contest on the day: order, now performing, display state, penalties, reopens."""
from flask import abort, g, make_response, render_template, request
from flask_babel import gettext as _

from ..extensions import db
from ..models import DISPLAY_STATES, Contest, Penalty, ReopenRequest, Team
from ..params import to_id
from ..services import access, running
from ..services.display_state import (next_performer, previous_performer, reveal_next,
                                      set_display_state, set_now_performing)
from ..services.sheets import decide_reopen as decide, pending_reopens
from ..services.standings import standings_for
from .blueprint import bp
from .live import live_context
from .sections import (checked, contest_section, get_or_404, penalty_or_404, perform,
                       section_response)


@contest_section("run", "admin/contest.html", "admin/_contest_run.html",
                 "/contests/<int:contest_id>", "contest")
def run_context(contest: Contest) -> dict:
    """Everything the control desk needs for one contest."""
    db.session.refresh(contest)
    penalties = list(db.session.scalars(db.select(Penalty).filter_by(contest_id=contest.id)
                                        .order_by(Penalty.created_at)))
    standings = standings_for(contest)
    matrix = running.judging_matrix(contest)
    return {**live_context(contest, standings), "event": contest.event,
            "matrix": matrix, "penalties": penalties,
            "order_started": running.order_started(contest, matrix),
            "reopens": pending_reopens(contest), "withheld_warning": running.withheld_warning(contest)}


@bp.route("/contests/<int:contest_id>/matrix")
def matrix(contest_id):
    """The judging matrix alone (refreshed when a judge saves)."""
    contest = get_or_404(Contest, contest_id)
    response = make_response(render_template("admin/_matrix.html", contest=contest,
                                             matrix=running.judging_matrix(contest)))
    response.vary.add("HX-Request")
    return response


@bp.route("/contests/<int:contest_id>/order", methods=["POST"])
def contest_order(contest_id):
    """Set the performance order by hand."""
    contest = get_or_404(Contest, contest_id)
    numbers = {e.team_id: request.form.get(f"order_{e.team_id}", "") for e in contest.entries}
    return perform("run", contest,
                   lambda: running.set_order(contest, numbers, request.form.get("reason", "")),
                   _("Urutan tampil disimpan."))


@bp.route("/contests/<int:contest_id>/draw", methods=["POST"])
def contest_draw(contest_id):
    """Draw the performance order at random (undian), with a recorded seed."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest,
                   lambda: running.draw_order(contest, request.form.get("seed"),
                                              request.form.get("reason", "")),
                   _("Urutan tampil diundi."))


@bp.route("/contests/<int:contest_id>/now", methods=["POST"])
def now_performing(contest_id):
    """Move "now performing": next, previous, a given team, or nobody."""
    contest = get_or_404(Contest, contest_id)
    move = request.form.get("move", "")
    moves = {"next": next_performer, "previous": previous_performer,
             "none": lambda contest: set_now_performing(contest, None)}
    if move not in moves and to_id(move) is None:
        return section_response("run", contest, error=_("Pilihan tidak dikenal."), status=422)
    team = get_or_404(Team, to_id(move)) if move not in moves else None
    move_to = moves.get(move, lambda contest: set_now_performing(contest, team))
    return perform("run", contest, lambda: move_to(contest), _("Tim tampil diperbarui."))


@bp.route("/contests/<int:contest_id>/display", methods=["POST"])
def display_state(contest_id):
    """Switch what the public sees of the contest: live, hidden, frozen, reveal, reveal next."""
    contest = get_or_404(Contest, contest_id)
    state = request.form.get("state", "")
    if state != "reveal_next" and state not in DISPLAY_STATES:
        return section_response("run", contest, error=_("Status tampilan tidak dikenal."),
                                status=422)
    return perform("run", contest, lambda: reveal_next(contest) if state == "reveal_next"
                   else set_display_state(contest, state,
                                          confirm_provisional=checked("confirm_provisional")),
                   _("Tampilan publik diperbarui."))


@bp.route("/contests/<int:contest_id>/penalties", methods=["POST"])
def add_penalty(contest_id):
    """Take points off a team, with a reason."""
    contest = get_or_404(Contest, contest_id)
    team_id = to_id(request.form.get("team_id", ""))
    if team_id is None:
        return section_response("run", contest, error=_("Pilih tim."), status=422)
    team = get_or_404(Team, team_id)
    return perform("run", contest, lambda: running.add_penalty(
        contest, team, request.form.get("points"), request.form.get("reason"), g.actor),
        _("Pengurangan nilai dicatat."))


@bp.route("/penalties/<int:penalty_id>/delete", methods=["POST"])
def delete_penalty(penalty_id):
    """Withdraw a penalty entered by mistake."""
    penalty = penalty_or_404(penalty_id)
    contest = db.session.get(Contest, penalty.contest_id)
    return perform("run", contest, lambda: running.remove_penalty(contest, penalty),
                   _("Pengurangan nilai dibatalkan."))


@bp.route("/reopen/<int:request_id>", methods=["POST"])
def decide_reopen(request_id):
    """Approve or refuse a judge's request to reopen a sheet, with a reason."""
    reopen = db.session.get(ReopenRequest, request_id)
    if reopen is None:
        abort(404)
    contest = get_or_404(Contest, reopen.sheet.contest_id)
    decision = request.form.get("decision")
    if decision not in ("approve", "refuse"):
        return section_response("run", contest, error=_("Pilih setujui atau tolak."), status=422)
    return perform("run", contest, lambda: decide(
        reopen, decision == "approve", request.form.get("reason", ""), g.actor),
        _("Permintaan buka kembali diputuskan."))


@bp.route("/contests/<int:contest_id>/judge-sessions", methods=["POST"])
def end_judge_sessions(contest_id):
    """Log every judge of the contest out on every tablet (a lost or borrowed tablet)."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: access.end_judge_sessions(contest),
                   _("Semua juri lomba ini sudah dikeluarkan; mereka masuk lagi dengan kodenya."))
