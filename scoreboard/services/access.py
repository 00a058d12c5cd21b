"""Who is at the keyboard: judge access codes (random, typeable, stored only as a digest) and the
logged-in organizer."""
import hashlib
import hmac
import secrets

from flask import current_app, session

from ..extensions import db
from ..models import Judge, Organizer
from ..urls import public_url

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


def session_stamp(judge: Judge) -> str:
    """Ties a tablet's session to the judge's current code: a new code logs old tablets out."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (judge.code_digest or "").encode(), hashlib.sha256).hexdigest()[:32]


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


def current_organizer() -> Organizer | None:
    """The organizer logged in on this browser, if their account still exists (admin login sets it)."""
    organizer_id = session.get("organizer_id")
    if not isinstance(organizer_id, int) or isinstance(organizer_id, bool):
        return None
    return db.session.get(Organizer, organizer_id)


def login_link(code: str) -> str:
    """The personal login URL a judge's QR card encodes."""
    return public_url("judge.login_link", code=normalize_code(code))
