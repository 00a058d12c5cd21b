"""Backups: a consistent snapshot that restores to the same standings, bounded copies, on demand."""
import shutil
import subprocess

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.models import Contest
from scoreboard.services.backup import backup_if_open, backup_now, snapshots
from scoreboard.services.standings import standings_for
from tests.conftest import TEST_DATABASE_URL, base_config, skip_or_fail
from tests.factories import gen_penalty, gen_sheet, gen_small_contest


def scored_contest():
    event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, teams[0], [8, 9])
    gen_sheet(contest, judge_b, teams[0], [7, 8.5])
    gen_sheet(contest, judge_a, teams[1], [7, 7.5])
    gen_penalty(contest, teams[1], 1)
    return contest


def restore(snapshot, tmp_path) -> str:
    """Restore a snapshot as the README says; return the restored database's URL."""
    if not TEST_DATABASE_URL:
        # SQLite: copy the snapshot in place of the database file.
        restored_file = tmp_path / "restored" / "scoreboard.db"
        restored_file.parent.mkdir()
        shutil.copy(snapshot, restored_file)
        return f"sqlite:///{restored_file}"
    # PostgreSQL: pg_restore the dump into a scratch database beside the test database.
    if not shutil.which("pg_restore"):
        skip_or_fail("pg_restore is not installed: cannot check a PostgreSQL backup restores")
    url = make_url(TEST_DATABASE_URL)
    scratch = f"{url.database}_restore"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    engine.dispose()
    target = url.set(database=scratch)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                    f"--dbname={target.set(drivername='postgresql').render_as_string(hide_password=False)}",
                    str(snapshot)], check=True, capture_output=True, timeout=60)
    return target.render_as_string(hide_password=False)


def test_backup_restores_to_the_same_standings(app, tmp_path):
    contest = scored_contest()
    board = [row.as_public() for row in standings_for(contest)]
    snapshot = backup_now("kunci Lomba Yel-Yel")
    assert snapshot.parent == tmp_path / "backups"
    assert "kunci-lomba-yel-yel" in snapshot.name
    assert snapshot.suffix == (".dump" if TEST_DATABASE_URL else ".db")
    # Later changes are not in the snapshot.
    gen_penalty(contest, contest.teams[0], 5)
    assert [row.as_public() for row in standings_for(contest)] != board
    restored = create_app(base_config(restore(snapshot, tmp_path), tmp_path / "restored"))
    with restored.app_context():
        again = db.session.scalar(db.select(Contest).filter_by(name=contest.name))
        assert [row.as_public() for row in standings_for(again)] == board
        db.session.remove()
        db.engine.dispose()


def test_only_the_newest_copies_are_kept(app):
    app.config["BACKUP_KEEP"] = 3
    gen_small_contest()
    made = [backup_now(f"uji {n}") for n in range(5)]
    assert snapshots() == made[-3:]


def test_timer_backs_up_only_while_a_contest_is_open(app):
    _event, contest, *_rest = gen_small_contest()
    contest.status = "closed"
    db.session.commit()
    assert backup_if_open() is None
    contest.status = "open"
    db.session.commit()
    assert backup_if_open() is not None
    # No timer thread under TESTING: tests must not write snapshots behind their back.
    assert "backup_scheduler" not in app.extensions


def test_cli_backup_on_demand(app, runner):
    gen_small_contest()
    outcome = runner.invoke(args=["backup"])
    assert outcome.exit_code == 0, outcome.output
    assert "Cadangan ditulis" in outcome.output
    assert len(snapshots()) == 1
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    assert snapshots()[0].suffix == (".db" if url.get_backend_name() == "sqlite" else ".dump")
