"""Judges' access codes: random, typeable, stored only as a digest; and the login links they make."""
import hashlib
import hmac
import secrets

from flask import current_app

from ..extensions import db
from ..models import Judge
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


def login_link(code: str) -> str:
    """The personal login URL a judge's QR card encodes."""
    return public_url("judge.login_link", code=normalize_code(code))
