"""Piagam (certificates): the event's settings, the verification codes, and what a code confirms.

A code is made the first time a piagam for a (contest, team, award, place) is printed, and stored
with it, so a reprint carries the same code. Looking a code up compares what it certifies with
the results published now, and says when those results were unpublished since it was made.
"""
from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..document_models import PIAGAM_BORDERS, Certificate, PiagamSettings
from ..models import AuditEntry, Contest, Event, Team
from . import audit
from .errors import ServiceError, rolls_back
from .results import official_rows
from .standings import BoardRow

# Read off paper and typed on a phone: no 0/O or 1/I to confuse. 32**10 = 2**50 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000  # refuses a decompression bomb before decoding it
LOGO_MAX_SIDE = 600
MAX_OFFICIALS = 3
DEFAULT_OFFICIALS = ("Ketua Panitia", "Ketua Dewan Juri")


def settings_for(event: Event) -> PiagamSettings:
    """The event's piagam settings; defaults (not stored) until the organizer saves them."""
    stored = db.session.scalar(db.select(PiagamSettings).filter_by(event_id=event.id))
    if stored is not None:
        return stored
    return PiagamSettings(event_id=event.id, city="", border="ganda",
                          officials=[{"title": title, "name": "", "nip": ""}
                                     for title in DEFAULT_OFFICIALS], logo_png=None)


def place_name(event: Event, settings: PiagamSettings) -> str:
    """The town in the date line: the organizer's choice, else the last part of the venue."""
    return settings.city or event.venue.split(",")[-1].strip() or event.venue


def _stored_settings(event: Event) -> PiagamSettings:
    settings = settings_for(event)
    if settings.id is None:
        db.session.add(settings)
    return settings


def _text(value, label: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise ServiceError(422, _("%(label)s terlalu panjang (paling banyak %(limit)d karakter).",
                            label=label, limit=limit))
    return value


@rolls_back
def save_settings(event: Event, *, city, border, officials) -> PiagamSettings:
    """Store the place line, the border and the officials who sign (title, name, NIP)."""
    if border not in PIAGAM_BORDERS:
        raise ServiceError(422, _("Pilih bingkai piagam."))
    city = _text(city, _("Tempat penandatanganan"), 120)
    signers = []
    for title, name, nip in officials:
        title = _text(title, _("Jabatan"), 120)
        name = _text(name, _("Nama pejabat"), 120)
        nip = _text(nip, _("NIP"), 40)
        if nip and not all(ch.isdigit() or ch == " " for ch in nip):
            raise ServiceError(422, _("NIP hanya berisi angka."))
        if (name or nip) and not title:
            raise ServiceError(422, _("Tuliskan jabatan pejabat yang menandatangani."))
        if title:
            signers.append({"title": title, "name": name, "nip": nip})
    if len(signers) > MAX_OFFICIALS:
        raise ServiceError(422, _("Paling banyak %(count)d pejabat menandatangani piagam.",
                            count=MAX_OFFICIALS))
    settings = _stored_settings(event)
    old = {"city": settings.city, "border": settings.border, "officials": settings.officials}
    settings.city, settings.border, settings.officials = city, border, signers
    audit.record("update", "piagam_settings", event_id=event.id, old=old,
                 new={"city": city, "border": border, "officials": signers})
    db.session.commit()
    return settings


def reencode_logo(data: bytes) -> bytes:
    """A PNG or JPEG, decoded and drawn again as a PNG of at most 600 pixels a side."""
    # Pillow loads with the first logo upload, not at app start
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ServiceError(422, _("Pilih berkas logo (PNG atau JPEG)."))
    if len(data) > LOGO_MAX_BYTES:
        raise ServiceError(422, _("Logo terlalu besar (paling besar 2 MB)."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ServiceError(422, _("Logo harus berkas PNG atau JPEG."))
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ServiceError(422, _("Gambar logo terlalu besar."))
            image.load()
            picture = image.convert("RGBA")
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ServiceError(422, _("Berkas ini bukan gambar PNG atau JPEG yang bisa dibaca.")) from None
    picture.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


@rolls_back
def save_logo(event: Event, data: bytes) -> PiagamSettings:
    """Store the organizer's logo, re-encoded (the uploaded bytes are never kept or served)."""
    png = reencode_logo(data)
    settings = _stored_settings(event)
    settings.logo_png = png
    audit.record("update", "piagam_logo", event_id=event.id, new={"bytes": len(png)})
    db.session.commit()
    return settings


def remove_logo(event: Event) -> None:
    """Print the piagam without a logo."""
    settings = _stored_settings(event)
    settings.logo_png = None
    audit.record("delete", "piagam_logo", event_id=event.id)
    db.session.commit()


@dataclass
class PiagamLine:
    """One piagam to print: the team's standing, the teams it shares the place with, its code."""

    contest: Contest
    row: BoardRow
    kind: str
    shared_with: list[str] = field(default_factory=list)
    certificate: Certificate | None = None


def piagam_lines(contest: Contest, kind: str = "award", team: Team | None = None) -> list[PiagamLine]:
    """The piagam of a published contest: every awarded team (kind "award") or every team that
    played (kind "participation"), each with its stored code. An unpublished contest has none."""
    if contest.status != "published":
        return []
    rows = official_rows(contest)
    by_rank: dict[int, list[str]] = {}
    for row in rows:
        if row.award:
            by_rank.setdefault(row.rank, []).append(row.team.name)
    wanted = [row for row in rows if (row.award if kind == "award" else row.scored)]
    if team is not None:
        wanted = [row for row in wanted if row.team.id == team.id]
    lines = [PiagamLine(contest=contest, row=row, kind=kind,
                        shared_with=[name for name in by_rank.get(row.rank, []) if name != row.team.name]
                        if kind == "award" else [])
             for row in wanted]
    try:
        for line in lines:
            line.certificate = _certificate(line)
        db.session.commit()
    except IntegrityError:  # the same piagam printed at the same moment elsewhere: use its codes
        db.session.rollback()
        for line in lines:
            line.certificate = _certificate(line)
        db.session.commit()
    return lines


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _certificate(line: PiagamLine) -> Certificate:
    """The stored code of this piagam, made on first print."""
    award = line.row.award if line.kind == "award" else ""
    rank = line.row.rank if line.kind == "award" else 0
    key = {"contest_id": line.contest.id, "team_id": line.row.team.id, "kind": line.kind,
           "award": award, "rank": rank}
    found = db.session.scalar(db.select(Certificate).filter_by(**key))
    if found is not None:
        return found
    certificate = Certificate(code=_new_code(), **key)
    db.session.add(certificate)
    return certificate


def display_code(code: str) -> str:
    """ABCDE-FGHJK, as printed."""
    return f"{code[:5]}-{code[5:]}"


def normalize_code(text: str) -> str | None:
    """The stored form of a code as someone typed it, or None when it cannot be one."""
    code = "".join(ch for ch in (text or "").upper() if ch not in "- ")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


@dataclass
class Verification:
    """What a code certifies and whether the published results still say so."""

    certificate: Certificate
    state: str  # "valid", "unpublished" (results withdrawn now) or "changed" (award differs now)
    current_award: str = ""
    unpublished: AuditEntry | None = None
    republished: AuditEntry | None = None

    @property
    def valid(self) -> bool:
        return self.state == "valid"


def _since(certificate: Certificate, action: str) -> AuditEntry | None:
    issued: datetime = certificate.issued_at
    return db.session.scalar(
        db.select(AuditEntry).filter_by(contest_id=certificate.contest_id, action=action)
        .where(AuditEntry.at > issued).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1))


def verify_code(text: str) -> Verification | None:
    """Look a printed code up; None when no piagam carries it."""
    code = normalize_code(text)
    if code is None:
        return None
    certificate = db.session.scalar(db.select(Certificate).filter_by(code=code))
    if certificate is None:
        return None
    contest = certificate.contest
    unpublished = _since(certificate, "unpublish")
    if contest.status != "published":
        return Verification(certificate, "unpublished", unpublished=unpublished)
    republished = _since(certificate, "publish") if unpublished is not None else None
    row = next((r for r in official_rows(contest) if r.team.id == certificate.team_id), None)
    if certificate.kind == "participation":
        state = "valid" if row is not None and row.scored else "changed"
        return Verification(certificate, state, unpublished=unpublished, republished=republished)
    current = row.award if row is not None else ""
    same = row is not None and row.award == certificate.award and row.rank == certificate.rank
    return Verification(certificate, "valid" if same else "changed", current_award=current,
                        unpublished=unpublished, republished=republished)
