"""docs/deploy.md, tried: two gunicorn processes on one PostgreSQL database, pushes through Redis.

A judge saves on process A; a phone watching process B sees it. Redis restarts in the middle:
a save made while it is down still succeeds, the push it could not carry is missed by B's
watchers, and the next push (a version gap) makes B's board fetch the whole board again, so the
phone ends on the newest board with every save. Login throttling is shared through Redis too.
"""
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
import requests
import socketio as socketio_client
from sqlalchemy import create_engine, make_url, text

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.realtime import NAMESPACE
from scoreboard.services import access
from tests.conftest import (SHARED_TEST_DATABASE_URL, base_config, create_database_beside,
                            migrate_to_head, skip_or_fail)
from tests.e2e.conftest import ROOT, free_port
from tests.factories import gen_small_contest

pytestmark = pytest.mark.browser

POSTGRES = SHARED_TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1/postgres"


class RedisServer:
    """A redis-server of this test's own (the machine's shared one is never restarted)."""

    def __init__(self, workdir):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.process = None

    def start(self):
        """Start it and wait until it answers."""
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self):
        """Stop it (everything it held is gone: it keeps nothing on disk)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def subscribers(self) -> int:
        """How many server processes listen on Flask-SocketIO's channel."""
        try:
            return redis.Redis(port=self.port).pubsub_numsub("flask-socketio")[0][1]
        except redis.exceptions.ConnectionError:
            return 0


@pytest.fixture
def redis_server(tmp_path):
    """A private Redis for this test."""
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed (apt-get install -y redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def scale_out_database(tmp_path):
    """A PostgreSQL database of this test's own, migrated; dropped afterwards."""
    try:
        probe = create_engine(POSTGRES)
        with probe.connect():
            pass
        probe.dispose()
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not available"
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES}: {exc}")
    name = f"sb_scaleout_{uuid.uuid4().hex[:10]}"
    create_database_beside(POSTGRES, name)
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url, tmp_path)
    yield url
    server = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@contextmanager
def gunicorn_process(name, database_url, redis_url, tmp_path):
    """One server process exactly as docs/deploy.md starts it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / f"{name}.log", "w")
    env = dict(os.environ, DATABASE_URL=database_url, PORT=str(port), HOST="127.0.0.1",
               SOCKETIO_MESSAGE_QUEUE=f"{redis_url}/0", RATELIMIT_STORAGE_URI=f"{redis_url}/1",
               SECRET_KEY="scale-out-secret", SCOREBOARD_INSTANCE_PATH=str(tmp_path / name),
               BACKUP_DIR=str(tmp_path / name / "backups"), PUBLIC_BASE_URL="")
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    process = subprocess.Popen([gunicorn, "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/", timeout=2)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn {name} did not start:\n"
                                + (tmp_path / f"{name}.log").read_text())
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def logged_in_tablet(server_url, code):
    """A judge's tablet session, logged in by the personal link."""
    tablet = requests.Session()
    tablet.get(f"{server_url}/judge/login/{access.normalize_code(code)}", timeout=10)
    return tablet


def submit(server_url, tablet, contest_id, team_id, criteria, values):
    """A judge's tablet submits a sheet through the real endpoint; returns the HTTP status."""
    path = f"{server_url}/judge/contests/{contest_id}/teams/{team_id}"
    token = re.search(r'name="csrf-token" content="([^"]+)"', tablet.get(path, timeout=10).text)[1]
    form = {f"score-{cid}": value for cid, value in zip(criteria, values)}
    form.update(client_id=uuid.uuid4().hex, intent="submit")
    return tablet.post(path, data=form, timeout=20,
                       headers={"Accept": "application/json", "X-CSRFToken": token}).status_code


def wait_until(condition, timeout=20.0):
    """Poll until condition() is true; False when it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_two_processes_share_pushes_and_resync_after_a_redis_restart(
        browser, redis_server, scale_out_database, tmp_path):
    app = create_app(base_config(scale_out_database, tmp_path))
    with app.app_context():
        _event, contest, teams, (_judge, code), _ = gen_small_contest()
        contest_id, team_ids = contest.id, [t.id for t in teams]
        criteria = [c.id for c in contest.criteria]
        db.engine.dispose()

    with gunicorn_process("a", scale_out_database, redis_server.url, tmp_path) as server_a, \
            gunicorn_process("b", scale_out_database, redis_server.url, tmp_path) as server_b:
        # The tablet logs in first (a correct code is never throttled; wrong ones are below).
        tablet = logged_in_tablet(server_a, code)
        # Failed logins count in Redis: ten on A, and B already refuses the eleventh. Checked
        # before Redis restarts, because a process that fell back to memory while Redis was
        # down returns to Redis only after Flask-Limiter's own back-off. (Ten different wrong
        # codes: one code tried again is throttled by itself after five.)
        for n in range(10):
            assert requests.get(f"{server_a}/judge/login/SALAHKODE{n}", timeout=10).status_code == 403
        assert requests.get(f"{server_b}/judge/login/SALAHKODEX", timeout=10).status_code == 429

        versions = []
        watcher = socketio_client.Client(reconnection=True)
        watcher.on("standings", lambda message: versions.append(message["version"]),
                   namespace=NAMESPACE)
        watcher.connect(server_b, namespaces=[NAMESPACE], transports=["websocket"])
        assert watcher.call("watch", {"contest": contest_id}, namespace=NAMESPACE)["ok"]
        phone = browser.new_page()
        phone.goto(f"{server_b}/board/{contest_id}")
        phone.wait_for_selector("#conn[data-state=online]")
        # A process subscribes once its first viewer connects.
        assert wait_until(lambda: redis_server.subscribers() >= 1)

        def score_of(team_id):
            return phone.locator(f'#board li[data-team="{team_id}"] .score').inner_text().strip()

        # Saved on A, seen on B.
        assert submit(server_a, tablet, contest_id, team_ids[0], criteria, ("8", "9")) == 200
        assert wait_until(lambda: score_of(team_ids[0]) == "26,00", 10), score_of(team_ids[0])
        assert wait_until(lambda: len(versions) == 1, 10)

        # Redis goes away: the save is still acknowledged, but B's watchers cannot hear of it.
        redis_server.stop()
        assert submit(server_a, tablet, contest_id, team_ids[1], criteria, ("7", "7")) == 200
        redis_server.start()
        # B subscribes again by itself (python-socketio retries with backoff).
        assert wait_until(lambda: redis_server.subscribers() >= 1, 40), "B never resubscribed"
        assert submit(server_a, tablet, contest_id, team_ids[2], criteria, ("5", "6")) == 200
        assert wait_until(lambda: len(versions) >= 2, 10), "pushes did not resume"
        assert versions[-1] >= versions[0] + 2  # one version was never pushed to B
        # The phone saw the gap and fetched the whole board: every save is on it.
        assert wait_until(lambda: score_of(team_ids[2]) == "17,00", 10)
        assert score_of(team_ids[1]) == "21,00"
        assert score_of(team_ids[0]) == "26,00"
        watcher.disconnect()
        phone.close()
