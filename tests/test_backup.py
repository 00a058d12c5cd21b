"""Backups: a consistent snapshot that restores to the same standings, bounded copies, on demand."""
import shutil

from sqlalchemy.engine import make_url

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.models import Contest
from scoreboard.services.backup import backup_if_open, backup_now, snapshots
from scoreboard.services.standings import standings_for
from tests.conftest import TEST_DATABASE_URL, base_config
from tests.factories import gen_penalty, gen_sheet, gen_small_contest


def scored_contest():
    event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, teams[0], [8, 9])
    gen_sheet(contest, judge_b, teams[0], [7, 8.5])
    gen_sheet(contest, judge_a, teams[1], [7, 7.5])
    gen_penalty(contest, teams[1], 1)
    return contest


def test_backup_restores_to_the_same_standings(app, tmp_path):
    contest = scored_contest()
    board = [row.as_public() for row in standings_for(contest)]
    snapshot = backup_now("kunci Lomba Yel-Yel")
    assert snapshot.parent == tmp_path / "backups"
    assert "kunci-lomba-yel-yel" in snapshot.name
    if TEST_DATABASE_URL:
        # pg_dump's custom format; restoring needs pg_restore into another database (README).
        assert snapshot.suffix == ".dump" and snapshot.stat().st_size > 0
        return
    # Later changes are not in the snapshot.
    gen_penalty(contest, contest.teams[0], 5)
    # Restore as the README says: copy the snapshot in place of the database file.
    restored_file = tmp_path / "restored" / "scoreboard.db"
    restored_file.parent.mkdir()
    shutil.copy(snapshot, restored_file)
    restored = create_app(base_config(f"sqlite:///{restored_file}", tmp_path / "restored"))
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
