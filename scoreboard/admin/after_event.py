"""After the event: piagam settings and downloads, and the laporan kegiatan, in the console."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..downloads import attachment, png_response
from ..engine import DEFAULT_AWARDS
from ..extensions import db
from ..inputs import accepts_upload
from ..document_models import PIAGAM_BORDERS
from ..models import Contest, Event
from ..services import piagam
from ..services.result_files import slug
from .blueprint import bp
from .sections import current_event, perform, section, section_response


@section("piagam", "admin/piagam.html", "admin/piagam.html",
         lambda event: url_for("admin.piagam_settings"))
def piagam_context(event: Event) -> dict:
    """What the piagam settings page shows for the active event."""
    settings = piagam.settings_for(event)
    officials = list(settings.officials or [])
    officials += [{"title": "", "name": "", "nip": ""}] * (piagam.MAX_OFFICIALS - len(officials))
    borders = {"ganda": _("Garis ganda berhias (emas)"), "garis": _("Garis tunggal (biru)"),
               "tanpa": _("Tanpa bingkai")}
    return {"event": event, "settings": settings, "officials": officials,
            "borders": [(key, borders[key]) for key in PIAGAM_BORDERS],
            "place": piagam.place_name(event, settings)}


@bp.route("/piagam")
def piagam_settings():
    """Who signs the piagam, its border, place line and logo; downloads per contest."""
    return section_response("piagam", current_event())


@bp.route("/piagam", methods=["POST"])
def save_piagam_settings():
    """Store the piagam's place line, border and signing officials."""
    event = current_event()
    form = request.form
    officials = [(form.get(f"title_{n}"), form.get(f"name_{n}"), form.get(f"nip_{n}"))
                 for n in range(piagam.MAX_OFFICIALS)]
    return perform("piagam", event, lambda: piagam.save_settings(
        event, city=form.get("city"), border=form.get("border"), officials=officials),
        _("Pengaturan piagam disimpan."))


@bp.route("/piagam/logo", methods=["POST"])
@accepts_upload("MAX_UPLOAD_LENGTH")
def upload_piagam_logo():
    """Take a PNG or JPEG logo; it is re-encoded and only the re-encoded picture is kept."""
    event = current_event()
    upload = request.files.get("logo")
    data = upload.read() if upload is not None else b""
    return perform("piagam", event, lambda: piagam.save_logo(event, data), _("Logo disimpan."))


@bp.route("/piagam/logo/delete", methods=["POST"])
def delete_piagam_logo():
    """Print the piagam without a logo."""
    piagam.remove_logo(current_event())
    flash(_("Logo dihapus."), "success")
    return redirect(url_for("admin.piagam_settings"))


@bp.route("/piagam/logo.png")
def piagam_logo():
    """The stored logo as the app re-encoded it (PNG), for the settings page."""
    logo = piagam.settings_for(current_event()).logo_png
    if not logo:
        abort(404)
    return png_response(logo)


def piagam_download(event: Event, lines, filename: str):
    """The piagam as one PDF, or back to the export page when there is none to print."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..documents.piagam import build_piagam_pdf
    if not lines:
        flash(_("Belum ada piagam untuk dicetak: piagam dibuat dari hasil yang sudah diumumkan."),
              "error")
        return redirect(url_for("export.index"))
    body = build_piagam_pdf(event, piagam.settings_for(event), lines)
    return attachment(body, "application/pdf", filename)


@bp.route("/piagam/contest/<int:contest_id>.pdf")
def contest_piagam(contest_id):
    """Every awarded team's piagam penghargaan of one published contest."""
    contest = db.get_or_404(Contest, contest_id)
    return piagam_download(contest.event, piagam.piagam_lines(contest),
                           f"piagam-{slug(contest.name)[:60]}.pdf")


@bp.route("/piagam/contest/<int:contest_id>/peserta.pdf")
def contest_participation_piagam(contest_id):
    """A piagam peserta for every team that played in one published contest."""
    contest = db.get_or_404(Contest, contest_id)
    return piagam_download(contest.event, piagam.piagam_lines(contest, "participation"),
                           f"piagam-peserta-{slug(contest.name)[:60]}.pdf")


@bp.route("/piagam/event/<int:event_id>.pdf")
def event_piagam(event_id):
    """Every awarded team's piagam of every published contest of the event, contest by contest."""
    event = db.get_or_404(Event, event_id)
    lines = [line for contest in event.contests for line in piagam.piagam_lines(contest)]
    return piagam_download(event, lines, "piagam-semua-lomba.pdf")


@bp.route("/laporan/<int:event_id>")
def report_page(event_id):
    """The laporan kegiatan as a console page: the PDF's content, charts included."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..services.report import report_for
    from ..services.recap_pdf import long_date  # also on demand
    report = report_for(db.get_or_404(Event, event_id))
    return render_template("admin/report.html", report=report, held_on=long_date(report.event),
                           awards=DEFAULT_AWARDS,
                           role_labels={"head": _("Ketua Juri"), "judge": _("Anggota Juri"),
                                        "scorekeeper": _("Pencatat Skor")},
                           note_labels=note_labels())


def note_labels() -> dict[str, str]:
    """What each kind of day note is called on the console page."""
    return {"sheet.reopen": _("Lembar nilai dibuka kembali"),
            "sheet.reopen_refused": _("Permintaan buka kembali ditolak"),
            "quiz_correct": _("Koreksi poin cerdas cermat"), "unlock": _("Kunci lomba dibuka"),
            "unpublish": _("Pengumuman dibatalkan"),
            "publish": _("Diumumkan dengan persetujuan panitia")}


@bp.route("/laporan/<int:event_id>.pdf")
def report_pdf(event_id):
    """The laporan kegiatan as one PDF (charts drawn once for it)."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..documents.report import build_report_pdf
    from ..services.report import report_for  # also on demand
    report = report_for(db.get_or_404(Event, event_id))
    return attachment(build_report_pdf(report), "application/pdf",
                      f"laporan-kegiatan-{slug(report.event.name)[:60]}.pdf")


@bp.route("/laporan/<int:event_id>/grafik/<name>.png")
def report_chart(event_id, name):
    """One chart of the laporan kegiatan as a PNG, for the console page."""
    # documents (fpdf2, matplotlib) load when one is asked for, not at app start
    from ..documents.report import render_chart
    from ..services.report import report_for  # also on demand
    png = render_chart(report_for(db.get_or_404(Event, event_id)), name)
    if png is None:
        abort(404)
    return png_response(png)
