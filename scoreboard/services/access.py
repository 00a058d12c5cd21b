"""Judges' access codes: random, typeable, stored only as a digest; the login links they make;
and ending sessions on the server (a session generation per account, see identity.py)."""
import hashlib
import hmac
import secrets

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Contest, Judge, Organizer
from ..urls import public_url
from . import audit
from .errors import ServiceError, rolls_back

MIN_PASSWORD_LENGTH = 10

# No 0/O, 1/I/L: a judge types this on a tablet.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 2**59: with rate-limited logins, not guessable


def normalize_code(code: str) -> str:
    """Upper-case and drop the dashes and spaces people type between groups."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(raw: str) -> str:
    """ABCD-EFGH-JKMN: groups of four, easier to read aloud and type."""
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def code_digest(code: str) -> str:
    """The SHA-256 digest stored in place of the code."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def new_access_code() -> str:
    """A fresh random access code."""
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def demo_access_code(judge_name: str) -> str:
    """A demo judge's code, derived from the instance secret so seeding twice prints the same link."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), b"demo-judge:" + judge_name.encode(),
                      hashlib.sha256).digest()
    return format_code("".join(ALPHABET[b % len(ALPHABET)] for b in digest[:CODE_LENGTH]))


def set_access_code(judge: Judge, code: str) -> None:
    """Give a judge a new code; the old one stops working at the next commit."""
    judge.code_digest = code_digest(code)


def judge_for_code(code: str) -> Judge | None:
    """The judge holding this code, if any."""
    if not normalize_code(code):
        return None
    return db.session.scalar(db.select(Judge).filter_by(code_digest=code_digest(code)))


def login_link(code: str) -> str:
    """The personal login URL a judge's QR card encodes."""
    return public_url("judge.login_link", code=normalize_code(code))


def end_organizer_sessions(organizer: Organizer) -> None:
    """Log the organizer out everywhere: every session of the account stops working."""
    organizer.session_generation += 1
    audit.record("logout", "organizer", entity_id=organizer.id)
    db.session.commit()


@rolls_back
def change_password(organizer: Organizer, current: str, new: str, repeated: str) -> None:
    """Set a new password after checking the current one; every other session of the account
    ends (the caller signs this browser in again with the new generation)."""
    if not check_password_hash(organizer.password_hash, current or ""):
        raise ServiceError(422, _("Kata sandi sekarang salah."))
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise ServiceError(422, _("Kata sandi baru paling sedikit %(count)d karakter.",
                                  count=MIN_PASSWORD_LENGTH))
    if len(new) > 200:
        raise ServiceError(422, _("Kata sandi baru paling banyak 200 karakter."))
    if new != repeated:
        raise ServiceError(422, _("Kata sandi baru dan ulangannya tidak sama."))
    organizer.password_hash = generate_password_hash(new, method="scrypt")
    organizer.session_generation += 1
    audit.record("password", "organizer", entity_id=organizer.id)
    db.session.commit()


def end_judge_session(judge: Judge) -> None:
    """A judge's logout: every tablet signed in as this judge is logged out."""
    judge.session_generation += 1
    db.session.commit()


def end_judge_sessions(contest: Contest) -> int:
    """Log out every judge of the contest on every tablet (their codes stay valid); returns how
    many judges."""
    judges = {assignment.judge for assignment in contest.assignments}
    for judge in judges:
        judge.session_generation += 1
    audit.record("end_sessions", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, new={"judges": sorted(judge.name for judge in judges)})
    db.session.commit()
    return len(judges)
