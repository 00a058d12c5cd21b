"""Run as `python -m tests.fanout_probe WORKDIR`: do pushes reach a phone that stops reading, whole and in order?

Patched the way `python wsgi.py` patches, the app served by gevent with gevent-websocket (as
Flask-SocketIO serves it in gevent mode). Two raw WebSocket clients connect to /live: one reads
as it goes, the other has a tiny receive buffer and reads nothing until every push is out, so
its kernel buffers fill and the direct fan-out meets a frame taken in part and a connection that
is busy. Then it reads everything. Prints JSON: the versions each client received, in order,
and how the fan-out sent the packets.
"""
from gevent import monkey

monkey.patch_all()

import base64  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from engineio.packet import MESSAGE, Packet  # noqa: E402
from gevent import pywsgi  # noqa: E402
from geventwebsocket.handler import WebSocketHandler  # noqa: E402

from scoreboard import create_app  # noqa: E402
from scoreboard.extensions import socketio  # noqa: E402

PUSHES = 40
PAYLOAD = "x" * 250_000  # 40 of them are more than the kernel buffers a stalled phone: frames go in part


class RawWebSocket:
    """A minimal WebSocket client on a plain socket, reading only when told to."""

    def __init__(self, port: int, receive_buffer: int | None = None):
        self.sock = socket.socket()
        if receive_buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                           f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def send(self, text: str) -> None:
        """One masked text frame, as a browser sends it."""
        payload, mask = text.encode(), os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        length = len(payload)
        header = bytes([0x81, 0x80 | length]) if length < 126 else \
            bytes([0x81, 0x80 | 126]) + struct.pack("!H", length)
        self.sock.sendall(header + mask + masked)

    def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self) -> str:
        """The next text frame (the server's frames are unmasked and not fragmented)."""
        first, second = self._take(2)
        assert first == 0x81, f"not a whole text frame: {first:#x}"
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._take(8))[0]
        return self._take(length).decode()

    def join_live(self) -> None:
        """Engine.IO open, then the /live namespace."""
        assert self.receive().startswith("0{")
        self.send("40/live,")
        assert self.receive().startswith("40/live,")

    def versions(self, until: int) -> list[int]:
        """The versions of the `standings` pushes received, up to `until` (pings answered)."""
        seen = []
        while not seen or seen[-1] < until:
            packet = self.receive()
            if packet == "2":
                self.send("3")
                continue
            assert packet.startswith('42/live,["standings",'), packet[:60]
            seen.append(json.loads(packet[len("42/live,"):])[1]["version"])
        return seen


def main(workdir: Path) -> dict:
    """Push to a reading client and to one that reads nothing until every push is out."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'probe.db'}",
                      "SECRET_KEY": "probe", "TESTING": True,
                      "BACKUP_DIR": str(workdir / "backups"), "INSTANCE_PATH": str(workdir)})
    server = pywsgi.WSGIServer(("127.0.0.1", 0), app, handler_class=WebSocketHandler, log=None)
    server.start()
    reader, stalled = RawWebSocket(server.server_port), RawWebSocket(server.server_port, 2048)
    reader.join_live()
    stalled.join_live()
    received = gevent.spawn(reader.versions, PUSHES)
    for version in range(1, PUSHES + 1):
        socketio.emit("standings", {"version": version, "html": PAYLOAD}, namespace="/live")
        gevent.sleep(0.005)
    first = received.get(timeout=30)
    late = stalled.versions(PUSHES)
    # Once it has caught up, the stalled phone's connection is idle again: straight writes.
    socketio.emit("standings", {"version": PUSHES + 1, "html": "kecil"}, namespace="/live")
    late += stalled.versions(PUSHES + 1)
    # A packet that went to a connection's queue (as engine.io's pings do) and a push right
    # after it, before the connection's writer has run: the push must not overtake it.
    fanout = app.extensions["direct_fanout"]
    for sid in list(socketio.server.eio.sockets):
        fanout.queued_send(sid, Packet(MESSAGE, '2/live,["standings",{"version":%d}]' % (PUSHES + 2)))
    socketio.emit("standings", {"version": PUSHES + 3, "html": "kecil"}, namespace="/live")
    first += reader.versions(PUSHES + 3)
    late += stalled.versions(PUSHES + 3)
    server.stop()
    return {"reader": first, "stalled": late, "counts": fanout.counts}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
