"""The only module that emits: Socket.IO namespace /live and the publishing functions.

Clients (projector, phones, tablets) emit `watch` to join a contest's room; the
server renders each change once and pushes it to that room (STYLE habit 3).
"""
from flask import render_template
from flask_socketio import join_room, leave_room

from .extensions import db, socketio
from .models import Contest

NAMESPACE = "/live"


def contest_room(contest_id: int) -> str:
    """The Socket.IO room of everyone watching one contest."""
    return f"contest-{contest_id}"


def publish_standings(contest: Contest) -> None:
    """After a commit: render the public board once and push it to the contest's watchers."""
    from .services.board import public_board
    board = public_board(contest)
    html = render_template("display/_standings.html", board=board)
    socketio.emit("standings", {"contest": contest.id, "version": board.version, "html": html,
                                "rows": board.rows_json()},
                  namespace=NAMESPACE, to=contest_room(contest.id))


@socketio.on("watch", namespace=NAMESPACE)
def watch(message):
    """Sent by any board or tablet: join the room of one contest (read-only)."""
    contest_id = message.get("contest") if isinstance(message, dict) else None
    if not isinstance(contest_id, int) or db.session.get(Contest, contest_id) is None:
        return {"ok": False, "error": "Lomba tidak ditemukan."}
    join_room(contest_room(contest_id))
    return {"ok": True}


@socketio.on("unwatch", namespace=NAMESPACE)
def unwatch(message):
    """Sent by a board that switches contest: leave the old room."""
    contest_id = message.get("contest") if isinstance(message, dict) else None
    if isinstance(contest_id, int):
        leave_room(contest_room(contest_id))
    return {"ok": True}
