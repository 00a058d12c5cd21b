"""The stage of one contest on the console: time limits, the timer of the team on stage, recorded
durations, proposed penalties to confirm or dismiss, the next team in one tap and the MC's link."""
from flask import g, request
from flask_babel import gettext as _

from ..extensions import db
from ..models import Contest
from ..services import contest_setup
from ..services.display_state import next_performer
from ..services.mc import mc_token
from ..services.stage_timer import confirm_proposal, dismiss_proposal, proposals_for
from ..services.stage_view import durations_for, timer_view, up_next
from ..stage_models import ProposedPenalty
from ..urls import public_url
from .blueprint import bp
from .sections import contest_section, get_or_404, perform, section_response


@contest_section("stage", "admin/stage.html", "admin/_stage.html",
                 "/contests/<int:contest_id>/stage", "contest_stage")
def stage_context(contest: Contest) -> dict:
    """The contest's stage: limits, the timer on stage, who is next, durations and proposals."""
    db.session.refresh(contest)
    durations = durations_for(contest)
    return {"contest": contest, "event": contest.event, "limit": contest.time_limit,
            "timer": timer_view(contest), "up_next": up_next(contest),
            "rows": [(entry, durations.get(entry.team_id)) for entry in contest.entries],
            "proposals": proposals_for(contest),
            "decided": [p for p in proposals_for(contest, None) if p.status != "proposed"],
            "timekeepers": contest.judges_with_role("timekeeper"),
            "mc_url": public_url("stage.mc_link", token=mc_token(contest.event))}


@bp.route("/contests/<int:contest_id>/time-limits", methods=["POST"])
def time_limits(contest_id):
    """Set the contest's time range and its overtime rule (blank range: no limits)."""
    contest = get_or_404(Contest, contest_id)
    form = request.form
    return perform("stage", contest, lambda: contest_setup.set_time_limits(
        contest, minimum=form.get("minimum"), maximum=form.get("maximum"),
        step=form.get("step"), points=form.get("points"), cap=form.get("cap")),
        _("Batas waktu disimpan."))


@bp.route("/contests/<int:contest_id>/stage/next", methods=["POST"])
def stage_next(contest_id):
    """The next team in the drawn order takes the stage (one tap)."""
    contest = get_or_404(Contest, contest_id)
    return perform("stage", contest, lambda: next_performer(contest), _("Tim tampil diperbarui."))


@bp.route("/proposals/<int:proposal_id>", methods=["POST"])
def decide_proposal(proposal_id):
    """Confirm a proposed penalty (it is deducted and pushed) or dismiss it with a reason."""
    proposal = get_or_404(ProposedPenalty, proposal_id)
    contest = get_or_404(Contest, proposal.contest_id)
    decision = request.form.get("decision")
    if decision == "confirm":
        return perform("stage", contest, lambda: confirm_proposal(contest, proposal, g.actor),
                       _("Pengurangan nilai dikonfirmasi."))
    if decision == "dismiss":
        return perform("stage", contest, lambda: dismiss_proposal(
            contest, proposal, request.form.get("reason"), g.actor),
            _("Usulan pengurangan nilai ditolak."))
    return section_response("stage", contest, error=_("Pilih konfirmasi atau tolak."), status=422)
