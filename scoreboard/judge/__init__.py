"""Judges' tablets: login by code or QR link, the judge's home, score sheets, reopen requests."""
import uuid

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   send_from_directory, session, url_for)
from flask_babel import gettext as _

from ..extensions import db, limiter
from ..htmx import is_htmx, page_or_partial
from ..i18n import number, plain, wants_json, wita_time
from ..identity import fresh_session, seat_judge, session_stamp
from ..models import Contest, ContestTeam, Judge, ReopenRequest, Sheet, Team
from ..params import to_id
from ..services import access
from ..services.errors import ServiceError
from ..services.sheets import (SCORING_ROLES, decide_reopen, pending_reopens, pending_request,
                               request_reopen, save_sheet, sheet_for, sheet_total,
                               submit_sheet)
from ..services.stage_timer import confirm_proposal, dismiss_proposal, proposals_for
from ..services.stage_view import timer_view
from ..services.standings import preload_contest
from ..stage_models import ProposedPenalty

bp = Blueprint("judge", __name__, url_prefix="/judge")

PUBLIC_ENDPOINTS = {"judge.index", "judge.login", "judge.login_link", "judge.service_worker",
                    "judge.offline"}


def code_tried() -> str:
    """The code a login offers: typed into the form, or in the path of the card's link."""
    if request.method == "POST":
        return request.form.get("code", "")
    return str((request.view_args or {}).get("code", ""))


def holds_a_valid_code() -> bool:
    """A correct code is never throttled: a hall's tablets share one NAT address, and one
    judge's typos must not lock the others out. (Codes carry 59 random bits: guessing one stays
    hopeless without the throttle; the throttle slows floods of wrong codes.)"""
    return access.judge_for_code(code_tried()) is not None


def login_failed(response) -> bool:
    """Only failed attempts count, so twenty judges logging in at 08.00 are never throttled."""
    return response.status_code >= 400


# Wrong codes are throttled per address and per code tried.
LOGIN_LIMIT = limiter.shared_limit("10 per minute", scope="judge-login", deduct_when=login_failed,
                                   exempt_when=holds_a_valid_code)
CODE_LIMIT = limiter.shared_limit("5 per minute", scope="judge-code", deduct_when=login_failed,
                                  exempt_when=holds_a_valid_code,
                                  key_func=lambda: access.code_digest(code_tried()))


@bp.before_request
def require_judge():
    """Every page but the login ones needs a logged-in judge; anonymous writes get 403."""
    if seat_judge() is not None:
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.method == "GET" and not wants_json():
        return redirect(url_for("judge.index"))
    abort(403)


def start_session(judge: Judge):
    """Remember the judge on this tablet until they log out."""
    fresh_session()
    session["judge_id"] = judge.id
    session["judge_stamp"] = session_stamp(judge)
    session.permanent = True
    # "Ahmad Fauzi, S.Pd." must not end the greeting with two full stops.
    flash(_("Selamat datang, %(name)s.", name=judge.name.rstrip(".")), "success")
    return redirect(url_for("judge.index"))


def refuse_login(message: str):
    """The login form again with the reason, as 403."""
    return render_template("judge/login.html", error=message), 403


@bp.route("/")
def index():
    """The judge's home (assigned contests, teams, sheet states) or the login form."""
    if g.judge is None:
        return render_template("judge/login.html", error=None)
    return render_template("judge/home.html", **home_context(g.judge))


@bp.route("/sw.js")
def service_worker():
    """The judges' service worker, from /judge/ so that its scope is the judges' pages only."""
    response = send_from_directory(current_app.static_folder, "js/judge-sw.js",
                                   mimetype="text/javascript", max_age=0)
    # A tablet must pick up a new worker at once, not after a day of HTTP caching.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    """What a tablet shows for a page it never kept, while the network is gone."""
    return render_template("judge/offline.html", judge=g.judge,
                           sheet_urls=sheet_urls(g.judge) if g.judge else {})


@bp.route("/login", methods=["POST"])
@LOGIN_LIMIT
@CODE_LIMIT
def login():
    """Log in with the access code typed on the tablet."""
    judge = access.judge_for_code(request.form.get("code", ""))
    if judge is None:
        return refuse_login(_("Kode akses tidak dikenal. Periksa kembali kode pada kartu juri."))
    return start_session(judge)


@bp.route("/login/<code>")
@LOGIN_LIMIT
@CODE_LIMIT
def login_link(code: str):
    """Log in from the personal link the QR code on the judge's card encodes."""
    judge = access.judge_for_code(code)
    if judge is None:
        return refuse_login(_("Tautan masuk ini tidak berlaku. Minta kartu baru ke panitia."))
    return start_session(judge)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log the judge out, on the server too: a copy of this tablet's cookie stops working."""
    if g.judge is not None:
        access.end_judge_session(g.judge)
    session.pop("judge_id", None)
    session.pop("judge_stamp", None)
    flash(_("Anda sudah keluar."), "success")
    return redirect(url_for("judge.index"))


def scoring_contests(judge: Judge) -> list[tuple[Contest, str]]:
    """The rubric contests the judge scores, with their role, in programme order."""
    seats = [(a.contest, a.role) for a in judge.assignments
             if a.role in SCORING_ROLES and a.contest.kind == "rubric"]
    return sorted(seats, key=lambda seat: (seat[0].position, seat[0].id))


def home_context(judge: Judge) -> dict:
    """Everything the judge's home shows: contests, teams in order, sheet states, requests."""
    contests, urls = [], {}
    for contest, role in scoring_contests(judge):
        preload_contest(contest)  # entries, teams and regions in a few queries, not one per row
        sheets = {s.team_id: s for s in db.session.scalars(
            db.select(Sheet).filter_by(contest_id=contest.id, judge_id=judge.id))}
        rows = [{"entry": entry, "team": entry.team, "sheet": sheets.get(entry.team_id),
                 "conflict": judge.in_conflict_with(entry.team),
                 "now": contest.now_performing_id == entry.team_id}
                for entry in contest.entries]
        urls[str(contest.id)] = {str(row["team"].id): url_for("judge.sheet", contest_id=contest.id,
                                                              team_id=row["team"].id)
                                 for row in rows if not row["conflict"]}
        requests = pending_reopens(contest) if role == "head" else []
        proposals = proposals_for(contest) if role == "head" else []
        contests.append({"contest": contest, "role": role, "rows": rows, "requests": requests,
                         "proposals": proposals})
    return {"judge": judge, "contests": contests, "sheet_urls": urls}


def sheet_urls(judge: Judge) -> dict[str, dict[str, str]]:
    """Sheet links per contest and team, for the "now performing" banner (conflicts left out)."""
    return {str(contest.id): {str(entry.team_id): url_for("judge.sheet", contest_id=contest.id,
                                                          team_id=entry.team_id)
                              for entry in contest.entries
                              if not judge.in_conflict_with(entry.team)}
            for contest, _role in scoring_contests(judge)}


def load_sheet_target(contest_id: int, team_id: int) -> tuple[Contest, Team, ContestTeam]:
    """The contest and team of a sheet URL: 404 unless the team is entered, 403 unless assigned."""
    contest = db.get_or_404(Contest, contest_id)
    team = db.get_or_404(Team, team_id)
    entry = db.session.scalar(db.select(ContestTeam).filter_by(contest_id=contest.id,
                                                               team_id=team.id))
    if entry is None or contest.kind != "rubric":
        abort(404)
    if g.judge.role_in(contest) not in SCORING_ROLES:
        abort(403)
    return contest, team, entry


def sheet_context(contest: Contest, team: Team, entry: ContestTeam, *, values=None, errors=None,
                  message=None, message_kind="error", saved_at=None) -> dict:
    """What the score sheet shows; `values` are the judge's own inputs after a refused save."""
    judge = g.judge
    sheet = sheet_for(judge, contest, team)
    stored = {s.criterion_id: s.value for s in sheet.scores} if sheet else {}
    saved_values = {cid: plain(value) for cid, value in stored.items()}
    if values is None:
        values = saved_values
    entries = contest.entries
    position = entries.index(entry)
    return {
        "judge": judge, "contest": contest, "team": team, "entry": entry, "sheet": sheet,
        "criteria": contest.criteria, "values": values, "saved_values": saved_values,
        "errors": errors or {},
        "message": message, "message_kind": message_kind,
        "total": number(sheet_total(sheet) if sheet else 0), "conflict": judge.in_conflict_with(team),
        "saved_at": saved_at or (sheet.updated_at if sheet and sheet.version else None),
        "reopen": pending_request(sheet) if sheet else None,
        "previous": entries[position - 1] if position else None,
        "next": entries[position + 1] if position + 1 < len(entries) else None,
        "client_id": uuid.uuid4().hex, "sheet_urls": sheet_urls(judge),
        "is_head": judge.role_in(contest) == "head", "plain": plain,
        "closed_reason": closed_reason(contest),
        # The contest's time range (and this team's measured time) beside the scores.
        "stage_time": timer_view(contest, entry) if contest.time_limit is not None else None,
    }


def closed_reason(contest: Contest) -> str | None:
    """Why no sheet of the contest can change now (None while it is open for scoring)."""
    return {"draft": _("Lomba ini belum dibuka panitia; nilai belum dapat diisi."),
            "closed": _("Lomba ini sudah dikunci panitia; nilai tidak dapat diubah lagi."),
            "published": _("Hasil lomba ini sudah diumumkan; nilai tidak dapat diubah lagi."),
            }.get(contest.status)


@bp.route("/contests/<int:contest_id>/teams/<int:team_id>")
def sheet(contest_id: int, team_id: int):
    """The score sheet of one team: large name, one input per criterion, save and submit."""
    contest, team, entry = load_sheet_target(contest_id, team_id)
    return page_or_partial("judge/sheet.html", "judge/_sheet.html",
                           **sheet_context(contest, team, entry))


def form_values() -> dict[int, str]:
    """The posted scores, keyed by criterion id (fields named score-<id>)."""
    values = {}
    for key, value in request.form.items():
        if key.startswith("score-"):
            criterion_id = to_id(key.removeprefix("score-"))
            if criterion_id is None:  # "score-٣" would be criterion 3 to int()
                raise ServiceError(422, _("Kriteria tidak termasuk lomba ini."))
            values[criterion_id] = value
    return values


@bp.route("/contests/<int:contest_id>/teams/<int:team_id>", methods=["POST"])
def save(contest_id: int, team_id: int):
    """Save the sheet (a draft) or, with intent=submit, send it final and lock it."""
    contest, team, entry = load_sheet_target(contest_id, team_id)
    submit = "submit" in request.form.getlist("intent")
    client_id = request.form.get("client_id", "")
    try:
        values = form_values()
        write = submit_sheet if submit else save_sheet
        result = write(g.judge, contest, team, values, client_id)
    except ServiceError as error:
        if wants_json():
            return {"ok": False, "error": error.message,
                    "errors": {str(k): v for k, v in error.errors.items()}}, error.status
        return page_or_partial("judge/sheet.html", "judge/_sheet.html", error.status,
                               **sheet_context(contest, team, entry, values=_safe_form_values(),
                                               errors=error.errors, message=error.message))
    if wants_json():
        return {"ok": True, "repeat": result.repeat, "state": result.state,
                "version": result.version, "saved_at": wita_time(result.saved_at)}
    submitted = result.state == "submitted"
    message = (_("Terkirim final dan terkunci.") if submitted
               else _("Tersimpan %(time)s", time=wita_time(result.saved_at)))
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("judge.sheet", contest_id=contest.id, team_id=team.id))
    # A draft's acknowledgement is the "Tersimpan …" line itself; only the lock needs a word.
    return page_or_partial("judge/sheet.html", "judge/_sheet.html",
                           **sheet_context(contest, team, entry,
                                           message=message if submitted else None,
                                           message_kind="success", saved_at=result.saved_at))


def _safe_form_values() -> dict[int, str]:
    """The posted scores to show again after a refusal (unparseable keys dropped)."""
    values = {}
    for key, value in request.form.items():
        criterion_id = to_id(key.removeprefix("score-"))
        if key.startswith("score-") and criterion_id is not None:
            values[criterion_id] = value
    return values


@bp.route("/sheets/<int:sheet_id>/reopen", methods=["POST"])
def ask_reopen(sheet_id: int):
    """Ask the ketua juri or panitia to reopen one of the judge's own submitted sheets."""
    sheet = db.get_or_404(Sheet, sheet_id)
    if sheet.judge_id != g.judge.id:
        abort(403)
    contest, team = sheet.contest, sheet.team
    entry = db.session.scalar(db.select(ContestTeam).filter_by(contest_id=contest.id,
                                                               team_id=team.id))
    try:
        request_reopen(g.judge, sheet, request.form.get("reason", ""))
    except ServiceError as error:
        return page_or_partial("judge/sheet.html", "judge/_sheet.html", error.status,
                               **sheet_context(contest, team, entry, message=error.message))
    message = _("Permintaan buka kembali terkirim ke ketua juri.")
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("judge.sheet", contest_id=contest.id, team_id=team.id))
    return page_or_partial("judge/sheet.html", "judge/_sheet.html",
                           **sheet_context(contest, team, entry, message=message,
                                           message_kind="success"))


@bp.route("/reopen-requests/<int:request_id>", methods=["POST"])
def decide(request_id: int):
    """The ketua juri approves or refuses a reopen request of their contest, with a reason."""
    reopen = db.get_or_404(ReopenRequest, request_id)
    contest = reopen.sheet.contest
    if g.judge.role_in(contest) != "head":
        abort(403)
    if reopen.sheet.judge_id == g.judge.id:
        flash(_("Permintaan Anda sendiri diputuskan oleh panitia."), "error")
        return render_template("judge/home.html", **home_context(g.judge)), 403
    approve = request.form.get("decision") == "approve"
    try:
        decide_reopen(reopen, approve, request.form.get("reason", ""),
                      decided_by=f"ketua juri: {g.judge.name}")
    except ServiceError as error:
        flash(error.message, "error")
        return render_template("judge/home.html", **home_context(g.judge)), error.status
    flash(_("Lembar nilai dibuka kembali.") if approve else _("Permintaan ditolak."), "success")
    return redirect(url_for("judge.index"))


@bp.route("/proposals/<int:proposal_id>", methods=["POST"])
def decide_proposal(proposal_id: int):
    """The ketua juri confirms a penalty the stage timer proposed, or dismisses it with a reason."""
    proposal = db.get_or_404(ProposedPenalty, proposal_id)
    contest = db.get_or_404(Contest, proposal.contest_id)
    if g.judge.role_in(contest) != "head":
        abort(403)
    decided_by = f"ketua juri: {g.judge.name}"
    decision = request.form.get("decision")
    try:
        if decision == "confirm":
            confirm_proposal(contest, proposal, decided_by)
        elif decision == "dismiss":
            dismiss_proposal(contest, proposal, request.form.get("reason"), decided_by)
        else:
            raise ServiceError(422, _("Pilih konfirmasi atau tolak."))
    except ServiceError as error:
        flash(error.message, "error")
        return render_template("judge/home.html", **home_context(g.judge)), error.status
    flash(_("Pengurangan nilai dikonfirmasi.") if decision == "confirm"
          else _("Usulan pengurangan nilai ditolak."), "success")
    return redirect(url_for("judge.index"))
