"""The organizer console (/admin): set up the event, run the day, approve corrections, publish.

Only organizers reach it. Routes parse and authorize; the services in scoreboard/services/
do the transactions, audit entries and pushes. Every page section is a partial with a stable
id: htmx posts get the partial back, plain form posts are redirected to the page.
"""
import functools
import secrets
from urllib.parse import urlparse

from flask import (Blueprint, abort, flash, g, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..engine import METHODS
from ..downloads import attachment
from ..extensions import db, limiter
from ..htmx import is_htmx, page_or_partial
from ..labels import METHOD_LABELS, STATUS_LABELS
from ..models import (DISPLAY_STATES, AuditEntry, Contest, Criterion, Event, Judge, Organizer,
                      Penalty, QuizRound, Region, ReopenRequest, Sheet, Team)
from ..params import to_id
from ..services import access, cards, importer, quiz, running, setup
from ..services.display_state import (DisplayStateError, next_performer, previous_performer,
                                      reveal_next, set_display_state, set_hall_contest,
                                      set_now_performing)
from ..services.sheets import SheetError, decide_reopen as decide

bp = Blueprint("admin", __name__, url_prefix="/admin")

PUBLIC_ENDPOINTS = {"admin.login"}
SERVICE_ERRORS = (setup.SetupError, running.RunningError, DisplayStateError, SheetError,
                  quiz.QuizError)


@bp.before_request
def require_organizer():
    """Organizers only: anonymous visitors go to the login page, judges get 403."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    organizer = access.current_organizer()
    if organizer is None:
        if request.method == "GET" and not session.get("judge_id"):
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        abort(403)
    g.organizer = organizer
    g.actor = f"panitia: {organizer.username}"
    return None


@bp.context_processor
def console_labels():
    """Indonesian words for the stored codes of status, display state and method."""
    return {
        "status_labels": STATUS_LABELS,
        "state_labels": {"live": _("Langsung"), "hidden": _("Disembunyikan"),
                         "frozen": _("Dibekukan"), "reveal": _("Pengumuman")},
        "action_labels": {"create": _("membuat"), "update": _("mengubah"), "delete": _("menghapus"),
                          "import": _("mengimpor"), "draw": _("mengundi urutan"),
                          "order": _("mengatur urutan"), "lock": _("mengunci"),
                          "unlock": _("membuka kunci"), "publish": _("mengumumkan"),
                          "unpublish": _("membatalkan pengumuman"),
                          "regenerate_code": _("membuat kode baru"),
                          "display_state": _("mengubah tampilan publik"),
                          "now_performing": _("mengubah tim tampil"),
                          "hall_view": _("mengubah layar aula")},
        "method_labels": METHOD_LABELS,
    }


# --- helpers -----------------------------------------------------------------------------------

def current_event() -> Event:
    """The active event; the console's setup pages need one."""
    event = setup.active_event()
    if event is None:
        abort(redirect(url_for("admin.dashboard")))
    return event


def get_or_404(model, object_id: int):
    """A row of the active event, else 404."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    event_id = getattr(obj, "event_id", None)
    if event_id is None and hasattr(obj, "contest"):
        event_id = obj.contest.event_id
    event = setup.active_event()
    if event is None or event_id != event.id:
        abort(404)
    return obj


def penalty_or_404(penalty_id: int) -> Penalty:
    """A penalty of a contest of the active event."""
    penalty = db.session.get(Penalty, penalty_id)
    if penalty is None:
        abort(404)
    get_or_404(Contest, penalty.contest_id)
    return penalty


def checked(name: str) -> bool:
    """A checkbox of the submitted form."""
    return request.form.get(name) in ("1", "on", "true", "ya")


SECTIONS = {
    # name: (page template, partial template, context builder, page url)
    "teams": ("admin/teams.html", "admin/_teams.html",
              lambda obj: teams_context(obj), lambda obj: url_for("admin.teams")),
    "judges": ("admin/judges.html", "admin/_judges.html",
               lambda obj: judges_context(obj), lambda obj: url_for("admin.judges")),
    "setup": ("admin/contest_setup.html", "admin/_contest_setup.html",
              lambda obj: setup_context(obj),
              lambda obj: url_for("admin.contest_setup", contest_id=obj.id)),
    "run": ("admin/contest.html", "admin/_contest_run.html",
            lambda obj: run_context(obj), lambda obj: url_for("admin.contest", contest_id=obj.id)),
    "dashboard": ("admin/dashboard.html", "admin/_hall.html",
                  lambda obj: dashboard_context(), lambda obj: url_for("admin.dashboard")),
}


def section_response(section: str, obj, *, error: str = "", status: int = 200, **extra):
    """Render one console section (partial for htmx, page otherwise) with an optional message."""
    page, partial, build, _url = SECTIONS[section]
    return page_or_partial(page, partial, status, error=error, **build(obj), **extra)


def perform(section: str, obj, action, success: str):
    """Run a service call; answer with the section (htmx) or a redirect, or the error in place."""
    try:
        action()
    except SERVICE_ERRORS as exc:
        db.session.rollback()
        message = getattr(exc, "message", None) or str(exc)
        return section_response(section, obj, error=message, status=getattr(exc, "status", 422))
    if is_htmx():
        db.session.expire_all()
        return section_response(section, obj, notice=success)
    flash(success, "success")
    return redirect(SECTIONS[section][3](obj))


# --- login -------------------------------------------------------------------------------------

def safe_next(target: str | None) -> str:
    """Only redirect back into the console, never to another site."""
    if target and target.startswith("/admin") and not urlparse(target).netloc:
        return target
    return url_for("admin.dashboard")


@functools.cache
def dummy_password_hash() -> str:
    """A hash of a random password made like the real ones (`flask create-organizer`: scrypt)."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Organizer login with username and password (rate-limited)."""
    error = ""
    status = 200
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        password = request.form.get("password") or ""
        organizer = db.session.scalar(db.select(Organizer).filter_by(username=username))
        # An unknown username costs the same scrypt check, so timing does not reveal usernames.
        stored = organizer.password_hash if organizer else dummy_password_hash()
        if check_password_hash(stored, password) and organizer:
            session.clear()
            session["organizer_id"] = organizer.id
            session.permanent = True
            return redirect(safe_next(request.args.get("next")))
        error, status = _("Nama pengguna atau kata sandi salah."), 403
    return render_template("admin/login.html", error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    """End the organizer's session."""
    session.pop("organizer_id", None)
    flash(_("Anda sudah keluar."), "success")
    return redirect(url_for("admin.login"))


# --- dashboard, event, hall --------------------------------------------------------------------

def dashboard_context() -> dict:
    """The event, its contests with progress, and what the hall shows."""
    event = setup.active_event()
    contests = event.contests if event else []
    from ..engine import DEFAULT_AWARDS
    from ..engine.overall import DEFAULT_POINTS
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
    try:
        setup.save_event(setup.active_event(), name=form.get("name"), venue=form.get("venue"),
                         held_on=form.get("held_on"))
    except setup.SetupError as exc:
        db.session.rollback()
        return render_template("admin/dashboard.html", error=exc.message,
                               **dashboard_context()), exc.status
    flash(_("Acara disimpan."), "success")
    return redirect(url_for("admin.dashboard"))


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
    from ..engine import DEFAULT_AWARDS
    event = current_event()
    points = {label: request.form.get(f"points_{n}") for n, label in enumerate(DEFAULT_AWARDS)}
    return perform("dashboard", event, lambda: setup.save_overall_mode(
        event, request.form.get("mode"), points), _("Cara menghitung juara umum disimpan."))


# --- regions and teams -------------------------------------------------------------------------

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
    form = request.form
    return perform("teams", event, lambda: setup.save_team(
        event, team, name=form.get("name"), region_id=form.get("region_id"),
        village=form.get("village"), members=form.get("members")), _("Tim disimpan."))


@bp.route("/teams/<int:team_id>/delete", methods=["POST"])
def delete_team(team_id):
    """Remove a team that has not been scored."""
    team = get_or_404(Team, team_id)
    event = team.event
    return perform("teams", event, lambda: setup.delete_team(team), _("Tim dihapus."))


# --- judges and access codes -------------------------------------------------------------------

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
    from ..services.access import login_link
    link = login_link(code)
    response = make_response(render_template("admin/new_code.html", judge=judge, code=code,
                                             link=link, qr=cards.segno.make(link, error="m")))
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


# --- import ------------------------------------------------------------------------------------

def import_page(kind: str, preview=None, error: str = "", status: int = 200):
    """The import page of one kind (teams or judges), with a preview if there is one."""
    return render_template("admin/import.html", kind=kind, preview=preview, error=error,
                           columns=importer.COLUMNS[kind], event=current_event()), status


def check_kind(kind: str) -> None:
    """Only teams and judges can be imported."""
    if kind not in importer.COLUMNS:
        abort(404)


@bp.route("/import/<kind>")
def import_form(kind):
    """Upload a CSV or XLSX of teams or judges."""
    check_kind(kind)
    return import_page(kind)


@bp.route("/import/<kind>", methods=["POST"])
def import_preview(kind):
    """Validate an upload and list every bad row; nothing is written."""
    check_kind(kind)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return import_page(kind, error=_("Pilih berkas .csv atau .xlsx."), status=422)
    try:
        preview = importer.preview_upload(current_event(), kind, upload.filename, upload.read())
    except importer.ImportFileError as exc:
        return import_page(kind, error=exc.message, status=422)
    return import_page(kind, preview=preview, status=200 if preview.valid else 422)


@bp.route("/import/<kind>/apply", methods=["POST"])
def import_apply(kind):
    """Write the previewed rows, all or nothing (they are validated again first)."""
    import json
    check_kind(kind)
    try:
        rows = json.loads(request.form.get("rows") or "[]")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError
    except ValueError:
        return import_page(kind, error=_("Data pratinjau rusak; unggah berkasnya lagi."),
                           status=422)
    try:
        preview = importer.apply_import(current_event(), kind, rows)
    except (KeyError, TypeError, AttributeError):
        db.session.rollback()
        return import_page(kind, error=_("Data pratinjau rusak; unggah berkasnya lagi."),
                           status=422)
    if not preview.valid:
        return import_page(kind, preview=preview, status=422)
    flash(_("%(count)s baris diimpor.", count=len(preview.rows)), "success")
    return redirect(url_for("admin.teams" if kind == "teams" else "admin.judges"))


@bp.route("/import/<kind>/template.<fmt>")
def import_template(kind, fmt):
    """The template file to fill in (CSV or XLSX)."""
    check_kind(kind)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return attachment(importer.template_file(kind, fmt),
                    "text/csv; charset=utf-8" if fmt == "csv" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    f"templat-{kind}.{fmt}")


# --- contest setup -----------------------------------------------------------------------------

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
    try:
        contest = setup.save_contest(event, None, name=form.get("name"),
                                     kind=form.get("kind", "rubric"),
                                     method=form.get("method", "mean"))
    except setup.SetupError as exc:
        db.session.rollback()
        return render_template("admin/dashboard.html", error=exc.message,
                               **dashboard_context()), exc.status
    flash(_("Lomba dibuat."), "success")
    return redirect(url_for("admin.contest_setup", contest_id=contest.id))


@bp.route("/contests/<int:contest_id>/setup")
def contest_setup(contest_id):
    """Settings, criteria, teams and judges of one contest."""
    return section_response("setup", get_or_404(Contest, contest_id))


@bp.route("/contests/<int:contest_id>/settings", methods=["POST"])
def contest_settings(contest_id):
    """Change a contest's kind, method, tie-break criteria, awards and draft/open status."""
    contest = get_or_404(Contest, contest_id)
    form = request.form
    return perform("setup", contest, lambda: setup.save_contest(
        contest.event, contest, name=form.get("name"), kind=form.get("kind"),
        method=form.get("method"), status=form.get("status"),
        tie_break=form.getlist("tie_break"), award_labels=form.get("award_labels"),
        award_count=form.get("award_count"), confirm=checked("confirm")),
        _("Pengaturan lomba disimpan."))


@bp.route("/contests/<int:contest_id>/criteria", methods=["POST"])
@bp.route("/criteria/<int:criterion_id>", methods=["POST"])
def save_criterion(contest_id=None, criterion_id=None):
    """Add or change a criterion (a scored contest needs confirmation)."""
    criterion = get_or_404(Criterion, criterion_id) if criterion_id else None
    contest = criterion.contest if criterion else get_or_404(Contest, contest_id)
    form = request.form
    return perform("setup", contest, lambda: setup.save_criterion(
        contest, criterion, name=form.get("name"), description=form.get("description"),
        weight=form.get("weight", "1"), min_score=form.get("min_score"),
        max_score=form.get("max_score"), step=form.get("step"), position=form.get("position"),
        confirm=checked("confirm")), _("Kriteria disimpan."))


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
def delete_criterion(criterion_id):
    """Remove a criterion (a scored contest needs confirmation)."""
    criterion = get_or_404(Criterion, criterion_id)
    contest = criterion.contest
    return perform("setup", contest, lambda: setup.delete_criterion(
        criterion, confirm=checked("confirm")), _("Kriteria dihapus."))


@bp.route("/contests/<int:contest_id>/entries", methods=["POST"])
def contest_entries(contest_id):
    """Choose the teams taking part."""
    contest = get_or_404(Contest, contest_id)
    return perform("setup", contest, lambda: setup.set_entries(
        contest, request.form.getlist("team_id"), confirm=checked("confirm")),
        _("Peserta lomba disimpan."))


@bp.route("/contests/<int:contest_id>/panel", methods=["POST"])
def contest_panel(contest_id):
    """Assign judges, the ketua juri and scorekeepers (a scored contest needs confirmation)."""
    contest = get_or_404(Contest, contest_id)
    form = request.form
    return perform("setup", contest, lambda: setup.set_panel(
        contest, form.getlist("judge_id"), form.get("head_id"), form.getlist("scorekeeper_id"),
        confirm=checked("confirm")), _("Susunan juri disimpan."))


@bp.route("/contests/<int:contest_id>/rounds", methods=["POST"])
@bp.route("/rounds/<int:round_id>", methods=["POST"])
def save_round(contest_id=None, round_id=None):
    """Add a quiz round (babak) with its point buttons, or rename it and change its buttons."""
    quiz_round = get_or_404(QuizRound, round_id) if round_id else None
    contest = quiz_round.contest if quiz_round else get_or_404(Contest, contest_id)
    form = request.form
    return perform("setup", contest, lambda: quiz.save_round(
        contest, form.get("name"), form.get("buttons", ""), quiz_round), _("Babak disimpan."))


@bp.route("/rounds/<int:round_id>/delete", methods=["POST"])
def delete_round(round_id):
    """Remove a quiz round that has no points yet."""
    quiz_round = get_or_404(QuizRound, round_id)
    contest = quiz_round.contest
    return perform("setup", contest, lambda: quiz.delete_round(contest, quiz_round),
                   _("Babak dihapus."))


# --- running a contest -------------------------------------------------------------------------

def pending_reopens(contest: Contest) -> list[ReopenRequest]:
    """Undecided reopen requests of a contest."""
    return list(db.session.scalars(
        db.select(ReopenRequest).join(Sheet, ReopenRequest.sheet_id == Sheet.id)
        .where(Sheet.contest_id == contest.id, ReopenRequest.status == "pending")
        .order_by(ReopenRequest.requested_at)))


def run_context(contest: Contest) -> dict:
    """Everything the control desk needs for one contest."""
    db.session.refresh(contest)
    from ..services.standings import standings_for
    penalties = list(db.session.scalars(db.select(Penalty).filter_by(contest_id=contest.id)
                                        .order_by(Penalty.created_at)))
    from .live import live_context
    standings = standings_for(contest)
    return {**live_context(contest, standings), "event": contest.event,
            "matrix": running.judging_matrix(contest), "penalties": penalties,
            "reopens": pending_reopens(contest),
            "ties": running.tied_boundaries(contest, standings),
            "complete": running.is_complete(contest, standings)}


def reveal_total(contest: Contest) -> int:
    """How many 'reveal next' steps the frozen board holds (a shared award is one step)."""
    from ..services.board import reveal_groups, rows_from_snapshot
    if contest.display_state != "reveal" or not contest.frozen_board:
        return 0
    return len(reveal_groups(rows_from_snapshot(contest.frozen_board)))


@bp.route("/contests/<int:contest_id>")
def contest(contest_id):
    """Run one contest: order, now performing, display state, penalties, matrix, closing."""
    return section_response("run", get_or_404(Contest, contest_id))


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
    return perform("run", contest, lambda: running.set_order(contest, numbers),
                   _("Urutan tampil disimpan."))


@bp.route("/contests/<int:contest_id>/draw", methods=["POST"])
def contest_draw(contest_id):
    """Draw the performance order at random (undian), with a recorded seed."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.draw_order(contest, request.form.get("seed")),
                   _("Urutan tampil diundi."))


@bp.route("/contests/<int:contest_id>/now", methods=["POST"])
def now_performing(contest_id):
    """Move "now performing": next, previous, a given team, or nobody."""
    contest = get_or_404(Contest, contest_id)
    move = request.form.get("move", "")
    if move == "next":
        action = lambda: next_performer(contest)  # noqa: E731
    elif move == "previous":
        action = lambda: previous_performer(contest)  # noqa: E731
    elif move == "none":
        action = lambda: set_now_performing(contest, None)  # noqa: E731
    elif to_id(move) is not None:
        team = get_or_404(Team, to_id(move))
        action = lambda: set_now_performing(contest, team)  # noqa: E731
    else:
        return section_response("run", contest, error=_("Pilihan tidak dikenal."), status=422)
    return perform("run", contest, action, _("Tim tampil diperbarui."))


@bp.route("/contests/<int:contest_id>/display", methods=["POST"])
def display_state(contest_id):
    """Switch what the public sees of the contest: live, hidden, frozen, reveal, reveal next."""
    contest = get_or_404(Contest, contest_id)
    state = request.form.get("state", "")
    if state == "reveal_next":
        action = lambda: reveal_next(contest)  # noqa: E731
    elif state in DISPLAY_STATES:
        action = lambda: set_display_state(  # noqa: E731
            contest, state, confirm_provisional=checked("confirm_provisional"))
    else:
        return section_response("run", contest, error=_("Status tampilan tidak dikenal."),
                                status=422)
    return perform("run", contest, action, _("Tampilan publik diperbarui."))


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


@bp.route("/contests/<int:contest_id>/lock", methods=["POST"])
def lock(contest_id):
    """Lock the contest: no more saves."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.lock_contest(contest), _("Lomba dikunci."))


@bp.route("/contests/<int:contest_id>/unlock", methods=["POST"])
def unlock(contest_id):
    """Open a locked contest again, with a reason."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.unlock_contest(
        contest, request.form.get("reason", "")), _("Lomba dibuka kembali."))


@bp.route("/contests/<int:contest_id>/publish", methods=["POST"])
def publish(contest_id):
    """Publish the results (complete, or with an override reason; ties acknowledged)."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.publish_contest(
        contest, override_reason=request.form.get("override_reason", ""),
        acknowledge_ties=checked("acknowledge_ties")), _("Hasil lomba diumumkan."))


@bp.route("/contests/<int:contest_id>/unpublish", methods=["POST"])
def unpublish(contest_id):
    """Withdraw published results, with a reason."""
    contest = get_or_404(Contest, contest_id)
    return perform("run", contest, lambda: running.unpublish_contest(
        contest, request.form.get("reason", "")), _("Pengumuman dibatalkan."))


# --- audit -------------------------------------------------------------------------------------

@bp.route("/audit")
def audit_trail():
    """Every change with who, when, from where, old and new value; filter by contest, team, judge."""
    event = current_event()
    # Several years of events share the database: show this event's entries (and event-less ones).
    query = (db.select(AuditEntry)
             .where((AuditEntry.event_id == event.id) | AuditEntry.event_id.is_(None))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    filters = {}
    for key, column in (("contest", AuditEntry.contest_id), ("team", AuditEntry.team_id),
                        ("judge", AuditEntry.judge_id)):
        value = to_id(request.args.get(key, ""))
        if value is not None:
            filters[key] = value
            query = query.where(column == value)
    entries = list(db.session.scalars(query.limit(500)))
    return page_or_partial("admin/audit.html", "admin/_audit.html", event=event,
                           entries=entries, filters=filters)


from . import live  # noqa: E402,F401  (registers the live console views on bp)
