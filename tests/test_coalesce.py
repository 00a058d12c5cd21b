"""Coalesced pushes (scoreboard/coalesce.py): a burst becomes one push of the newest state."""
from scoreboard.coalesce import Coalescer


class Clock:
    """A clock the test moves by hand; sleeping moves it."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_a_lone_change_is_pushed_at_once_and_a_burst_becomes_one_more_push():
    clock, spawned, pushes = Clock(), [], []
    coalescer = Coalescer(0.2, spawn=lambda run, *args: spawned.append((run, args)),
                          sleep=clock.sleep, clock=clock)
    state = {"version": 1}

    def push():
        pushes.append((clock.now, state["version"]))

    assert coalescer.request(7, push) is True
    run, args = spawned.pop()
    run(*args)  # the background task: no wait for the first change
    assert pushes == [(100.0, 1)]
    # Nine more saves within the interval: one push is scheduled, the others join it.
    for version in range(2, 11):
        state["version"] = version
        coalescer.request(7, push)
    assert len(spawned) == 1
    run, args = spawned.pop()
    run(*args)
    # It waited for the end of the interval and read the newest version.
    assert pushes == [(100.0, 1), (100.2, 10)]


def test_a_change_after_the_push_started_reading_gets_a_push_of_its_own():
    clock, spawned, pushes = Clock(), [], []
    coalescer = Coalescer(0.2, spawn=lambda run, *args: spawned.append((run, args)),
                          sleep=clock.sleep, clock=clock)

    def push():
        pushes.append(clock.now)
        # A save commits while this push renders: it must not be lost.
        if len(pushes) == 1:
            assert coalescer.request(7, push) is True

    coalescer.request(7, push)
    run, args = spawned.pop()
    run(*args)
    run, args = spawned.pop()
    run(*args)
    assert pushes == [100.0, 100.2]


def test_contests_do_not_wait_for_each_other():
    clock, spawned, pushes = Clock(), [], []
    coalescer = Coalescer(0.2, spawn=lambda run, *args: spawned.append((run, args)),
                          sleep=clock.sleep, clock=clock)
    assert coalescer.request(1, lambda: pushes.append((1, clock.now)))
    assert coalescer.request(2, lambda: pushes.append((2, clock.now)))
    for run, args in spawned:
        run(*args)
    assert pushes == [(1, 100.0), (2, 100.0)]


def test_a_push_that_kept_the_loop_busy_is_followed_by_a_pause_twice_as_long():
    clock, spawned, pushes = Clock(), [], []
    coalescer = Coalescer(0.2, spawn=lambda run, *args: spawned.append((run, args)),
                          sleep=clock.sleep, clock=clock)

    def push():
        pushes.append(clock.now)
        clock.now += 0.5  # thousands of sockets write it: half a second of the loop

    # A save right after: its push waits twice as long as the last one took, not just the interval.
    push_twice(coalescer, spawned, push)
    assert pushes == [100.0, 101.5]


def push_twice(coalescer, spawned, push):
    """Two changes to contest 7, the second as soon as the first one's push is over."""
    for _ in range(2):
        coalescer.request(7, push)
        run, args = spawned.pop()
        run(*args)


def test_the_pause_counts_only_the_time_the_push_itself_kept_the_loop_busy():
    """The saves the fan-out let through in the middle of a push do not lengthen the pause after it."""
    clock, spawned, pushes = Clock(), [], []
    let_through = [0.0]
    coalescer = Coalescer(0.2, spawn=lambda run, *args: spawned.append((run, args)),
                          sleep=clock.sleep, clock=clock,
                          busy_clock=lambda: clock.now - let_through[0])

    def push():
        pushes.append(clock.now)
        clock.now += 0.5
        let_through[0] += 0.3  # of that half second, judges' saves ran for 0.3 s

    push_twice(coalescer, spawned, push)
    assert pushes == [100.0, 100.9]  # 0.5 s after the first push began, then twice its own 0.2 s


def test_the_event_day_server_measures_a_push_with_the_fan_outs_own_clock(app, monkeypatch):
    """Where the direct fan-out is installed, the coalescer's pause uses its clock."""
    from types import SimpleNamespace

    from scoreboard.extensions import socketio
    from scoreboard.services import publish
    from tests.factories import gen_small_contest

    fanout = SimpleNamespace(own_clock=lambda: 0.0)
    app.extensions["direct_fanout"] = fanout
    app.config["PUSH_INTERVAL_SECONDS"] = 0.2
    monkeypatch.setattr(socketio, "start_background_task", lambda *_args: None)
    _event, contest, *_ = gen_small_contest()
    publish.schedule_push(contest)
    assert app.extensions["push_coalescer"].busy_clock is fanout.own_clock
