"""Results and records: organizer downloads, the public results page, /verify and the fairness preview."""
import json

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..downloads import attachment, png_response
from ..engine import METHODS, compare_methods, judge_spread
from ..extensions import db, limiter
from ..i18n import wita_datetime
from ..labels import METHOD_LABELS, STATUS_LABELS
from ..identity import current_judge, enter_as_organizer
from ..models import Contest, Event, Team
from ..services import recap_pdf, result_files, results as results_service
from ..services.archive import export_event
from ..services.backup import backup_now
from ..services.standings import rubric_input, standings_for

bp = Blueprint("export", __name__)

PUBLIC = {"export.public_results", "export.public_download", "export.verify",
          "export.piagam_verify", "export.public_piagam"}
FAIRNESS = {"export.fairness", "export.fairness_chart"}


@bp.before_request
def guard():
    """Public pages for anyone; the fairness preview for organizers and the ketua juri; the rest for organizers."""
    if request.endpoint in PUBLIC:
        return None
    # g.organizer: admin/base.html shows the console's menu to an organizer only.
    if enter_as_organizer() is not None:
        return None
    if request.endpoint in FAIRNESS:
        judge = current_judge()  # checks the session stamp: a regenerated code locks out
        contest = db.session.get(Contest, (request.view_args or {}).get("contest_id", 0))
        if judge is not None and contest is not None and judge.role_in(contest) == "head":
            g.actor = f"juri: {judge.name}"
            return None
    abort(403)


@bp.context_processor
def export_labels():
    """Indonesian words for the stored contest status codes."""
    return {"status_labels": STATUS_LABELS}


def _format_or_404(fmt: str) -> str:
    if fmt not in result_files.FORMATS:
        abort(404)
    return fmt


@bp.route("/export/")
def index():
    """The organizer's downloads: each contest in every format, the winners list, the archive."""
    events = db.session.scalars(db.select(Event).order_by(Event.held_on.desc())).all()
    return render_template("export/index.html", events=events, formats=result_files.FORMATS)


@bp.route("/export/contest/<int:contest_id>.<fmt>")
def download(contest_id: int, fmt: str):
    """One contest's results as CSV, XLSX (with the audit trail), PDF recap or JSON."""
    contest = db.get_or_404(Contest, contest_id)
    body, mimetype = result_files.build_file(contest, _format_or_404(fmt))
    return attachment(body, mimetype, result_files.download_name(contest, fmt))


@bp.route("/export/event/<int:event_id>/results.xlsx")
def event_workbook(event_id: int):
    """The whole event's workbook for the report to the province."""
    event = db.session.get(Event, event_id) or abort(404)
    body = result_files.build_xlsx(list(event.contests))
    return attachment(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          "rekap-acara.xlsx")


@bp.route("/export/event/<int:event_id>/recap.pdf")
def event_recap(event_id: int):
    """Every contest's recap and berita acara in one PDF."""
    event = db.session.get(Event, event_id) or abort(404)
    return attachment(recap_pdf.build_recap_pdf(list(event.contests)), "application/pdf",
                          "rekapitulasi-nilai.pdf")


@bp.route("/export/event/<int:event_id>/winners.pdf")
def winners(event_id: int):
    """The one-page winners list for the MC."""
    event = db.session.get(Event, event_id) or abort(404)
    return attachment(recap_pdf.build_winners_pdf(event), "application/pdf",
                          "daftar-pemenang.pdf")


@bp.route("/export/event/<int:event_id>/archive.json")
def archive(event_id: int):
    """The whole event as one JSON document (docs/archive.md)."""
    event = db.session.get(Event, event_id) or abort(404)
    body = json.dumps(export_event(event), ensure_ascii=False, indent=2).encode("utf-8")
    return attachment(body, "application/json", "arsip-acara.json")


@bp.route("/results/<int:contest_id>")
def public_results(contest_id: int):
    """The published results of a contest, with downloads (404 until published)."""
    contest = db.get_or_404(Contest, contest_id)
    if contest.status != "published":
        abort(404)
    results = results_service.results_for(contest)
    penalties: dict[int, list] = {}
    for penalty in results.penalties:
        penalties.setdefault(penalty.team_id, []).append(penalty)
    return render_template("export/results.html", contest=contest, results=results,
                           penalties=penalties,
                           fingerprint=results_service.fingerprint(results),
                           held_on=recap_pdf.long_date(contest.event),
                           formats=result_files.FORMATS)


@bp.route("/results/<int:contest_id>.<fmt>")
def public_download(contest_id: int, fmt: str):
    """A published contest's results file (the XLSX without the audit trail)."""
    contest = db.get_or_404(Contest, contest_id)
    if contest.status != "published":
        abort(404)
    body, mimetype = result_files.build_file(contest, _format_or_404(fmt), with_audit=False)
    return attachment(body, mimetype, result_files.download_name(contest, fmt))


@bp.route("/verify/<digest>")
@limiter.limit("30 per minute")  # public, and each lookup computes standings
def verify(digest: str):
    """Tell whether a recap's fingerprint matches the numbers the app holds now."""
    valid = len(digest) == 64 and all(ch in "0123456789abcdefABCDEF" for ch in digest)
    contest = results_service.find_fingerprint(digest) if valid else None
    status = 200 if contest is not None else 404
    return render_template("export/verify.html", digest=digest, contest=contest), status


@bp.route("/piagam/<code>")
@limiter.limit("30 per minute")  # public, and each lookup computes standings
def piagam_verify(code: str):
    """Tell whether a piagam's code confirms its award in the results published now."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..services.piagam import verify_code
    verification = verify_code(code)
    status = 200 if verification is not None else 404
    return render_template("export/piagam_verify.html", code=code, verification=verification,
                           wita=wita_datetime), status


@bp.route("/results/<int:contest_id>/piagam/<int:team_id>.pdf")
@limiter.limit("30 per minute")
def public_piagam(contest_id: int, team_id: int):
    """One awarded team's piagam of a published contest (404 for any other team or contest)."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..documents.piagam import build_piagam_pdf
    from ..services import piagam  # also on demand
    contest = db.get_or_404(Contest, contest_id)
    team = db.get_or_404(Team, team_id)
    lines = piagam.piagam_lines(contest, "award", team=team)
    if not lines:
        abort(404)
    body = build_piagam_pdf(contest.event, piagam.settings_for(contest.event), lines)
    return attachment(body, "application/pdf", piagam_name(contest, team))


def piagam_name(contest: Contest, team: Team) -> str:
    """piagam-lomba-yel-yel-tim-awayan.pdf"""
    return (f"piagam-{result_files.slug(contest.name)[:60]}-"
            f"{result_files.slug(team.name)[:60] or team.id}.pdf")


@bp.route("/fairness/<int:contest_id>")
def fairness(contest_id: int):
    """The order under every method and under per-judge normalization, side by side (rules §3.8)."""
    contest = db.get_or_404(Contest, contest_id)
    if contest.kind != "rubric":
        abort(404)
    data = rubric_input(contest)
    comparison = compare_methods(data)
    official = {row.team.id: row for row in standings_for(contest)}
    methods = [*METHODS, "normalized"]
    places = {method: {row.team_id: row for row in rows} for method, rows in comparison.items()}
    changed = {team_id for team_id, row in official.items()
               if any(places[m][team_id].rank != row.rank for m in methods)}
    judges = {judge.id: judge for judge in contest.panel}
    spread = [(judges[judge_id], mean, deviation)
              for judge_id, (mean, deviation) in judge_spread(data).items() if judge_id in judges]
    return render_template("export/fairness.html", contest=contest, official=list(official.values()),
                           methods=methods, places=places, changed=changed, spread=spread,
                           labels=fairness_labels())


@bp.route("/fairness/<int:contest_id>/juri.png")
def fairness_chart(contest_id: int):
    """Each judge's totals as a box and strip plot (the laporan kegiatan's chart)."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..documents.report import judge_chart
    contest = db.get_or_404(Contest, contest_id)
    if contest.kind != "rubric":
        abort(404)
    return png_response(judge_chart(results_service.results_for(contest)))


def fairness_labels() -> dict[str, str]:
    """The methods' names in the reader's language (the PDF renders the same labels in Indonesian)."""
    return {**METHOD_LABELS, "normalized": _("normalisasi (z)")}


@bp.route("/export/backup", methods=["POST"])
def backup():
    """Take a database snapshot now, from the console's button."""
    snapshot = backup_now("manual dari konsol")
    if snapshot is None:
        flash(_("Cadangan gagal dibuat. Lihat log server."), "error")
    else:
        flash(_("Cadangan dibuat: %(name)s", name=snapshot.name), "success")
    return redirect(url_for("export.index"))
