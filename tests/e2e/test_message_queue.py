"""rules §6: several server processes share pushes through Redis, Flask-SocketIO's own queue."""
import threading

import pytest
import redis
import socketio as socketio_client
from flask_socketio import SocketIO

from scoreboard.realtime import NAMESPACE, contest_room
from tests.conftest import skip_or_fail
from tests.factories import gen_small_contest

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def queued_server(request, monkeypatch):
    """A real server process listening on the Redis message queue."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    monkeypatch.setenv("E2E_MESSAGE_QUEUE", REDIS_URL)
    return request.getfixturevalue("live_server")


def test_a_push_from_another_process_reaches_this_servers_watchers(queued_server):
    with queued_server.app.app_context():
        _event, contest, *_ = gen_small_contest()
        contest_id = contest.id
    arrived = threading.Event()
    payloads = []
    watcher = socketio_client.Client(reconnection=False)

    @watcher.on("standings", namespace=NAMESPACE)
    def on_standings(payload):
        payloads.append(payload)
        arrived.set()

    watcher.connect(queued_server.url, namespaces=[NAMESPACE], transports=["websocket"])
    try:
        assert watcher.call("watch", {"contest": contest_id}, namespace=NAMESPACE)["ok"] is True
        # What a second server process does after a save: emit through the queue only.
        SocketIO(message_queue=REDIS_URL).emit(
            "standings", {"contest": contest_id, "version": 99, "html": "", "rows": []},
            namespace=NAMESPACE, to=contest_room(contest_id))
        assert arrived.wait(5), "the push never crossed the message queue"
        assert [p["version"] for p in payloads] == [99]
    finally:
        watcher.disconnect()
