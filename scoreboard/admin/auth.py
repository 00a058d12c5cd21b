"""Organizer login (the only console page open to anyone), logout and the password change."""
import functools
import secrets
from urllib.parse import urlparse

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db, limiter
from ..identity import fresh_session, organizer_session
from ..models import Organizer
from ..services import access
from ..services.errors import ServiceError
from .blueprint import bp


def safe_next(target: str | None) -> str:
    """Only redirect back into the console, never to another site."""
    if target and target.startswith("/admin") and not urlparse(target).netloc:
        return target
    return url_for("admin.dashboard")


@functools.cache
def dummy_password_hash() -> str:
    """A hash of a random password made like the real ones (`flask create-organizer`: scrypt)."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def failed(response) -> bool:
    """Only a refused login counts toward the throttle: organizers signing in freely never do."""
    return response.status_code >= 400


def account_tried() -> str:
    """The throttle's key for the account a login tries, whatever address it comes from."""
    return "organizer:" + (request.form.get("username") or "").strip().lower()[:80]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=failed)
@limiter.limit("5 per minute", methods=["POST"], key_func=account_tried, deduct_when=failed)
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
            fresh_session()
            session.update(organizer_session(organizer))
            session.permanent = True
            return redirect(safe_next(request.args.get("next")))
        error, status = _("Nama pengguna atau kata sandi salah."), 403
    return render_template("admin/login.html", error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    """End the organizer's session on the server: a copy of its cookie no longer opens anything."""
    access.end_organizer_sessions(g.organizer)
    session.clear()
    flash(_("Anda sudah keluar dari semua perangkat akun ini."), "success")
    return redirect(url_for("admin.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    """Change the organizer's password; every other session of the account ends."""
    error, status = "", 200
    if request.method == "POST":
        try:
            access.change_password(g.organizer, request.form.get("current", ""),
                                   request.form.get("new", ""), request.form.get("repeated", ""))
        except ServiceError as refused:
            error, status = refused.message, refused.status
        else:
            session.update(organizer_session(g.organizer))  # this browser stays signed in
            flash(_("Kata sandi diganti. Sesi di perangkat lain sudah diakhiri."), "success")
            return redirect(url_for("admin.dashboard"))
    return render_template("admin/password.html", error=error), status
