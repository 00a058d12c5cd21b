"""The quiz (cerdas cermat, DESIGN §3): rounds with point buttons, the scorekeeper's taps,
undo and corrections.

A quiz team's final score is the sum of its entries that still count (not undone). Every tap
carries an id made on the tablet, so a tap sent twice (a retried request, the offline outbox
replaying) is stored once. Every change is audited, bumps the contest's version, is committed
and then pushed to the boards.
"""
from __future__ import annotations

import uuid
from decimal import Decimal

from flask_babel import gettext as _

from ..engine import MAX_NUMBER_LENGTH, NumberTooLarge, NumberTooLong, format_score, parse_score
from ..extensions import db
from ..models import Contest, Judge, QuizEntry, QuizRound, Team
from ..params import to_id, to_int
from . import audit, idempotency
from .errors import ServiceError, rolls_back
from .fields import text_field, too_long
from .publish import commit, mark_changed
from .quiz_state import stage_ids

# A tap larger than this is a typo, not a quiz question.
MAX_POINTS = Decimal(10000)
MAX_QUESTION = 999
TAP_KIND = "quiz"
UNDO_KIND = "quiz_undo"


def parse_points(value, label: str | None = None) -> Decimal:
    """Signed points as typed or as a button says ("+100", "-25", "−25", "12,5")."""
    label = label or _("Poin")
    text = str(value if value is not None else "").strip().replace("\u2212", "-")
    try:
        points = parse_score(text)
    except NumberTooLarge:
        points = MAX_POINTS + 1  # refused just below, with the limit named
    except NumberTooLong:
        raise too_long(label, MAX_NUMBER_LENGTH) from None
    except ValueError:
        raise ServiceError(422, _("%(label)s harus berupa angka, misalnya +100 atau -25.", label=label)) from None
    if points != points.quantize(Decimal("0.001")):
        raise ServiceError(422, _("%(label)s: paling banyak tiga angka di belakang koma.", label=label))
    if points == 0:
        raise ServiceError(422, _("%(label)s tidak boleh nol.", label=label))
    if abs(points) > MAX_POINTS:
        raise ServiceError(422, _("%(label)s terlalu besar (paling banyak %(limit)s).", label=label,
                           limit=f"{MAX_POINTS:f}"))
    return points


def button_label(points: Decimal) -> str:
    """A point button as the scorekeeper reads it: "+100", "-25", "+12.5"."""
    text = f"{points.normalize():f}"
    return text if points < 0 else "+" + text


def parse_question(value) -> int:
    """A question number from 1 to MAX_QUESTION, in ASCII digits ("٣" is no question number)."""
    text = str(value if value is not None else "").strip()
    digits = text.lstrip("+-")
    if not (digits.isascii() and digits.isdigit()):
        raise ServiceError(422, _("Nomor soal harus berupa bilangan bulat."))
    question = to_int(text, 1, MAX_QUESTION)
    if question is None:
        raise ServiceError(422, _("Nomor soal harus antara 1 dan %(limit)s.", limit=MAX_QUESTION))
    return question


def new_client_id() -> str:
    """An id for a form rendered by the server (the console's script makes its own per tap)."""
    return uuid.uuid4().hex


def _check_open(contest: Contest) -> None:
    if contest.kind != "quiz":
        raise ServiceError(422, _("Lomba ini bukan cerdas cermat."))
    if contest.status != "open":
        raise ServiceError(409, _("Lomba tidak sedang dibuka: poin tidak dapat dicatat."))


def entry_values(entry: QuizEntry) -> dict:
    """An entry as the audit trail records it."""
    return {"team": entry.team.name, "round": entry.round.name if entry.round else "",
            "question": entry.question, "points": format_score(entry.points),
            "undone": entry.undone, "note": entry.note}


def parse_buttons(text_or_list) -> list[str]:
    """Point buttons from "+50, -25" (or a list): each a non-zero number, at most eight."""
    if isinstance(text_or_list, str):
        parts = [p for p in text_or_list.replace(";", " ").replace(",", " ").split() if p]
    else:
        parts = [str(p) for p in text_or_list or ()]
    if not parts:
        raise ServiceError(422, _("Isi paling sedikit satu tombol poin, misalnya +100."))
    if len(parts) > 8:
        raise ServiceError(422, _("Paling banyak delapan tombol poin per babak."))
    labels = []
    for part in parts:
        label = button_label(parse_points(part, _("Tombol poin")))
        if label not in labels:
            labels.append(label)
    return labels


@rolls_back
def save_round(contest: Contest, name, buttons, quiz_round: QuizRound | None = None) -> QuizRound:
    """Add a round (babak) to a quiz, or rename it and change its point buttons."""
    if contest.kind != "quiz":
        raise ServiceError(422, _("Babak hanya ada pada lomba cerdas cermat."))
    name = text_field(name, _("Nama babak"), limit=120)
    labels = parse_buttons(buttons)
    clash = db.session.scalar(db.select(QuizRound).filter_by(contest_id=contest.id, name=name))
    if clash is not None and clash is not quiz_round:
        raise ServiceError(422, _("Babak %(name)s sudah ada.", name=name))
    old = {"name": quiz_round.name, "buttons": list(quiz_round.buttons)} if quiz_round else None
    if quiz_round is None:
        position = max((r.position for r in contest.rounds), default=0) + 1
        quiz_round = QuizRound(contest=contest, name=name, position=position, buttons=labels)
        db.session.add(quiz_round)
    else:
        quiz_round.name, quiz_round.buttons = name, labels
    db.session.flush()
    audit.record("save_round" if old is None else "edit_round", "quiz_round",
                 entity_id=quiz_round.id, event_id=contest.event_id, contest_id=contest.id,
                 old=old, new={"name": name, "buttons": labels})
    db.session.commit()
    return quiz_round


@rolls_back
def delete_round(contest: Contest, quiz_round: QuizRound) -> None:
    """Remove a round that has no entries yet (entries keep their round for the record)."""
    used = db.session.scalar(db.select(QuizEntry.id).filter_by(round_id=quiz_round.id).limit(1))
    if used is not None:
        raise ServiceError(409, _("Babak %(name)s sudah berisi poin dan tidak dapat dihapus.",
                             name=quiz_round.name))
    audit.record("delete_round", "quiz_round", entity_id=quiz_round.id, event_id=contest.event_id,
                 contest_id=contest.id, old={"name": quiz_round.name, "buttons": quiz_round.buttons})
    contest.rounds.remove(quiz_round)
    db.session.commit()


def _entry_of(contest: Contest):
    """The quiz entry a receipt points to, if it belongs to this contest."""
    def entry_of(receipt) -> QuizEntry | None:
        entry = db.session.get(QuizEntry, receipt.target_id)
        return entry if entry is not None and entry.contest_id == contest.id else None
    return entry_of


@rolls_back
def record_tap(contest: Contest, team: Team, quiz_round: QuizRound | None, question, points,
               client_id, by: Judge) -> tuple[QuizEntry, bool]:
    """Store one tap (team, round, question, points); returns the entry and whether it is new.

    The same client id from the same scorekeeper returns the stored entry unchanged.
    """
    client_id = idempotency.checked_client_id(client_id)
    return idempotency.store_once(by, client_id, TAP_KIND, _entry_of(contest), lambda: _tap(
        contest, team, quiz_round, question, points, client_id, by))


def _tap(contest: Contest, team: Team, quiz_round: QuizRound | None, question, points,
         client_id: str, by: Judge) -> QuizEntry:
    _check_open(contest)
    if team is None or team.id not in {t.id for t in contest.teams}:
        raise ServiceError(422, _("Tim ini tidak ikut lomba ini."))
    if quiz_round is not None and quiz_round.contest_id != contest.id:
        raise ServiceError(422, _("Babak ini bukan milik lomba ini."))
    question = parse_question(question)
    points = parse_points(points)
    entry = QuizEntry(contest_id=contest.id, team=team, round=quiz_round, question=question,
                      points=points, entered_by=f"pencatat: {by.name}")
    db.session.add(entry)
    db.session.flush()
    idempotency.keep_receipt(by, client_id, TAP_KIND, entry.id)
    db.session.flush()
    audit.record("quiz_tap", "quiz_entry", entity_id=entry.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=team.id, judge_id=by.id, new=entry_values(entry))
    mark_changed(contest)
    commit(contest)
    return entry


@rolls_back
def undo_last(contest: Contest, by: Judge, client_id=None) -> QuizEntry:
    """Undo the newest entry that still counts; with a client id, an undo sent twice undoes once."""
    if client_id is None:
        return _undo(contest, by, None)
    client_id = idempotency.checked_client_id(client_id)
    entry, _new = idempotency.store_once(by, client_id, UNDO_KIND, _entry_of(contest),
                                         lambda: _undo(contest, by, client_id))
    return entry


def _undo(contest: Contest, by: Judge, client_id: str | None) -> QuizEntry:
    _check_open(contest)
    entry = db.session.scalar(
        db.select(QuizEntry).filter_by(contest_id=contest.id, undone=False)
        .order_by(QuizEntry.id.desc()).limit(1))
    if entry is None:
        raise ServiceError(409, _("Belum ada poin yang dapat dibatalkan."))
    old = entry_values(entry)
    entry.undone = True
    if client_id is not None:
        idempotency.keep_receipt(by, client_id, UNDO_KIND, entry.id)
    db.session.flush()
    audit.record("quiz_undo", "quiz_entry", entity_id=entry.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=entry.team_id, judge_id=by.id,
                 old=old, new=entry_values(entry))
    mark_changed(contest)
    commit(contest)
    return entry


@rolls_back
def correct_entry(entry: QuizEntry, new_points, reason, by: Judge | None = None) -> QuizEntry:
    """Change the points of any entry, with a reason; the old value stays in the audit trail."""
    contest = db.session.get(Contest, entry.contest_id)
    reason = text_field(reason, _("Alasan koreksi"), limit=500)
    points = parse_points(new_points)
    _check_open(contest)
    if entry.undone:
        raise ServiceError(409, _("Poin ini sudah dibatalkan; catat poin baru bila perlu."))
    if points == entry.points:
        raise ServiceError(422, _("Poin baru sama dengan poin lama."))
    old = entry_values(entry)
    entry.note = f"Koreksi {button_label(entry.points)} → {button_label(points)}: {reason}"
    entry.points = points
    audit.record("quiz_correct", "quiz_entry", entity_id=entry.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=entry.team_id, judge_id=by.id if by else None,
                 old=old, new={**entry_values(entry), "reason": reason})
    mark_changed(contest)
    commit(contest)
    return entry


@rolls_back
def set_stage(contest: Contest, team_ids) -> set[int]:
    """Choose the teams on stage (for every tablet and the board); an empty choice means all."""
    if contest.kind != "quiz":
        raise ServiceError(422, _("Tim di panggung hanya ada pada lomba cerdas cermat."))
    if contest.status != "open":
        raise ServiceError(409, _("Lomba tidak sedang dibuka: tim di panggung tidak dapat diubah."))
    known = {entry.team_id for entry in contest.entries}
    # A value that is no id (None here) is an unknown team, never silently dropped.
    chosen = {to_id(v) for v in team_ids or () if str(v).strip()}
    if chosen - known:
        raise ServiceError(422, _("Tim ini tidak ikut lomba ini."))
    if chosen == known:
        chosen = set()  # every team on stage is the same as no heat chosen
    old = stage_ids(contest)
    if chosen == old:
        return old
    names = {entry.team_id: entry.team.name for entry in contest.entries}
    for entry in contest.entries:
        entry.on_stage = entry.team_id in chosen
    audit.record("quiz_stage", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old={"on_stage": sorted(names[i] for i in old)},
                 new={"on_stage": sorted(names[i] for i in chosen)})
    mark_changed(contest)
    commit(contest)
    return chosen
