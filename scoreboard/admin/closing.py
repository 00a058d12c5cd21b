"""Closing a contest: lock, unlock with a reason, publish (complete or overridden), withdraw."""
from flask import request
from flask_babel import gettext as _

from ..models import Contest
from ..services import running
from .blueprint import bp
from .sections import checked, get_or_404, perform


@bp.route("/contests/<int:contest_id>/lock", methods=["POST"])
def lock(contest_id):
    """Lock the contest: no more saves."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.lock_contest(contest), _("Lomba dikunci."))


@bp.route("/contests/<int:contest_id>/publish", methods=["POST"])
def publish(contest_id):
    """Publish the results (complete, or with an override reason; ties acknowledged)."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.publish_contest(
        contest, override_reason=request.form.get("override_reason", ""),
        acknowledge_ties=checked("acknowledge_ties"), confirm_public=checked("confirm_public")),
        _("Hasil lomba diumumkan."))


@bp.route("/contests/<int:contest_id>/unlock", methods=["POST"], endpoint="unlock",
          defaults={"action": "unlock"})
@bp.route("/contests/<int:contest_id>/unpublish", methods=["POST"], endpoint="unpublish",
          defaults={"action": "unpublish"})
def step_back(contest_id, action):
    """Open a locked contest again, or withdraw published results; both with a reason."""
    contest = get_or_404(Contest, contest_id)
    done = {"unlock": _("Lomba dibuka kembali."), "unpublish": _("Pengumuman dibatalkan.")}
    return perform("run", contest, lambda: running.step_back(
        contest, action, request.form.get("reason", "")), done[action])
