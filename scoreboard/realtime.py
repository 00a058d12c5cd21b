"""The only module that emits: Socket.IO namespace /live and the emit functions.

Clients (projector, phones, tablets) emit `watch` to join a contest's room (or the hall
of an event); the server renders each change once and pushes it to that room (STYLE
habit 3). Anonymous clients may watch and nothing else: no event a client sends changes
any state. This module imports no service: services.publish builds what the public may see
(services/public_board.py) and hands it here to be rendered and emitted.
"""
import re
import time

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from flask_socketio import join_room, leave_room
from socketio import PubSubManager

from .extensions import db, socketio
from .identity import current_judge, current_organizer
from .models import Contest, Event
from .params import to_id

NAMESPACE = "/live"
# Boards are rendered once per language per change, never once per watcher.
LANGUAGES = ("id", "en")


def contest_room(contest_id: int, lang: str = "id", *, rows: bool = False) -> str:
    """The Socket.IO room of everyone watching one contest in one language (with `rows`: and its rows)."""
    room = f"contest-{contest_id}" if lang == "id" else f"contest-{contest_id}.{lang}"
    return f"{room}.rows" if rows else room


def contest_rooms(contest_id: int) -> list[str]:
    """The contest's rooms in every language (for pushes that carry no rendered text)."""
    return [contest_room(contest_id, lang, rows=rows) for lang in LANGUAGES for rows in (False, True)]


def compact(html: str) -> str:
    """The fragment with every run of whitespace made one space (a push goes to every phone).

    The fragments pushed have no <pre> or <textarea>, so the browser shows them the same: about
    a tenth fewer bytes to copy to each of thousands of sockets.
    """
    return re.sub(r"\s+", " ", html).strip()


def hall_room(event_id: int) -> str:
    """The room of the projectors that follow what the organizer puts on the hall screen."""
    return f"hall-{event_id}"


def standings_message(board, lang: str = "id") -> dict:
    """The `standings` payload: a public board rendered in one language and its version."""
    # Rendered for a room, not for the caller, so the room's language decides.
    with force_locale(lang):
        html = compact(render_template("display/_standings.html", board=board))
    # `status` lets judges' tablets lock an open sheet the moment the contest is locked.
    return {"contest": board.contest.id, "version": board.version, "status": board.contest.status,
            "html": html}


def overall_room(event_id: int, lang: str = "id") -> str:
    """The room of the phones showing an event's juara umum table in one language."""
    return f"overall-{event_id}" if lang == "id" else f"overall-{event_id}.{lang}"


def overall_message(overall, lang: str = "id") -> dict:
    """The `overall` payload: the juara umum table rendered in one language, with its signature."""
    with force_locale(lang):
        html = compact(render_template("display/_overall.html", overall=overall))
    return {"event": overall.event.id, "sig": overall.signature, "html": html}


def emit_standings(board) -> None:
    """Render a contest's public board (built by services.publish) per language and push it."""
    # The rows (the API's row objects) go only to those who asked for them: no board reads
    # them, and at 2,000 phones every byte of a push is copied 2,000 times.
    rows = None
    for lang in LANGUAGES:
        plain = contest_room(board.contest.id, lang)
        with_rows = contest_room(board.contest.id, lang, rows=True)
        rooms = [room for room in (plain, with_rows) if _may_have_watchers(room)]
        if not rooms:
            continue  # nobody watches in this language: no rendering either
        message = standings_message(board, lang)
        if plain in rooms:
            socketio.emit("standings", message, namespace=NAMESPACE, to=plain)
        if with_rows in rooms:
            rows = board.rows_json() if rows is None else rows
            socketio.emit("standings", {**message, "rows": rows}, namespace=NAMESPACE,
                          to=with_rows)


def _may_have_watchers(room: str) -> bool:
    """Whether a push to the room may reach someone: with a message queue always (the rooms of
    the other server processes are not known here), else when this process has a member."""
    manager = socketio.server.manager
    if isinstance(manager, PubSubManager):
        return True
    return bool(manager.rooms.get(NAMESPACE, {}).get(room))


def emit_overall(overall) -> None:
    """Render an event's juara umum table per language and push it to its phones."""
    for lang in LANGUAGES:
        socketio.emit("overall", overall_message(overall, lang),
                      namespace=NAMESPACE, to=overall_room(overall.event.id, lang))


def emit_now_performing(contest: Contest) -> None:
    """Tell the contest's watchers (judges' tablets, boards) who is on stage."""
    team = contest.now_performing
    socketio.emit("now_performing", {
        "contest": contest.id,
        "team_id": team.id if team else None,
        "team": team.name if team else "",
        "region": team.region.name if team else "",
    }, namespace=NAMESPACE, to=contest_rooms(contest.id))


def emit_timer(view: dict) -> None:
    """A stage timer changed (a tap, new limits, another team on stage): its plain values go to
    the contest's watchers and the hall; each device computes the running time itself."""
    socketio.emit("timer", view, namespace=NAMESPACE,
                  to=contest_rooms(view["contest"]) + [hall_room(view["event"])])


def emit_hall(event: Event) -> None:
    """The organizer changed what the hall screen shows; projectors follow."""
    socketio.emit("hall", {"event": event.id, "view": event.hall_view,
                           "contest": event.hall_contest_id},
                  namespace=NAMESPACE, to=hall_room(event.id))


ORGANIZERS_ROOM = "organizers"


def emit_progress(contest: Contest) -> None:
    """A sheet changed: tell the organizers' consoles to refresh the judging matrix."""
    socketio.emit("progress", {"contest": contest.id, "version": contest.version},
                  namespace=NAMESPACE, to=ORGANIZERS_ROOM)


def judge_room(judge_id: int) -> str:
    """The room of one judge's tablets (their own sheets' news, never anyone else's)."""
    return f"judge-{judge_id}"


def emit_reopen(request) -> None:
    """A reopen request was made or decided: the consoles and the judge's tablets follow."""
    sheet = request.sheet
    socketio.emit("reopen", {"contest": sheet.contest_id, "request": request.id,
                             "status": request.status},
                  namespace=NAMESPACE, to=ORGANIZERS_ROOM)
    socketio.emit("sheet", {"contest": sheet.contest_id, "team": sheet.team_id,
                            "state": sheet.state, "version": sheet.version,
                            "reopen": request.status},
                  namespace=NAMESPACE, to=judge_room(sheet.judge_id))


def _id_in(message, key: str) -> int | None:
    value = message.get(key) if isinstance(message, dict) else None
    # bool is an int in Python; a watch for contest `true` is nonsense. 2**70 is no id either.
    return to_id(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _lang_in(message) -> str:
    lang = message.get("lang") if isinstance(message, dict) else None
    return lang if lang in LANGUAGES else "id"


def _wants_rows(message) -> bool:
    return isinstance(message, dict) and message.get("rows") is True


# Every handler takes its payload as optional and ignores extra arguments: a client may send an
# event with none, one or several, and each gets an ack ({"ok": …}) rather than an exception.
@socketio.on("watch", namespace=NAMESPACE)
def watch(message=None, *_extra):
    """Sent by any board or tablet: join the room of one contest, an event's hall or its juara umum (read-only)."""
    contest_id = _id_in(message, "contest")
    event_id = _id_in(message, "hall")
    overall_id = _id_in(message, "overall")
    if contest_id is not None and db.session.get(Contest, contest_id) is not None:
        join_room(contest_room(contest_id, _lang_in(message), rows=_wants_rows(message)))
    elif event_id is not None and db.session.get(Event, event_id) is not None:
        join_room(hall_room(event_id))
    elif overall_id is not None and db.session.get(Event, overall_id) is not None:
        join_room(overall_room(overall_id, _lang_in(message)))
    else:
        return {"ok": False, "error": _("Lomba tidak ditemukan.")}
    return {"ok": True}


@socketio.on("unwatch", namespace=NAMESPACE)
def unwatch(message=None, *_extra):
    """Sent by a board that switches contest: leave the old room."""
    contest_id = _id_in(message, "contest")
    if contest_id is not None:
        leave_room(contest_room(contest_id, _lang_in(message), rows=_wants_rows(message)))
    return {"ok": True}


@socketio.on("clock", namespace=NAMESPACE)
def clock(_message=None, *_extra):
    """Sent by any page that shows the stage timer: the server's clock now (ms since the epoch).

    The page measures its offset from the answer with the shortest round trip (clock.js).
    """
    return {"ok": True, "now": time.time() * 1000}


@socketio.on("watch_admin", namespace=NAMESPACE)
def watch_admin(_message=None, *_extra):
    """Sent by the organizer console: join the organizers' room (progress of the judging)."""
    if current_organizer() is None:  # a deleted organizer's old session is nobody
        return {"ok": False, "error": _("Khusus panitia.")}
    join_room(ORGANIZERS_ROOM)
    return {"ok": True}


@socketio.on("watch_judge", namespace=NAMESPACE)
def watch_judge(_message=None, *_extra):
    """Sent by a judge's tablet: join that judge's own room (decisions on their sheets)."""
    judge = current_judge()
    if judge is None:  # a code regenerated since this tablet logged in is nobody
        return {"ok": False, "error": _("Khusus juri yang masuk.")}
    join_room(judge_room(judge.id))
    return {"ok": True}


@socketio.on_error(NAMESPACE)
def refuse_failed_event(error):
    """A handler that failed all the same answers with an error ack; the traceback is logged, as
    it is a bug (the handlers above refuse every malformed payload themselves). The request
    context ends with the event, and with it the database session (Flask-SQLAlchemy)."""
    current_app.logger.exception("Socket.IO event failed: %s", error)
    return {"ok": False, "error": _("Permintaan tidak dapat diproses.")}
