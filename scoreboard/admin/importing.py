"""Import teams and judges from CSV or XLSX: upload, preview every bad row, then write all."""
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..downloads import attachment
from ..inputs import accepts_upload
from ..services import importer
from ..services.errors import ServiceError
from .blueprint import bp
from .sections import current_event


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
@accepts_upload("MAX_UPLOAD_LENGTH")
def import_preview(kind):
    """Validate an upload and list every bad row; nothing is written."""
    check_kind(kind)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return import_page(kind, error=_("Pilih berkas .csv atau .xlsx."), status=422)
    try:
        preview = importer.preview_upload(current_event(), kind, upload.filename, upload.read())
    except ServiceError as error:
        return import_page(kind, error=error.message, status=error.status)
    return import_page(kind, preview=preview, status=200 if preview.valid else 422)


@bp.route("/import/<kind>/apply", methods=["POST"])
@accepts_upload("MAX_UPLOAD_LENGTH", long_fields=("rows",))
def import_apply(kind):
    """Write the previewed rows, all or nothing (they are validated again first)."""
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
    except ServiceError as error:
        return import_page(kind, error=error.message, status=error.status)
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
