"""The one publishing path: commit a change, build what the public may see once, push it.

Data flows one way, services → publish → realtime → boards. A service that changes what a
board shows bumps the contest's version (mark_changed) in its transaction and ends with one of
the commit functions below; realtime only renders and emits what it is handed. A push runs
after the commit and never raises: the change is stored and acknowledged whatever happens to
the push (clients resync over HTTP on a version gap or a reconnect).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import inspect

from .. import realtime
from ..coalesce import Coalescer
from ..extensions import db, socketio
from ..models import Contest, Event
from .public_board import overall_board, public_board
from .stage_view import timer_view
from .standings import load_contest


def mark_changed(contest: Contest) -> None:
    """Bump the contest's version in the current transaction (atomic in SQL, no lost update)."""
    contest.version = Contest.version + 1


def commit(*contests: Contest, now_performing: bool = False) -> None:
    """Commit the change, then push each contest's public board (and who is on stage, if asked)."""
    db.session.commit()
    for contest in contests:
        schedule_push(contest, now_performing=now_performing)


def commit_hall(event: Event) -> None:
    """Commit a change of what the hall screen shows, then tell its projectors."""
    db.session.commit()
    _never_raise(realtime.emit_hall, event)


def commit_progress(contest: Contest) -> None:
    """Commit a draft (the public board does not change), then refresh the organizers' matrix."""
    db.session.commit()
    _never_raise(realtime.emit_progress, contest)


def commit_reopen(request, *, board_changed: bool) -> None:
    """Commit a reopen request or its decision; the consoles and the judge's tablets follow, and
    the public board too when an approved reopen took a sheet out of the standings."""
    db.session.commit()
    if board_changed:
        schedule_push(request.sheet.contest)
    _never_raise(realtime.emit_reopen, request)


def commit_timer(contest: Contest, entry=None, *, proposals: bool = False) -> None:
    """Commit a tap of the stage timer (or new time limits), then push the timer at once.

    A timer push carries no scores: it goes out immediately, never coalesced, to the contest's
    rooms and its event's hall. With `proposals` the consoles hear that a proposed penalty
    appeared or was decided.
    """
    db.session.commit()
    _never_raise(push_timer, contest, entry)
    if proposals:
        _never_raise(realtime.emit_progress, contest)


def push_timer(contest: Contest, entry=None) -> None:
    """Push the timer of `entry` (default: the team on stage), if there is one to show."""
    view = timer_view(contest, entry)
    if view is not None:
        realtime.emit_timer(view.as_json())


def schedule_push(contest: Contest, *, now_performing: bool = False) -> None:
    """The one place a contest's push is started after a commit: in the background, coalesced.

    Pushes carry the whole board at its version, so a burst of changes to one contest becomes
    at most one push per PUSH_INTERVAL_SECONDS, of the newest version (coalesce.py), and the
    request that made the change never waits for thousands of sockets. With the interval 0
    (the tests' Socket.IO test client) the push happens here, before the request returns.
    """
    if now_performing:
        _never_raise(realtime.emit_now_performing, contest)
        _never_raise(push_timer, contest)  # the new team's timer (idle, or as it was left)
    interval = current_app.config.get("PUSH_INTERVAL_SECONDS") or 0
    if not interval:
        _never_raise(push_contest, contest)
        return
    app = current_app._get_current_object()
    # Its identity, not contest.id: after the commit that would reload the row in the request.
    contest_id = inspect(contest).identity[0]

    def push():
        with app.app_context():
            fresh = load_contest(contest_id)  # with its board's teams, panel and criteria
            if fresh is not None:
                _never_raise(push_contest, fresh)
            db.session.remove()

    coalescer = app.extensions.get("push_coalescer")
    if coalescer is None:
        fanout = app.extensions.get("direct_fanout")
        coalescer = app.extensions["push_coalescer"] = Coalescer(
            interval, spawn=socketio.start_background_task, sleep=socketio.sleep,
            busy_clock=fanout.own_clock if fanout is not None else None)
    coalescer.request(contest_id, push)


def push_contest(contest: Contest) -> None:
    """Build the contest's public board once (and juara umum when it may change) and emit them."""
    realtime.emit_standings(public_board(contest))
    if contest.status in ("closed", "published"):
        # Only published contests count for juara umum; a locked one may just have been
        # unpublished. Open contests (every judge's save) never change the table.
        event = contest.event
        if event.hall_view == "overall":
            # The hall shows juara umum: its projectors refetch the table.
            _never_raise(realtime.emit_hall, event)
        realtime.emit_overall(overall_board(event))
    _never_raise(realtime.emit_progress, contest)


def _never_raise(push, *args) -> None:
    """Run a push after the commit; a failure (message queue down, a template error) is logged.

    Turning a saved, acknowledged change into a 500 would make the user send it again.
    """
    try:
        push(*args)
    except Exception:  # noqa: BLE001 - see the docstring
        current_app.logger.exception("publishing %s failed", getattr(push, "__name__", push))
