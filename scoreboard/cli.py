"""Command-line tools: flask --app wsgi init-db, seed-demo, …"""
import click
from flask import Flask
from flask_migrate import upgrade

from .extensions import db


def register_cli(app: Flask) -> None:
    """Attach the project's commands to `flask`."""

    @app.cli.command("init-db")
    def init_db():
        """Create or migrate the database schema to the newest version."""
        upgrade()
        click.echo("Basis data siap (skema versi terbaru).")

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the 2025 Temu Kader IMP demo event and print the judges' login links."""
        from .demo import seed_demo
        from .services.access import login_link
        upgrade()
        event, judges, created = seed_demo()
        click.echo(("Acara contoh dibuat: " if created else "Acara contoh sudah ada: ") + event.name)
        click.echo("Tautan masuk juri (judge login links):")
        for judge, code in judges:
            seats = ", ".join(f"{a.contest.name} ({a.role})" for a in judge.assignments)
            click.echo(f"  {judge.name} — kode {code} — {seats}")
            click.echo(f"    {login_link(code)}")
