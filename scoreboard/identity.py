"""Who is at this browser: the organizer or the judge its session remembers.

Read by the blueprints' guards and by /live (which imports no service). Sessions live in the
signed cookie, and the server can still end them: each account has a session generation, and a
session signed with an older one is nobody. A logout, a new password or the organizer's "end
the judges' sessions" raises it (services/access.py). A judge's session is also tied to their
current access code, so a new code logs old tablets out. An organizer's session lasts at most
ORGANIZER_SESSION_HOURS and ends after ORGANIZER_IDLE_MINUTES without a request.
"""
import hashlib
import hmac
import secrets
import time

from flask import current_app, g, session

from .extensions import db
from .models import Judge, Organizer


def _whole(value) -> int | None:
    """An integer kept in the session, or None (a bool is not one)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def organizer_session(organizer: Organizer, now: float | None = None) -> dict:
    """What the session keeps of an organizer who signs in now: who, the account's session
    generation, and the times the lifetime and the idle timeout count from."""
    now = int(time.time() if now is None else now)
    return {"organizer_id": organizer.id, "organizer_generation": organizer.session_generation,
            "signed_in_at": now, "seen_at": now}


def current_organizer() -> Organizer | None:
    """The organizer logged in on this browser, if their account still exists, the session's
    generation is the account's and the session has neither grown too old nor sat idle."""
    organizer_id = _whole(session.get("organizer_id"))
    if organizer_id is None:
        return None
    organizer = db.session.get(Organizer, organizer_id)
    signed_in, seen = _whole(session.get("signed_in_at")), _whole(session.get("seen_at"))
    if (organizer is None or signed_in is None or seen is None
            or _whole(session.get("organizer_generation")) != organizer.session_generation):
        return None
    now, config = time.time(), current_app.config
    if (now - signed_in > config["ORGANIZER_SESSION_HOURS"] * 3600
            or now - seen > config["ORGANIZER_IDLE_MINUTES"] * 60):
        return None
    return organizer


def enter_as_organizer() -> Organizer | None:
    """The logged-in organizer, kept for this request: g.organizer, and g.actor for the audit trail.
    The request counts as activity for the idle timeout."""
    organizer = current_organizer()
    g.organizer = organizer
    if organizer is not None:
        g.actor = f"panitia: {organizer.username}"
        now = int(time.time())
        if now - session["seen_at"] >= 60:  # a new cookie at most once a minute
            session["seen_at"] = now
    return organizer


def session_stamp(judge: Judge) -> str:
    """Ties a tablet's session to the judge's current code and session generation: a new code,
    a logout or the organizer ending the judges' sessions logs old tablets out."""
    key = current_app.config["SECRET_KEY"].encode()
    signed = f"{judge.code_digest or ''}:{judge.session_generation}".encode()
    return hmac.new(key, signed, hashlib.sha256).hexdigest()[:32]


def tablet_id() -> str:
    """This browser's own id, kept in its session: two tablets of one scorekeeper seat differ.

    Made at the first write that needs it and kept until logout (a new login starts a new one).
    """
    tablet = session.get("tablet")
    if not isinstance(tablet, str) or not tablet:
        tablet = session["tablet"] = secrets.token_hex(8)
    return tablet


def current_judge() -> Judge | None:
    """The judge this tablet's session remembers, if their code has not changed since."""
    judge_id = session.get("judge_id")
    if not isinstance(judge_id, int) or isinstance(judge_id, bool):
        return None
    judge = db.session.get(Judge, judge_id)
    stamp = session.get("judge_stamp", "")
    if judge is None or not isinstance(stamp, str) or not hmac.compare_digest(
            stamp, session_stamp(judge)):
        return None
    return judge


def seat_judge() -> Judge | None:
    """The logged-in judge, remembered for this request (g.judge) and named in its audit rows."""
    g.judge = current_judge()
    if g.judge is not None:
        g.actor = f"juri: {g.judge.name}"
    return g.judge


def fresh_session() -> None:
    """Start a new session for a login (nothing of the old one carries over) in the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
