"""Cooperation with gevent's loop, for the event-day server (`python wsgi.py`, gunicorn -k gevent).

Under gevent every connection shares one OS thread. Network drivers yield while they wait
(psycopg 3 notices gevent's patched `select` by itself), but SQLite is a C library: a commit's
fsync, an automatic WAL checkpoint or a wait for another writer's lock would freeze every
projector and tablet for as long as it lasts. Those calls run on gevent's pool of native
threads instead (sqlite3 releases the GIL while it works), so the loop keeps serving.

Only those: the commit, and the statement that opens a write transaction when SQLite's lock
is taken by another process (tried at once first, it waits off the loop only then). Every other
statement takes microseconds (WAL readers never wait; the transaction already holds the lock),
and each trip to the pool costs the request a turn of the loop: while a push goes to 5,000
phones a turn is a whole round of their sends, and a save of twenty statements waited seconds.
"""
import sqlite3
import sys
import threading

# How long a statement waits for SQLite's write lock before "database is locked".
BUSY_TIMEOUT_MS = 15000


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


# SQLite's implicit BEGIN comes before these; from then on the connection holds the write lock.
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# One writing transaction at a time in this process, queued on the loop (a gevent lock once
# wsgi.py has patched threading). Writers left to wait on SQLite's own lock would each hold one
# of the pool's native threads; with the pool full, the writer holding the lock could not run
# its next statement, and every wait would end in "database is locked".
_writer_turn = threading.Lock()


class OffLoopCursor(sqlite3.Cursor):
    """A cursor whose statement that opens a write transaction runs off the loop."""

    def execute(self, sql, parameters=()):
        """Run one statement (one that opens a write waits for its turn, then runs off the loop)."""
        if self.connection.take_writer_turn(sql):
            return self.connection.open_write(super().execute, sql, parameters)
        return super().execute(sql, parameters)

    def executemany(self, sql, seq_of_parameters):
        """Run a batch (one that opens a write waits for its turn, then runs off the loop)."""
        if self.connection.take_writer_turn(sql):
            return self.connection.open_write(super().executemany, sql, seq_of_parameters)
        return super().executemany(sql, seq_of_parameters)


class OffLoopConnection(sqlite3.Connection):
    """A SQLite connection whose commit (fsync, automatic checkpoint) runs off the loop."""

    has_writer_turn = False

    def cursor(self, factory=OffLoopCursor):
        """Cursors of this connection run their statements off the loop."""
        return super().cursor(factory)

    def take_writer_turn(self, sql: str) -> bool:
        """Before the statement that opens a write transaction: wait until no other greenlet writes.

        True when `sql` is that statement (it may still wait for another process's lock).
        """
        if self.has_writer_turn or self.in_transaction:
            return False
        if sql.lstrip()[:7].upper().startswith(WRITE_STATEMENTS):
            _writer_turn.acquire()
            self.has_writer_turn = True
            return True
        return False

    def open_write(self, run, sql, parameters):
        """Run the statement that opens a write: at once when SQLite's lock is free (it is, unless
        another process writes), else off the loop while it waits for the lock."""
        if not gevent_patched():
            return run(sql, parameters)
        self.execute("PRAGMA busy_timeout=0")
        try:
            return run(sql, parameters)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
        finally:
            self.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return off_loop(run, sql, parameters)

    def end_writer_turn(self) -> None:
        """The transaction is over: the next writer may begin."""
        if self.has_writer_turn:
            self.has_writer_turn = False
            _writer_turn.release()

    def commit(self):
        """Commit on a native thread: with synchronous=FULL this waits for the disk."""
        try:
            return off_loop(super().commit)
        finally:
            self.end_writer_turn()

    def rollback(self):
        """Roll back; the next writer may begin."""
        try:
            return super().rollback()
        finally:
            self.end_writer_turn()

    def close(self):
        """Close; a transaction left open ends here too."""
        try:
            return super().close()
        finally:
            self.end_writer_turn()


def sqlite_engine_options(options: dict) -> dict:
    """SQLAlchemy engine options whose SQLite connections keep the gevent loop free."""
    connect_args = dict(options.get("connect_args") or {}, factory=OffLoopConnection)
    return dict(options, connect_args=connect_args)
