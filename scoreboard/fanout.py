"""Direct fan-out under gevent: a push is framed once and written to every idle WebSocket at once.

python-engineio gives every connection a queue and a writer greenlet. A push to 2,000 phones is
then 2,000 queue puts, 2,000 writers woken (each arming and cancelling its poll timer), and
2,000 times the packet framed again and written with gevent's `sendall`, which first asks the
kernel for the buffer size. Installed on the event-day server (gevent with gevent-websocket),
the engine.io server's `send_packet` writes a packet to a connection that has nothing else to
send straight from the pushing greenlet, the frame built once per packet, without waiting.

Order and integrity stay as engine.io keeps them: a connection that is not plainly idle (still
upgrading or on long-polling, packets already queued, its writer in the middle of a frame, or
its kernel buffer full) gets the packet the usual way, behind what it already has. A frame the
kernel took only in part is finished in the background while the connection's writer waits.
The fan-out lets the loop serve a waiting request every so many sockets, and emits go out one at
a time, so no emit started meanwhile reaches a phone before the one in progress.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

import gevent
from engineio.async_drivers import gevent as engineio_gevent
from gevent.lock import RLock, Semaphore
from gevent.ssl import SSLSocket
from geventwebsocket.websocket import Header, WebSocket

# Written without yielding, a push to 5,000 phones would hold the loop for a quarter of a second
# on a slow laptop; every so many sockets the fan-out lets a waiting request (a save) run.
WRITES_BETWEEN_BREATHS = 250
# A breath is a sleep on a timer, not gevent.sleep(0): that one only runs greenlets already
# scheduled, and gevent polls for I/O (a judge's request arriving, a commit's result coming back
# from its thread) only after fifty such callbacks and 5 ms, so a whole fan-out would go by
# without a save being read. A timer due at once makes the loop poll I/O before it fires.
BREATH_SECONDS = 0.000001


class DirectFanOut:
    """Installed on one engine.io server: its `send_packet` writes to idle WebSockets directly."""

    def __init__(self, eio):
        self.eio = eio
        self.queued_send = eio.send_packet
        # engine.io session id -> the connection's WebSocket, while its handler runs.
        self.websockets: dict[str, TakingTurnsWebSocket] = {}
        self.last_packet = None
        self.last_frame = b""
        # How each packet went (a test reads them): written whole, finished in the background,
        # or handed to the connection's queue.
        self.counts = {"direct": 0, "partial": 0, "queued": 0}
        self.written_in_a_row = 0
        # Seconds spent letting others run in the middle of a fan-out, in all, and when the breath
        # now going on began (own_clock).
        self.breathing = 0.0
        self.breath_started: float | None = None

    def own_clock(self) -> float:
        """A monotonic clock that stands still while a fan-out breathes: the time pushes
        themselves kept the loop busy, without the saves let through meanwhile (the coalescer's
        pause is a multiple of it). It never goes back."""
        stopped = self.breath_started
        return (time.monotonic() if stopped is None else stopped) - self.breathing

    def send_packet(self, sid: str, pkt) -> None:
        """Send one engine.io packet to one client: directly when its connection is idle."""
        websocket = self.websockets.get(sid)
        if websocket is not None:
            connection = self.eio.sockets.get(sid)
            if (connection is not None and connection.upgraded and not connection.upgrading
                    and not connection.closing and not connection.closed
                    and not connection.queue.qsize()):
                written = websocket.write_now(self.frame(pkt))
                if written:
                    self.counts[written] += 1
                    self.take_a_breath()
                    return
        self.counts["queued"] += 1
        self.queued_send(sid, pkt)

    def take_a_breath(self) -> None:
        """Let the loop serve others (a judge's save) between stretches of a long fan-out."""
        self.written_in_a_row += 1
        if self.written_in_a_row >= WRITES_BETWEEN_BREATHS:
            self.written_in_a_row = 0
            if self.breath_started is not None:
                # Another greenlet's breath (a connection's handshake packets) is being counted.
                gevent.sleep(BREATH_SECONDS)
                return
            self.breath_started = started = time.monotonic()
            try:
                gevent.sleep(BREATH_SECONDS)
            finally:  # a breath cut short (the greenlet killed) still ends
                self.breathing += time.monotonic() - started
                self.breath_started = None

    def frame(self, pkt) -> bytes:
        """The packet as one WebSocket frame; a push sends the same packet object to every member
        of a room, so it is framed once."""
        if pkt is not self.last_packet:
            data = pkt.encode()
            if isinstance(data, str):
                payload, opcode = data.encode("utf-8"), WebSocket.OPCODE_TEXT
            else:
                payload, opcode = bytes(data), WebSocket.OPCODE_BINARY
            self.last_frame = Header.encode_header(True, opcode, b"", len(payload), 0) + payload
            self.last_packet = pkt
        return self.last_frame


class TakingTurnsWebSocket(engineio_gevent.WebSocketWSGI):
    """engine.io's gevent-websocket connection, whose writer and the direct fan-out take turns."""

    fanout: DirectFanOut  # set on the subclass install() makes for one server

    def __init__(self, handler, server):
        super().__init__(handler, server)
        # Held while a frame is being written: by the connection's writer for each packet, or by
        # the background greenlet that finishes a frame the kernel took only in part.
        self.writing = Semaphore()
        # Writers waiting for their turn: a release only schedules the waiter, so for a moment
        # the semaphore looks free while a packet taken from the queue still waits to go first.
        self.waiting = 0
        self.tcp = None

    def __call__(self, environ, start_response):
        """Serve the connection (engine.io's handler, for as long as it lasts), known by its sid."""
        sid = self.app.__self__.sid  # the engine.io socket whose _websocket_handler this is
        websocket = environ.get("wsgi.websocket")
        # Only plain TCP: gevent's TLS socket would wait in send() whatever its timeout (TLS is
        # the proxy's job, docs/deploy.md). A second WebSocket for one session is not used.
        if (websocket is not None and not isinstance(websocket.handler.socket, SSLSocket)
                and sid not in self.fanout.websockets):
            self.tcp = websocket.handler.socket
            self.fanout.websockets[sid] = self
        try:
            return super().__call__(environ, start_response)
        finally:
            if self.fanout.websockets.get(sid) is self:
                del self.fanout.websockets[sid]

    def send(self, message):
        """The connection's writer sends a packet when no other frame is being written."""
        with self._turn():
            return super().send(message)

    def close(self):
        """The closing frame, too, waits for a frame being written."""
        with self._turn():
            return super().close()

    @contextmanager
    def _turn(self):
        """Hold the connection for one frame, counted as waiting until it is ours."""
        self.waiting += 1
        try:
            self.writing.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self.writing.release()

    def write_now(self, frame: bytes) -> str | None:
        """Write a whole frame without waiting: "direct", "partial" (the rest follows in the
        background, before anything else), or None when the connection is busy or its kernel
        buffer is full (nothing was written: send it the usual way)."""
        if self.writing.locked() or self.waiting or self._sock.closed:
            return None
        try:
            sent = self.tcp.send(frame, 0, 0.0)  # gevent's timeout 0: raise rather than wait
        except OSError:  # buffer full (EAGAIN), or the connection is gone: the writer finds out
            return None
        if sent == len(frame):
            return "direct"
        self.writing.acquire()  # free a moment ago, and nothing has yielded since
        finishing = gevent.spawn(self._write_rest, memoryview(frame)[sent:])
        # Released when the greenlet ends in any way, even killed before it ran (at shutdown).
        finishing.link(lambda _greenlet: self.writing.release())
        return "partial"

    def _write_rest(self, rest: memoryview) -> None:
        """Finish a frame; the connection's writer waits until it is whole."""
        try:
            self.tcp.sendall(rest)
        except OSError:
            pass  # the connection is gone: its reader and writer end it as they would


def install(server) -> DirectFanOut | None:
    """Use the direct fan-out on a Socket.IO server in gevent mode with gevent-websocket."""
    eio = server.eio
    if eio.async_mode != "gevent" or engineio_gevent.SimpleWebSocketWSGI is not None:
        return None
    fanout = DirectFanOut(eio)
    # The fan-out pauses inside an emit: another emit started meanwhile (a timer tap, the next
    # push) could reach a phone first. Emits therefore go out one at a time, each whole.
    emitting = RLock()
    emit_to_everyone = server.manager.emit

    def emit_one_at_a_time(*args, **kwargs):
        with emitting:
            return emit_to_everyone(*args, **kwargs)

    server.manager.emit = emit_one_at_a_time
    websocket_class = type("TakingTurnsWebSocket", (TakingTurnsWebSocket,), {"fanout": fanout})
    # The server's own copy of the driver table: engine.io builds each connection's WebSocket
    # from it, and its send_packet is what python-socketio calls for every member of a room.
    eio._async = {**eio._async, "websocket": websocket_class}
    eio.send_packet = fanout.send_packet
    return fanout
