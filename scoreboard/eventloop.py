"""Cooperation with gevent's loop, for the event-day server (`python wsgi.py`, gunicorn -k gevent).

Under gevent every connection shares one OS thread. Network drivers yield while they wait
(psycopg 3 notices gevent's patched `select` by itself), but SQLite is a C library: a commit's
fsync, an automatic WAL checkpoint or a wait for another writer's lock would freeze every
projector and tablet for as long as it lasts. Those calls run on gevent's pool of native
threads instead (sqlite3 releases the GIL while it works), so the loop keeps serving.
"""
import sqlite3
import sys


def gevent_patched() -> bool:
    """True in a process that gevent monkey-patched before it imported the app."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("socket")


def default_async_mode() -> str:
    """Flask-SocketIO's mode: gevent under the event-day server, threading under `flask run` and tests."""
    return "gevent" if gevent_patched() else "threading"


def off_loop(function, *args):
    """Run a blocking call on a native thread while the loop serves others (plainly without gevent)."""
    if not gevent_patched():
        return function(*args)
    import gevent  # only a gevent-patched process gets here; tests and `flask run` never load it
    succeeded, outcome = gevent.get_hub().threadpool.apply(_outcome_of, (function, args))
    if not succeeded:
        raise outcome
    return outcome


def _outcome_of(function, args):
    """Return the error instead of raising it: gevent prints every error raised in its pool, and an
    expected one (a unique constraint that makes a repeated save idempotent) is not news."""
    try:
        return True, function(*args)
    except Exception as error:  # noqa: BLE001 - re-raised in the caller's greenlet
        return False, error


class OffLoopCursor(sqlite3.Cursor):
    """A cursor whose statements may wait for the write lock or the disk: off the loop."""

    def execute(self, sql, parameters=()):
        """Run one statement on a native thread."""
        return off_loop(super().execute, sql, parameters)

    def executemany(self, sql, seq_of_parameters):
        """Run a batch on a native thread."""
        return off_loop(super().executemany, sql, seq_of_parameters)


class OffLoopConnection(sqlite3.Connection):
    """A SQLite connection whose commit (fsync, automatic checkpoint) runs off the loop."""

    def cursor(self, factory=OffLoopCursor):
        """Cursors of this connection run their statements off the loop."""
        return super().cursor(factory)

    def commit(self):
        """Commit on a native thread: with synchronous=FULL this waits for the disk."""
        return off_loop(super().commit)


def sqlite_engine_options(options: dict) -> dict:
    """SQLAlchemy engine options whose SQLite connections keep the gevent loop free."""
    connect_args = dict(options.get("connect_args") or {}, factory=OffLoopConnection)
    return dict(options, connect_args=connect_args)
