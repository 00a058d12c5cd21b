"""Command-line tools: flask --app wsgi init-db, seed-demo, …"""
import json
import os
import secrets

import click
from flask import Flask
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from .demo import play_demo_scores, seed_demo
from .extensions import db
from .models import Contest, Event, Organizer
from .services.access import login_link
from .services.archive import ArchiveError, export_event, import_file
from .services.backup import backup_now
from .services.result_files import build_file


def set_organizer_password(username: str, password: str) -> bool:
    """Create the organizer or change its password; True when created."""
    organizer = db.session.scalar(db.select(Organizer).filter_by(username=username))
    created = organizer is None
    if created:
        organizer = Organizer(username=username, password_hash="")
        db.session.add(organizer)
    organizer.password_hash = generate_password_hash(password, method="scrypt")
    if not created:
        organizer.session_generation += 1  # a new password ends every session of the account
    db.session.commit()
    return created


def register_cli(app: Flask) -> None:
    """Attach the project's commands to `flask`."""

    @app.cli.command("init-db")
    def init_db():
        """Create or migrate the database schema to the newest version."""
        upgrade()
        click.echo("Basis data siap (skema versi terbaru).")

    @app.cli.command("seed-demo")
    @click.option("--scores", is_flag=True,
                  help="Also submit demo sheets for five teams per contest and a few quiz taps.")
    def seed_demo_command(scores):
        """Load the 2025 Temu Kader IMP demo event and print the judges' login links."""
        upgrade()
        event, judges, created = seed_demo()
        click.echo(("Acara contoh dibuat: " if created else "Acara contoh sudah ada: ") + event.name)
        click.echo("Tautan masuk juri (judge login links):")
        for judge, code in judges:
            seats = ", ".join(f"{a.contest.name} ({a.role})" for a in judge.assignments)
            click.echo(f"  {judge.name} — kode {code} — {seats}")
            click.echo(f"    {login_link(code)}")
        if scores:
            stored = play_demo_scores(event)
            click.echo(f"Nilai contoh: {stored} lembar/ketukan baru disimpan.")
        demo_password = os.environ.get("DEMO_ADMIN_PASSWORD")
        if demo_password:
            set_organizer_password("panitia", demo_password)
            click.echo("Akun panitia: panitia (kata sandi dari DEMO_ADMIN_PASSWORD) — /admin")
        elif db.session.scalar(db.select(db.func.count(Organizer.id))) == 0:
            # A first-time user must be able to reach /admin without reading further.
            password = secrets.token_urlsafe(9)
            set_organizer_password("panitia", password)
            click.echo(f"Akun panitia dibuat: panitia / {password} — masuk di /admin "
                       "(ganti dengan: flask --app wsgi create-admin --username panitia)")
        else:
            click.echo("Akun panitia sudah ada — masuk di /admin.")

    @app.cli.command("create-admin")
    @click.option("--username", prompt="Nama pengguna", help="The organizer's login name.")
    @click.password_option("--password", prompt="Kata sandi", confirmation_prompt="Ulangi kata sandi",
                           help="Prompted twice when omitted.")
    def create_admin_command(username, password):
        """Create an organizer account (or set its password); the password is stored as a scrypt hash."""
        username = username.strip()
        if not username or len(username) > 80:
            raise click.BadParameter("1 sampai 80 karakter.", param_hint="--username")
        if len(password) < 8:
            raise click.BadParameter("paling sedikit 8 karakter.", param_hint="--password")
        created = set_organizer_password(username, password)
        click.echo(("Akun panitia dibuat: " if created else "Kata sandi diganti: ") + username)

    @app.cli.command("results")
    @click.argument("contest")
    @click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf", "json"]), default="csv")
    @click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
    def results_command(contest, fmt, output):
        """Write a contest's results (CONTEST: id or name) as CSV, XLSX, PDF recap or JSON."""
        found = (db.session.get(Contest, int(contest)) if contest.isdigit() else
                 db.session.scalar(db.select(Contest).filter_by(name=contest).limit(1)))
        if found is None:
            raise click.ClickException(f"Lomba {contest!r} tidak ditemukan.")
        body, _mimetype = build_file(found, fmt)
        with open(output, "wb") as out:
            out.write(body)
        click.echo(f"{found.name}: {fmt.upper()} ditulis ke {output}")

    @app.cli.command("export-event")
    @click.argument("file", type=click.Path(dir_okay=False, writable=True))
    @click.option("--event", "event_name", help="Nama acara (bawaan: acara yang aktif).")
    def export_event_command(file, event_name):
        """Write the whole event as one JSON document (docs/archive.md)."""
        query = db.select(Event).filter_by(name=event_name) if event_name else \
            db.select(Event).order_by(Event.active.desc(), Event.held_on.desc())
        event = db.session.scalar(query.limit(1))
        if event is None:
            raise click.ClickException("Acara tidak ditemukan.")
        with open(file, "w", encoding="utf-8") as out:
            json.dump(export_event(event), out, ensure_ascii=False, indent=2)
        click.echo(f"{event.name}: diekspor ke {file}")

    @app.cli.command("import-event")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def import_event_command(file):
        """Load an event archive; a file that does not fit is refused and nothing is written."""
        try:
            event = import_file(file)
        except ArchiveError as error:
            raise click.ClickException(f"Impor ditolak, tidak ada yang ditulis. {error}") from error
        click.echo(f"{event.name}: diimpor ({len(event.contests)} lomba, {len(event.teams)} tim). "
                   "Buat kode akses baru untuk para juri di konsol panitia.")

    @app.cli.command("backup")
    def backup_command():
        """Take a consistent snapshot of the database now."""
        click.echo(f"Cadangan ditulis: {backup_now('manual', raise_errors=True)}")
