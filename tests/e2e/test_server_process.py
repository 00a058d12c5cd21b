"""`python wsgi.py` as the organizer runs it: gevent with WebSocket, and no development-server warning."""
import urllib.request

import socketio as socketio_client

from scoreboard.realtime import NAMESPACE
from tests.conftest import fresh_database_url
from tests.e2e.conftest import free_port, start_event_day_server


def test_python_wsgi_py_is_the_event_day_server(migrated_database, tmp_path):
    log = tmp_path / "server.log"
    with open(log, "w") as output:
        url, process = start_event_day_server(fresh_database_url(migrated_database, tmp_path),
                                              tmp_path, free_port(), output=output)
    try:
        assert urllib.request.urlopen(url + "/", timeout=5).status == 200
        viewer = socketio_client.Client(reconnection=False)
        viewer.connect(url, namespaces=[NAMESPACE], transports=["websocket"])
        assert viewer.transport() == "websocket"
        viewer.disconnect()
    finally:
        process.terminate()
        process.wait(timeout=10)
    printed = log.read_text()
    assert "server hari-H, gevent" in printed
    assert "development server" not in printed.lower()
    assert "WARNING" not in printed
