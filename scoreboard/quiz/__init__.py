"""The quiz scorekeeper's console (pencatat skor): tap points, undo, correct, pick who is on stage."""
from flask import (Blueprint, abort, flash, g, jsonify, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _

from ..extensions import db
from ..htmx import is_htmx
from ..i18n import points as format_points, wants_json
from ..identity import current_judge, tablet_id
from ..models import Contest, QuizEntry, QuizRound, Team
from ..params import to_id
from ..services import quiz as quiz_service, quiz_state
from ..services.errors import ServiceError
from ..services.standings import standings_for

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

LOG_LENGTH = 12


def wants_data() -> bool:
    """The console's script (and its offline outbox) asks for JSON instead of a page."""
    return wants_json() or request.headers.get("X-Quiz-Client") == "1"


@bp.before_request
def require_scorekeeper():
    """Only a logged-in scorekeeper of the contest in the URL; anonymous GETs go to the login."""
    g.judge = current_judge()
    if g.judge is None:
        if request.method == "GET" and not wants_data():
            return redirect(url_for("judge.index"))
        if wants_data():
            return jsonify(error=_("Sesi habis. Masuk lagi dengan kode akses.")), 401
        abort(403)
    g.actor = f"pencatat: {g.judge.name}"
    contest_id = (request.view_args or {}).get("contest_id")
    if contest_id is None:
        return None
    contest = db.session.get(Contest, contest_id)
    if contest is None or contest.kind != "quiz" or contest.event_id != g.judge.event_id:
        abort(404)
    if g.judge.role_in(contest) != "scorekeeper":
        abort(403)
    g.contest = contest
    return None


def kept_contests():
    """The quiz contests this judge keeps score for."""
    return [a.contest for a in g.judge.assignments
            if a.role == "scorekeeper" and a.contest.kind == "quiz"]


def teams_on_stage(contest: Contest) -> list[Team]:
    """The teams on stage now (a heat or the final), kept on the server; all by default."""
    chosen = quiz_state.stage_ids(contest)
    teams = contest.teams
    if not chosen:
        return teams
    return [team for team in teams if team.id in chosen] or teams


def console_context(contest: Contest, *, quiz_round: QuizRound | None = None,
                    question: int | None = None, error: str | None = None) -> dict:
    """Everything the console shows: grid, totals, the current round and question, the log."""
    position = quiz_state.position_of(contest)
    rows = {row.team.id: row for row in standings_for(contest)}
    return {
        "contest": contest,
        "judge": g.judge,
        "rounds": contest.rounds,
        "current_round": quiz_round or position.round,
        "question": question or position.question,
        "last": position.last,
        "teams": teams_on_stage(contest),
        "all_teams": contest.teams,
        "on_stage_ids": {team.id for team in teams_on_stage(contest)},
        "rows": rows,
        "entries": quiz_state.entries_for(contest, LOG_LENGTH),
        # Undo takes back this tablet's own last tap, whatever another tablet tapped since.
        "undoable": quiz_service.undoable_entry(contest, tablet_id()),
        "client_id": quiz_service.new_client_id(),
        "error": error,
    }


def console_response(contest: Contest, status: int = 200, **kwargs):
    """The console: the live part alone for htmx and the script, the full page otherwise."""
    context = console_context(contest, **kwargs)
    if wants_data():
        payload = {"ok": status < 400, "version": contest.version,
                   "html": render_template("quiz/_live.html", **context)}
        if kwargs.get("error"):
            payload["error"] = kwargs["error"]
        response = make_response(jsonify(payload), status)
    elif is_htmx():
        response = make_response(render_template("quiz/_live.html", **context), status)
    else:
        response = make_response(render_template("quiz/console.html", **context), status)
    response.vary.add("HX-Request")
    return response


def refuse(contest: Contest, error: ServiceError, **kwargs):
    """The console again with the reason, as the error's 4xx status."""
    return console_response(contest, status=error.status, error=error.message, **kwargs)


def after_write(contest: Contest, message: str | None = None, **kwargs):
    """JSON/partial for scripts and htmx; a redirect (post/redirect/get) for a plain form."""
    if wants_data() or is_htmx():
        return console_response(contest, **kwargs)
    if message:
        flash(message, "success")
    return redirect(url_for("quiz.console", contest_id=contest.id, **{
        k: v for k, v in (("round", getattr(kwargs.get("quiz_round"), "id", None)),
                          ("question", kwargs.get("question"))) if v}))


def form_round(contest: Contest) -> QuizRound | None:
    """The round named in the form (or query), if it belongs to the contest."""
    value = to_id(request.values.get("round", ""))
    if value is None:
        return None
    quiz_round = db.session.get(QuizRound, value)
    return quiz_round if quiz_round is not None and quiz_round.contest_id == contest.id else None


@bp.route("/")
def index():
    """The contests this scorekeeper keeps score for (straight to the console when only one)."""
    contests = kept_contests()
    if len(contests) == 1:
        return redirect(url_for("quiz.console", contest_id=contests[0].id))
    if not contests:
        abort(403)
    return render_template("quiz/index.html", contests=contests, judge=g.judge)


@bp.route("/<int:contest_id>")
def console(contest_id: int):
    """The scorekeeper's console: a button per team and point value, undo and the log."""
    return console_response(g.contest, quiz_round=form_round(g.contest),
                            question=to_id(request.args.get("question", "")))


@bp.route("/<int:contest_id>/tap", methods=["POST"])
def tap(contest_id: int):
    """One tap: points for a team on the current round and question (idempotent by its id)."""
    contest = g.contest
    # A button sends "team:points" as its value, so a plain form needs no script.
    team_value, _sep, points = request.form.get("tap", "").partition(":")
    team_value = request.form.get("team", team_value)
    points = request.form.get("points", points)
    quiz_round = form_round(contest)
    question = request.form.get("question", "")
    team = db.session.get(Team, to_id(team_value)) if to_id(team_value) else None
    if request.form.get("round") and quiz_round is None:
        return refuse(contest, ServiceError(422, _("Babak ini bukan milik lomba ini.")))
    try:
        entry, _new = quiz_service.record_tap(contest, team, quiz_round, question, points,
                                              request.form.get("client_id"), g.judge, tablet_id())
    except ServiceError as error:
        return refuse(contest, error, quiz_round=quiz_round)
    return after_write(contest, quiz_round=entry.round, question=entry.question)


@bp.route("/<int:contest_id>/undo", methods=["POST"])
def undo(contest_id: int):
    """Undo the newest entry that still counts."""
    contest = g.contest
    try:
        entry = quiz_service.undo_last(contest, g.judge, request.form.get("client_id"),
                                       tablet=tablet_id())
    except ServiceError as error:
        return refuse(contest, error)
    return after_write(contest, _("Dibatalkan: %(points)s untuk %(team)s.",
                                  points=format_points(entry.points, signed=True),
                                  team=entry.team.name))


def load_entry(contest: Contest, entry_id: int) -> QuizEntry:
    entry = db.session.get(QuizEntry, entry_id)
    if entry is None or entry.contest_id != contest.id:
        abort(404)
    return entry


@bp.route("/<int:contest_id>/entries/<int:entry_id>/correct", methods=["GET", "POST"])
def correct(contest_id: int, entry_id: int):
    """Correct the points of one entry, with a reason (audited)."""
    contest = g.contest
    entry = load_entry(contest, entry_id)
    if request.method == "GET":
        return render_template("quiz/correct.html", contest=contest, entry=entry, judge=g.judge,
                               error=None, form={})
    try:
        quiz_service.correct_entry(entry, request.form.get("points"), request.form.get("reason"),
                                   g.judge)
    except ServiceError as error:
        if wants_data() or is_htmx():
            return refuse(contest, error)
        return render_template("quiz/correct.html", contest=contest, entry=entry, judge=g.judge,
                               error=error.message, form=request.form), error.status
    return after_write(contest, _("Poin %(team)s sudah dikoreksi.", team=entry.team.name))


@bp.route("/<int:contest_id>/stage", methods=["POST"])
def stage(contest_id: int):
    """Choose the teams on stage (a heat or the final): every tablet and the board follow."""
    contest = g.contest
    try:
        quiz_service.set_stage(contest, request.form.getlist("team"))
    except ServiceError as error:
        return refuse(contest, error)
    return after_write(contest, _("Tim di panggung diperbarui."))
