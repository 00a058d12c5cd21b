"""Coalesced pushes: a burst of changes to one contest becomes one push of its newest version.

Boards receive versioned full state, so a push that reads the newest state replaces every push
before it. A change is pushed at once when its contest had no push in the last interval;
changes that arrive sooner wait for the end of the interval and share one push, which reads
the database only then. Every viewer therefore ends on the final version, a contest gets at
most one push per interval, and the request that made the change never waits for the push.

A push to thousands of phones keeps the loop busy for a while (every socket writes it in turn);
the next push of that contest then waits at least twice as long (the push's own time, measured
by busy_clock: the saves it let through meanwhile are not its), so the loop stays at least two
thirds free for the judges' saves even in a burst, and a large audience (whose push takes
longest) is not sent a new board before the last one has had time to cross the venue's Wi-Fi
and be drawn on every phone.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Callable, Hashable

# After a push, the contest's next one waits this many times as long as the push kept the loop busy.
PAUSE_PER_BUSY = 2


class Coalescer:
    """Runs push(key) in the background, at most once per `interval` seconds per key."""

    def __init__(self, interval: float, spawn: Callable, sleep: Callable,
                 clock: Callable[[], float] = time.monotonic,
                 busy_clock: Callable[[], float] | None = None):
        self.interval = interval
        self.spawn = spawn
        self.sleep = sleep
        self.clock = clock
        # Measures how long a push kept the loop busy; the direct fan-out's stops while it lets
        # others (judges' saves) run in the middle of a push.
        self.busy_clock = busy_clock or clock
        # Under gevent this is the patched lock (wsgi.py patches before the app is imported).
        self.lock = threading.Lock()
        self.pending: set[Hashable] = set()
        self.next_push: dict[Hashable, float] = {}

    def request(self, key: Hashable, push: Callable[[], None]) -> bool:
        """Ask for a push of key's newest state; False when a pending push will carry it."""
        with self.lock:
            if key in self.pending:
                return False
            self.pending.add(key)
        self.spawn(self._run, key, push)
        return True

    def _run(self, key: Hashable, push: Callable[[], None]) -> None:
        # Checked again after each wait: the push before this one may have asked for more room
        # when it ended.
        while (wait := self.next_push.get(key, -math.inf) - self.clock()) > 0:
            self.sleep(wait)
        with self.lock:
            # From here on a new change schedules a new push: this one may have read too early.
            self.pending.discard(key)
            started = self.clock()
            self.next_push[key] = started + self.interval
        busy_from = self.busy_clock()
        push()
        # One turn of the loop: every socket this push woke has written it by then.
        self.sleep(0)
        with self.lock:
            busy = self.busy_clock() - busy_from
            self.next_push[key] = max(self.next_push[key], self.clock() + PAUSE_PER_BUSY * busy)
