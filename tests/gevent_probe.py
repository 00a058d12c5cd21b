"""Run as `python -m tests.gevent_probe DATABASE_URL HOLD_SECONDS`: does a database wait freeze the loop?

Patched the way `python wsgi.py` patches, then two greenlets: one waits on the database (SQLite:
it saves an event while another connection holds the write lock; PostgreSQL: a query runs
pg_sleep), the other ticks every 10 ms. Prints JSON: how many ticks happened during the wait and
how many events the save stored. A driver that blocks the loop leaves the ticker near 0.
"""
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from sqlalchemy import text  # noqa: E402

from scoreboard import create_app  # noqa: E402
from scoreboard.extensions import db  # noqa: E402
from scoreboard.models import Event  # noqa: E402


def hold_sqlite_write_lock(path: str, seconds: float, held) -> None:
    """On a native thread: take SQLite's write lock with a plain connection and keep it a while."""
    import sqlite3
    native_sleep = monkey.get_original("time", "sleep")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    held.set()
    native_sleep(seconds)
    other.execute("COMMIT")
    other.close()


def main(url: str, hold: float) -> dict:
    """Save under a database wait of `hold` seconds while a ticker counts."""
    workdir = Path(sys.argv[3])
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "probe", "TESTING": True,
                      "BACKUP_DIR": str(workdir / "backups"), "INSTANCE_PATH": str(workdir)})
    ticks = []

    def ticker(saver):
        while not saver.dead:
            gevent.sleep(0.01)
            ticks.append(1)

    def save():
        with app.app_context():
            if url.startswith("postgresql"):
                db.session.execute(text("SELECT pg_sleep(:s)"), {"s": hold})
                return
            db.session.add(Event(name="Probe", held_on=date(2026, 2, 26)))
            db.session.commit()

    if url.startswith("sqlite"):
        held = monkey.get_original("threading", "Event")()
        lock_holder = gevent.get_hub().threadpool.spawn(
            hold_sqlite_write_lock, url.removeprefix("sqlite:///"), hold, held)
        gevent.get_hub().threadpool.apply(held.wait)
    else:
        lock_holder = None
    saver = gevent.spawn(save)
    counter = gevent.spawn(ticker, saver)
    gevent.joinall([saver, counter], raise_error=True)
    if lock_holder is not None:
        lock_holder.get()
    stored = None
    with app.app_context():
        if lock_holder is not None:
            stored = db.session.scalar(db.select(db.func.count(Event.id)).filter_by(name="Probe"))
        db.engine.dispose()
    return {"ticks": len(ticks), "stored": stored,
            "async_mode": app.config["SOCKETIO_ASYNC_MODE"]}


def many_writers(url: str, writers: int) -> dict:
    """`writers` greenlets save at once, more than gevent's pool has native threads."""
    workdir = Path(sys.argv[3])
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "probe", "TESTING": True,
                      "BACKUP_DIR": str(workdir / "backups"), "INSTANCE_PATH": str(workdir),
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": writers, "max_overflow": 0}})
    failures = []

    def save(n):
        with app.app_context():
            try:
                # Several statements in one transaction, as a save has (sheet, scores, audit):
                # between any two, the greenlet waits for the pool and the others run.
                for part in range(4):
                    db.session.add(Event(name=f"Penulis {n}.{part}", held_on=date(2026, 2, 26)))
                    db.session.flush()
                    gevent.sleep(0.02)  # e.g. rendering or a Redis call inside the transaction
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the test
                failures.append(repr(error)[:200])

    started = time.monotonic()
    gevent.joinall([gevent.spawn(save, n) for n in range(writers)], timeout=60)
    with app.app_context():
        stored = db.session.scalar(db.select(db.func.count(Event.id)).where(Event.name.like("Penulis%")))
        db.engine.dispose()
    return {"stored": stored, "failures": failures, "seconds": time.monotonic() - started}


def pool_trips(url: str) -> dict:
    """How many times one uncontended save of several statements waits for the native-thread pool."""
    workdir = Path(sys.argv[3])
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "probe", "TESTING": True,
                      "BACKUP_DIR": str(workdir / "backups"), "INSTANCE_PATH": str(workdir)})
    from scoreboard import eventloop
    trips = []
    off_loop = eventloop.off_loop

    def counted(function, *args):
        trips.append(getattr(function, "__name__", "?"))
        return off_loop(function, *args)

    with app.app_context():
        db.session.scalar(db.select(db.func.count(Event.id)))  # the connection is open already
        eventloop.off_loop = counted
        for part in range(4):
            db.session.add(Event(name=f"Perjalanan {part}", held_on=date(2026, 2, 26)))
            db.session.flush()
        db.session.commit()
        eventloop.off_loop = off_loop
        stored = db.session.scalar(db.select(db.func.count(Event.id)).where(Event.name.like("Perjalanan%")))
        db.engine.dispose()
    return {"trips": len(trips), "stored": stored}


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[4] == "trips":
        print(json.dumps(pool_trips(sys.argv[1])))
    elif len(sys.argv) > 4 and sys.argv[4] == "writers":
        print(json.dumps(many_writers(sys.argv[1], int(sys.argv[2]))))
    else:
        print(json.dumps(main(sys.argv[1], float(sys.argv[2]))))
