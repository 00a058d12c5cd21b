"""The event-day server (`python wsgi.py`): gevent, and databases that never freeze its loop."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoreboard.eventloop import default_async_mode, gevent_patched
from tests.conftest import SHARED_TEST_DATABASE_URL, fresh_database_url, skip_or_fail

ROOT = Path(__file__).resolve().parents[1]


def probe(database_url: str, hold: float, workdir: Path, *mode: str) -> dict:
    """tests/gevent_probe.py in a gevent-patched process of its own."""
    result = subprocess.run([sys.executable, "-m", "tests.gevent_probe", database_url, str(hold),
                             str(workdir), *mode], cwd=ROOT, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def sqlite_url(migrated_database, tmp_path) -> str:
    """A fresh migrated SQLite database of this test; skipped on a PostgreSQL run."""
    url = fresh_database_url(migrated_database, tmp_path)
    if not url.startswith("sqlite"):
        pytest.skip("this run's test database is PostgreSQL; the SQLite case runs on SQLite")
    return url


def test_tests_and_flask_run_stay_on_threading():
    assert not gevent_patched()
    assert default_async_mode() == "threading"


def test_a_sqlite_save_waiting_for_the_write_lock_lets_every_other_client_run(sqlite_url, tmp_path):
    outcome = probe(sqlite_url, 1.5, tmp_path)
    assert outcome["async_mode"] == "gevent"
    assert outcome["stored"] == 1  # the save went through once the lock was free
    # Blocked, the ticker gets at most one tick in; a busy machine still lets it tick a few times.
    assert outcome["ticks"] >= 3, outcome


def test_more_concurrent_sqlite_writers_than_native_threads_all_get_through(sqlite_url, tmp_path):
    # gevent's pool has 10 native threads; writers waiting on SQLite's lock must not fill it
    # while the writer holding the lock needs one to finish (that ended in "database is locked").
    outcome = probe(sqlite_url, 24, tmp_path, "writers")
    assert outcome["failures"] == []
    assert outcome["stored"] == 4 * 24


def test_an_uncontended_sqlite_save_leaves_the_loop_only_for_its_commit(sqlite_url, tmp_path):
    # Each trip to the pool costs a turn of the loop, which at 5,000 phones is a round of their
    # sends: a save of twenty statements that made twenty trips waited seconds in a burst.
    outcome = probe(sqlite_url, 0, tmp_path, "trips")
    assert outcome == {"trips": 1, "stored": 4}


def test_psycopg_waits_cooperatively_under_gevent(tmp_path):
    url = SHARED_TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1/postgres"
    from sqlalchemy import create_engine
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not available"
        skip_or_fail(f"PostgreSQL is not reachable at {url}: {exc}")
    finally:
        engine.dispose()
    outcome = probe(url, 1.5, tmp_path)
    assert outcome["async_mode"] == "gevent"
    # psycopg's C wait function would hold the loop for the whole pg_sleep (one tick at most).
    assert outcome["ticks"] >= 3, outcome


def test_pushes_reach_a_phone_that_stopped_reading_whole_and_in_order(tmp_path):
    """The direct fan-out meets a full kernel buffer: a frame taken in part, then a busy writer."""
    result = subprocess.run([sys.executable, "-m", "tests.fanout_probe", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    # 42 was queued (as engine.io queues a ping) just before 43 was pushed: it still comes first.
    assert outcome["reader"] == list(range(1, 44))
    assert outcome["stalled"] == list(range(1, 44))
    # Every path was taken: written at once, finished in the background, queued behind it.
    assert outcome["counts"]["direct"] > 0
    assert outcome["counts"]["partial"] > 0
    assert outcome["counts"]["queued"] > 0
