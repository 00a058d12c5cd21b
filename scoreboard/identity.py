"""Who is at this browser: the organizer or the judge its session remembers.

Read by the blueprints' guards and by /live (which imports no service); the judge's session is
tied to their current access code, so a new code logs old tablets out.
"""
import hashlib
import hmac
import secrets

from flask import current_app, g, session

from .extensions import db
from .models import Judge, Organizer


def current_organizer() -> Organizer | None:
    """The organizer logged in on this browser, if their account still exists (admin login sets it)."""
    organizer_id = session.get("organizer_id")
    if not isinstance(organizer_id, int) or isinstance(organizer_id, bool):
        return None
    return db.session.get(Organizer, organizer_id)


def enter_as_organizer() -> Organizer | None:
    """The logged-in organizer, kept for this request: g.organizer, and g.actor for the audit trail."""
    organizer = current_organizer()
    g.organizer = organizer
    if organizer is not None:
        g.actor = f"panitia: {organizer.username}"
    return organizer


def session_stamp(judge: Judge) -> str:
    """Ties a tablet's session to the judge's current code: a new code logs old tablets out."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (judge.code_digest or "").encode(), hashlib.sha256).hexdigest()[:32]


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
