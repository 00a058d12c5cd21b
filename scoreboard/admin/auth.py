"""Organizer login and logout (the only console pages open to anyone)."""
import functools
import secrets
from urllib.parse import urlparse

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db, limiter
from ..models import Organizer
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
