"""Automatic backups: a consistent snapshot of the database while contests are open.

SQLite is copied with its online backup API (consistent even while judges save); PostgreSQL with
`pg_dump`. Snapshots go to BACKUP_DIR, newest BACKUP_KEEP kept. The README says how to restore.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import subprocess
import threading
from datetime import datetime, timezone
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from ..eventloop import off_loop
from ..extensions import db, socketio
from ..models import Contest

log = logging.getLogger(__name__)
# One snapshot at a time per process: a lock and the timer may fire together.
_lock = threading.Lock()


def backup_dir() -> Path:
    """The folder holding the snapshots."""
    folder = Path(current_app.config["BACKUP_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "manual"


def backup_now(reason: str = "manual", raise_errors: bool = False) -> Path | None:
    """Write a consistent snapshot now (after a lock, a publish, on the timer or on demand).

    A failed snapshot is logged and returns None unless raise_errors: the lock or publish it
    follows has already been committed and must not be reported as failed.
    """
    try:
        return _snapshot(reason)
    except (OSError, subprocess.SubprocessError, RuntimeError, sqlite3.Error):
        if raise_errors:
            raise
        log.exception("backup failed (%s)", reason)
        return None


def _snapshot(reason: str) -> Path:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    with _lock:
        if url.get_backend_name() == "sqlite":
            target = backup_dir() / f"scoreboard-{stamp}-{_slug(reason)}.db"
            # Copying the whole file takes a while: not on the loop every client shares.
            off_loop(_sqlite_backup, url.database, target)
        elif url.get_backend_name() == "postgresql":
            target = backup_dir() / f"scoreboard-{stamp}-{_slug(reason)}.dump"
            _pg_dump(url, target)
        else:
            raise RuntimeError(f"no backup method for {url.get_backend_name()}")
        prune(current_app.config.get("BACKUP_KEEP", 24))
    log.info("backup written: %s", target)
    return target


def _sqlite_backup(database: str, target: Path) -> None:
    partial = target.with_suffix(".part")
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    # Only a complete snapshot gets its final name.
    os.replace(partial, target)


def _pg_dump(url, target: Path) -> None:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target.with_suffix('.part')}",
               f"--dbname={url.database}"]
    if url.host:
        command.append(f"--host={url.host}")
    if url.port:
        command.append(f"--port={url.port}")
    if url.username:
        command.append(f"--username={url.username}")
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)
    os.replace(target.with_suffix(".part"), target)


def snapshots() -> list[Path]:
    """The snapshots in the folder, oldest first."""
    folder = backup_dir()
    return sorted(p for p in folder.iterdir() if p.name.startswith("scoreboard-")
                  and p.suffix in (".db", ".dump"))


def prune(keep: int) -> None:
    """Delete the oldest snapshots beyond `keep`."""
    for old in snapshots()[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def backup_if_open(reason: str = "berkala") -> Path | None:
    """A snapshot when any contest is open, else nothing (an idle laptop does not fill its disk)."""
    if db.session.scalar(db.select(Contest.id).filter_by(status="open").limit(1)) is None:
        return None
    return backup_now(reason)


def start_backup_scheduler(app: Flask) -> None:
    """Every BACKUP_INTERVAL_SECONDS, while any contest is open, take a snapshot (not under TESTING)."""
    interval = app.config.get("BACKUP_INTERVAL_SECONDS", 300)
    if app.config.get("TESTING") or interval <= 0 or app.extensions.get("backup_scheduler"):
        return
    app.extensions["backup_scheduler"] = True

    def loop():
        while True:
            socketio.sleep(interval)
            try:
                with app.app_context():
                    backup_if_open()
                    db.session.remove()
            except Exception:  # noqa: BLE001 - a failed snapshot must not stop the next one
                log.exception("automatic backup failed")

    socketio.start_background_task(loop)
