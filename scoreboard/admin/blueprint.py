"""The organizer console's blueprint: organizers only, and the words for stored codes."""
from flask import Blueprint, abort, redirect, request, session, url_for
from flask_babel import gettext as _

from ..identity import enter_as_organizer
from ..labels import METHOD_LABELS, STATUS_LABELS

bp = Blueprint("admin", __name__, url_prefix="/admin")

PUBLIC_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_organizer():
    """Organizers only: anonymous visitors go to the login page, judges get 403."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if enter_as_organizer() is not None:
        return None
    if request.method == "GET" and not session.get("judge_id"):
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    abort(403)


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
                          "hall_view": _("mengubah layar aula"),
                          "timer_start": _("memulai waktu tampil"),
                          "timer_pause": _("menjeda waktu tampil"),
                          "timer_resume": _("melanjutkan waktu tampil"),
                          "timer_stop": _("menghentikan waktu tampil"),
                          "timer_reset": _("mengatur ulang waktu tampil"),
                          "propose": _("mengusulkan pengurangan nilai"),
                          "confirm": _("mengonfirmasi"), "dismiss": _("menolak"),
                          "withdraw": _("menarik usulan"),
                          "logout": _("keluar dari semua perangkat"),
                          "password": _("mengganti kata sandi"),
                          "end_sessions": _("mengakhiri sesi juri")},
        "method_labels": METHOD_LABELS,
    }
