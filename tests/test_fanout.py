"""The direct fan-out's choices (scoreboard/fanout.py), with stand-ins for engine.io's connections.

tests/fanout_probe.py runs it for real on gevent's server (tests/test_event_day_server.py).
"""
from types import SimpleNamespace

import pytest
from engineio.packet import MESSAGE, Packet

from scoreboard import fanout


class Queue:
    def __init__(self, waiting=0):
        self.waiting = waiting

    def qsize(self):
        return self.waiting


class Connection(SimpleNamespace):
    """An engine.io socket: upgraded to WebSocket, idle, unless told otherwise."""

    def __init__(self, **state):
        super().__init__(**{"upgraded": True, "upgrading": False, "closing": False,
                            "closed": False, "queue": Queue(), **state})


class WebSocket:
    """Takes every frame whole, and remembers them."""

    def __init__(self):
        self.frames = []

    def write_now(self, frame):
        self.frames.append(frame)
        return "direct"


@pytest.fixture
def sent(monkeypatch):
    """A fan-out over stand-ins; returns it and what went through the queue instead."""
    queued = []
    eio = SimpleNamespace(sockets={}, send_packet=lambda sid, pkt: queued.append((sid, pkt)))
    breaths = []
    monkeypatch.setattr(fanout.gevent, "sleep", lambda seconds=0: breaths.append(seconds))
    return fanout.DirectFanOut(eio), queued, breaths


def test_an_idle_websocket_gets_the_frame_at_once_framed_once_for_everyone(sent):
    out, queued, _ = sent
    phones = {f"sid{n}": WebSocket() for n in range(3)}
    for sid, websocket in phones.items():
        out.eio.sockets[sid] = Connection()
        out.websockets[sid] = websocket
    pkt = Packet(MESSAGE, '2/live,["standings",{"version":7}]')
    for sid in phones:
        out.send_packet(sid, pkt)
    assert queued == []
    frames = [ws.frames[0] for ws in phones.values()]
    text = b'42/live,["standings",{"version":7}]'
    assert frames[0] == bytes([0x81, len(text)]) + text  # one text frame, unmasked
    assert frames[0] is frames[1] is frames[2]
    assert out.counts == {"direct": 3, "partial": 0, "queued": 0}


@pytest.mark.parametrize("state", [
    {"upgraded": False},            # still on long-polling
    {"upgrading": True},            # switching to WebSocket
    {"closing": True},
    {"queue": Queue(waiting=1)},    # a packet (a ping) is waiting: the push goes behind it
])
def test_a_connection_that_is_not_idle_gets_the_packet_through_its_queue(sent, state):
    out, queued, _ = sent
    out.eio.sockets["sid"] = Connection(**state)
    out.websockets["sid"] = websocket = WebSocket()
    pkt = Packet(MESSAGE, "2/live,[]")
    out.send_packet("sid", pkt)
    assert queued == [("sid", pkt)] and websocket.frames == []


def test_a_long_fan_out_lets_the_loop_serve_others_every_so_many_sockets(sent):
    out, _, breaths = sent
    for n in range(2 * fanout.WRITES_BETWEEN_BREATHS + 10):
        out.eio.sockets[n] = Connection()
        out.websockets[n] = WebSocket()
        out.send_packet(n, Packet(MESSAGE, "2/live,[]"))
    assert breaths == [fanout.BREATH_SECONDS] * 2


def test_a_request_that_arrives_during_a_fan_out_is_read_at_its_next_breath():
    """On gevent's real loop: gevent.sleep(0) would run only greenlets already scheduled, and the
    judge's request, waiting on its socket, would be read after the whole fan-out."""
    import time

    import gevent
    from gevent import socket

    eio = SimpleNamespace(sockets={}, send_packet=lambda sid, pkt: pytest.fail("queued"))
    out = fanout.DirectFanOut(eio)
    written = []

    class Counting(WebSocket):
        def write_now(self, frame):
            written.append(frame)
            return "direct"

    phones = 4 * fanout.WRITES_BETWEEN_BREATHS
    for n in range(phones):
        eio.sockets[n], out.websockets[n] = Connection(), Counting()
    judge, server = socket.socketpair()
    read_after, own_during = [], []

    def serve_the_judge():
        server.recv(16)
        read_after.append(len(written))
        own_before = out.own_clock()
        busy_until = time.perf_counter() + 0.05
        while time.perf_counter() < busy_until:
            pass  # the save takes 50 ms of the loop, in the middle of the push
        own_during.append(out.own_clock() - own_before)

    reader = gevent.spawn(serve_the_judge)
    gevent.sleep(0.01)  # the reader now waits on its socket
    judge.sendall(b"POST /save")
    own_from = out.own_clock()
    for n in range(phones):
        out.send_packet(n, Packet(MESSAGE, "2/live,[]"))
    own_busy = out.own_clock() - own_from
    reader.join(1)
    judge.close(), server.close()
    # Read within a breath or two (the loop may resume the fan-out before the reader), long
    # before the last phone.
    assert read_after and read_after[0] <= 2 * fanout.WRITES_BETWEEN_BREATHS
    # The push's own clock stood still during the save's 50 ms, and did not count them.
    assert own_during == [0.0]
    assert 0 <= own_busy < 0.04


def test_a_connection_whose_writer_waits_for_its_turn_is_not_written_directly():
    """A release only schedules the waiting writer: its packet, taken from the queue, goes first."""
    websocket = fanout.TakingTurnsWebSocket.__new__(fanout.TakingTurnsWebSocket)
    websocket.writing, websocket.waiting = fanout.Semaphore(), 1
    websocket._sock = SimpleNamespace(closed=False)
    websocket.tcp = SimpleNamespace(send=lambda *_args: pytest.fail("written past the writer"))
    assert websocket.write_now(b"\x81\x01x") is None


def test_emits_go_out_one_at_a_time_though_the_fan_out_pauses():
    """A second emit started during the first one's pauses reaches nobody before the first."""
    import gevent
    written = []

    class Recorder:
        def write_now(self, frame):
            written.append(frame)
            return "direct"

    phones = range(2 * fanout.WRITES_BETWEEN_BREATHS + 10)
    eio = SimpleNamespace(async_mode="gevent", _async={}, send_packet=None,
                          sockets={sid: Connection() for sid in phones})
    fan = []

    def emit(text):
        pkt = Packet(MESSAGE, text)
        for sid in phones:
            fan[0].send_packet(sid, pkt)

    server = SimpleNamespace(eio=eio, manager=SimpleNamespace(emit=emit))
    fan.append(fanout.install(server))
    fan[0].websockets.update({sid: Recorder() for sid in phones})
    gevent.joinall([gevent.spawn(server.manager.emit, "2first"),
                    gevent.spawn(server.manager.emit, "2second")], raise_error=True)
    firsts = [frame.endswith(b"2first") for frame in written]
    assert firsts == [True] * len(phones) + [False] * len(phones)


def test_a_frame_taken_in_part_holds_the_connection_until_finished_even_if_killed_first(monkeypatch):
    """The rest of the frame is written in the background; shutdown may kill that greenlet
    before it runs, and the connection's writer (and close) must not wait for ever."""
    import gevent
    websocket = fanout.TakingTurnsWebSocket.__new__(fanout.TakingTurnsWebSocket)
    websocket.writing, websocket.waiting = fanout.Semaphore(), 0
    websocket._sock = SimpleNamespace(closed=False)
    websocket.tcp = SimpleNamespace(send=lambda frame, *_args: 1,
                                    sendall=lambda rest: pytest.fail("the killed greenlet ran"))
    started = []
    real_spawn = gevent.spawn
    monkeypatch.setattr(fanout.gevent, "spawn",
                        lambda *args: started.append(real_spawn(*args)) or started[-1])
    assert websocket.write_now(b"\x81\x03abc") == "partial"
    assert websocket.writing.locked()  # nothing else may write before the rest of the frame
    started[0].kill()
    gevent.sleep(0)
    assert not websocket.writing.locked()
