"""The timekeeper's tablet: the team on stage, its timer and big start/pause/stop/reset buttons."""
import uuid

from flask import abort, g, jsonify, redirect, render_template, request, url_for

from ..extensions import db
from ..models import Contest, Team
from ..params import to_id
from ..services import stage_timer
from ..services.errors import ServiceError
from ..services.stage_view import entry_of, timer_view, up_next
from .blueprint import bp, wants_data


def timed_contest(contest_id: int) -> Contest:
    """A contest this seat keeps time for: 404 unknown, 403 not the timekeeper."""
    contest = db.session.get(Contest, contest_id)
    if contest is None or contest.event_id != g.judge.event_id:
        abort(404)
    if g.judge.role_in(contest) != "timekeeper":
        abort(403)
    g.actor = f"pencatat waktu: {g.judge.name}"
    return contest


def timer_context(contest: Contest, error: str | None = None) -> dict:
    """What the timekeeper's tablet shows: the team on stage, its timer, who is next, the rest."""
    entry = entry_of(contest, contest.now_performing_id)
    others = [e for e in contest.entries if e is not entry and e.timer is not None
              and e.timer.state in ("running", "paused")]
    return {"contest": contest, "judge": g.judge, "entry": entry, "timer": timer_view(contest),
            "up_next": up_next(contest), "others": [(e, timer_view(contest, e)) for e in others],
            "durations": [(e, e.timer.duration_ms) for e in contest.entries
                          if e.timer is not None and e.timer.duration_ms is not None],
            "error": error, "client_id": uuid.uuid4().hex}


@bp.route("/timer/<int:contest_id>")
def timer(contest_id: int):
    """The timekeeper's tablet: the team now performing and big start/pause/stop/reset buttons."""
    contest = timed_contest(contest_id)
    return render_template("stage/timer.html", **timer_context(contest))


@bp.route("/timer/<int:contest_id>/tap", methods=["POST"])
def tap(contest_id: int):
    """One tap of the stage timer (idempotent by its save id; `age_ms` says when it was tapped)."""
    contest = timed_contest(contest_id)
    team_id = to_id(request.form.get("team_id", ""))
    team = db.session.get(Team, team_id) if team_id is not None else None
    action = request.form.get("action", "")
    try:
        saved, new = stage_timer.tap(contest, team, action, request.form.get("client_id"),
                                     request.form.get("age_ms"), g.judge)
    except ServiceError as error:
        if wants_data():
            return jsonify(ok=False, error=error.message), error.status
        return render_template("stage/timer.html", **timer_context(contest, error.message)), \
            error.status
    if wants_data():
        return jsonify(ok=True, repeat=not new, timer=timer_view(contest, saved.entry).as_json())
    return redirect(url_for("stage.timer", contest_id=contest.id))

