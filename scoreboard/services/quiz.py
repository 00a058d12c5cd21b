"""The quiz (cerdas cermat, DESIGN §3): rounds with point buttons, the scorekeeper's taps,
undo and corrections.

A quiz team's final score is the sum of its entries that still count (not undone). Every tap
carries an id made on the tablet, so a tap sent twice (a retried request, the offline outbox
replaying) is stored once. Every change is audited, bumps the contest's version, is committed
and then pushed to the boards.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..engine import NumberTooLarge, format_score, parse_score
from ..extensions import db
from ..models import Contest, Judge, QuizEntry, QuizRound, SaveReceipt, Team
from ..params import to_id
from . import audit
from .board import commit_and_publish, mark_changed

# A tap larger than this is a typo, not a quiz question.
MAX_POINTS = Decimal(10000)
MAX_QUESTION = 999
CLIENT_ID_LIMIT = 64
TAP_KIND = "quiz"
UNDO_KIND = "quiz_undo"


class QuizError(Exception):
    """Invalid input: the message is shown to the scorekeeper, nothing is written."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuizConflict(QuizError):
    """The contest's state forbids this now (not open, already undone)."""

    status = 409


@dataclass(frozen=True)
class QuizPosition:
    """Where the quiz is: the round and question of the newest entry that counts."""

    round: QuizRound | None
    question: int
    last: QuizEntry | None


def parse_points(value, label: str | None = None) -> Decimal:
    """Signed points as typed or as a button says ("+100", "-25", "−25", "12,5")."""
    label = label or _("Poin")
    text = str(value if value is not None else "").strip().replace("\u2212", "-")
    try:
        points = parse_score(text)
    except NumberTooLarge:
        points = MAX_POINTS + 1  # refused just below, with the limit named
    except ValueError:
        raise QuizError(_("%(label)s harus berupa angka, misalnya +100 atau -25.", label=label)) from None
    if points != points.quantize(Decimal("0.001")):
        raise QuizError(_("%(label)s: paling banyak tiga angka di belakang koma.", label=label))
    if points == 0:
        raise QuizError(_("%(label)s tidak boleh nol.", label=label))
    if abs(points) > MAX_POINTS:
        raise QuizError(_("%(label)s terlalu besar (paling banyak %(limit)s).", label=label,
                           limit=f"{MAX_POINTS:f}"))
    return points


def button_label(points: Decimal) -> str:
    """A point button as the scorekeeper reads it: "+100", "-25", "+12.5"."""
    text = f"{points.normalize():f}"
    return text if points < 0 else "+" + text


def parse_question(value) -> int:
    """A question number from 1 to MAX_QUESTION."""
    try:
        question = int(str(value).strip())
    except (TypeError, ValueError):
        raise QuizError(_("Nomor soal harus berupa bilangan bulat.")) from None
    if not 1 <= question <= MAX_QUESTION:
        raise QuizError(_("Nomor soal harus antara 1 dan %(limit)s.", limit=MAX_QUESTION))
    return question


def check_client_id(client_id) -> str:
    """The id the tablet made for a save: required, short, printable."""
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > CLIENT_ID_LIMIT or not client_id.isprintable():
        raise QuizError(_("Ketukan tanpa nomor pengenal yang sah. Muat ulang halaman lalu coba lagi."))
    return client_id


def new_client_id() -> str:
    """An id for a form rendered by the server (the console's script makes its own per tap)."""
    return uuid.uuid4().hex


def _check_open(contest: Contest) -> None:
    if contest.kind != "quiz":
        raise QuizError(_("Lomba ini bukan cerdas cermat."))
    if contest.status != "open":
        raise QuizConflict(_("Lomba tidak sedang dibuka: poin tidak dapat dicatat."))


def entry_values(entry: QuizEntry) -> dict:
    """An entry as the audit trail records it."""
    return {"team": entry.team.name, "round": entry.round.name if entry.round else "",
            "question": entry.question, "points": format_score(entry.points),
            "undone": entry.undone, "note": entry.note}


# --- rounds (configured by the organizer) ------------------------------------------------------

def parse_buttons(text_or_list) -> list[str]:
    """Point buttons from "+50, -25" (or a list): each a non-zero number, at most eight."""
    if isinstance(text_or_list, str):
        parts = [p for p in text_or_list.replace(";", " ").replace(",", " ").split() if p]
    else:
        parts = [str(p) for p in text_or_list or ()]
    if not parts:
        raise QuizError(_("Isi paling sedikit satu tombol poin, misalnya +100."))
    if len(parts) > 8:
        raise QuizError(_("Paling banyak delapan tombol poin per babak."))
    labels = []
    for part in parts:
        label = button_label(parse_points(part, _("Tombol poin")))
        if label not in labels:
            labels.append(label)
    return labels


def save_round(contest: Contest, name, buttons, quiz_round: QuizRound | None = None) -> QuizRound:
    """Add a round (babak) to a quiz, or rename it and change its point buttons."""
    if contest.kind != "quiz":
        raise QuizError(_("Babak hanya ada pada lomba cerdas cermat."))
    name = (name or "").strip()
    if not name:
        raise QuizError(_("Nama babak wajib diisi."))
    if len(name) > 120:
        raise QuizError(_("Nama babak terlalu panjang (paling banyak 120 karakter)."))
    labels = parse_buttons(buttons)
    clash = db.session.scalar(db.select(QuizRound).filter_by(contest_id=contest.id, name=name))
    if clash is not None and clash is not quiz_round:
        raise QuizError(_("Babak %(name)s sudah ada.", name=name))
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


def delete_round(contest: Contest, quiz_round: QuizRound) -> None:
    """Remove a round that has no entries yet (entries keep their round for the record)."""
    used = db.session.scalar(db.select(QuizEntry.id).filter_by(round_id=quiz_round.id).limit(1))
    if used is not None:
        raise QuizConflict(_("Babak %(name)s sudah berisi poin dan tidak dapat dihapus.",
                             name=quiz_round.name))
    audit.record("delete_round", "quiz_round", entity_id=quiz_round.id, event_id=contest.event_id,
                 contest_id=contest.id, old={"name": quiz_round.name, "buttons": quiz_round.buttons})
    contest.rounds.remove(quiz_round)
    db.session.commit()


# --- the scorekeeper's taps -------------------------------------------------------------------

def _receipt(judge: Judge, client_id: str) -> SaveReceipt | None:
    return db.session.scalar(db.select(SaveReceipt).filter_by(judge_id=judge.id,
                                                              client_id=client_id))


def _replayed_entry(contest: Contest, receipt: SaveReceipt, kind: str) -> QuizEntry:
    """The entry an earlier save with the same id stored; the id must not be reused for another."""
    entry = db.session.get(QuizEntry, receipt.target_id) if receipt.target_id else None
    if receipt.kind != kind or entry is None or entry.contest_id != contest.id:
        raise QuizConflict(_("Nomor pengenal ketukan ini sudah dipakai untuk hal lain."))
    return entry


def _flush_or_replay(contest: Contest, by: Judge, client_id, kind: str) -> QuizEntry | None:
    """Flush; if the same id raced in first (two requests at once), answer with what it stored."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        receipt = _receipt(by, client_id) if client_id is not None else None
        if receipt is None:
            raise
        return _replayed_entry(contest, receipt, kind)
    return None


def record_tap(contest: Contest, team: Team, quiz_round: QuizRound | None, question, points,
               client_id, by: Judge) -> tuple[QuizEntry, bool]:
    """Store one tap (team, round, question, points); returns the entry and whether it is new.

    The same client id from the same scorekeeper returns the stored entry unchanged.
    """
    client_id = check_client_id(client_id)
    receipt = _receipt(by, client_id)
    if receipt is not None:
        return _replayed_entry(contest, receipt, TAP_KIND), False
    _check_open(contest)
    if team is None or team.id not in {t.id for t in contest.teams}:
        raise QuizError(_("Tim ini tidak ikut lomba ini."))
    if quiz_round is not None and quiz_round.contest_id != contest.id:
        raise QuizError(_("Babak ini bukan milik lomba ini."))
    question = parse_question(question)
    points = parse_points(points)
    entry = QuizEntry(contest_id=contest.id, team=team, round=quiz_round, question=question,
                      points=points, entered_by=f"pencatat: {by.name}")
    db.session.add(entry)
    db.session.flush()
    db.session.add(SaveReceipt(client_id=client_id, judge_id=by.id, kind=TAP_KIND,
                               target_id=entry.id))
    replayed = _flush_or_replay(contest, by, client_id, TAP_KIND)
    if replayed is not None:
        return replayed, False
    audit.record("quiz_tap", "quiz_entry", entity_id=entry.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=team.id, judge_id=by.id, new=entry_values(entry))
    mark_changed(contest)
    commit_and_publish(contest)
    return entry, True


def undo_last(contest: Contest, by: Judge, client_id=None) -> QuizEntry:
    """Undo the newest entry that still counts; with a client id, an undo sent twice undoes once."""
    if client_id is not None:
        client_id = check_client_id(client_id)
        receipt = _receipt(by, client_id)
        if receipt is not None:
            return _replayed_entry(contest, receipt, UNDO_KIND)
    _check_open(contest)
    entry = db.session.scalar(
        db.select(QuizEntry).filter_by(contest_id=contest.id, undone=False)
        .order_by(QuizEntry.id.desc()).limit(1))
    if entry is None:
        raise QuizConflict(_("Belum ada poin yang dapat dibatalkan."))
    old = entry_values(entry)
    entry.undone = True
    if client_id is not None:
        db.session.add(SaveReceipt(client_id=client_id, judge_id=by.id, kind=UNDO_KIND,
                                   target_id=entry.id))
    replayed = _flush_or_replay(contest, by, client_id, UNDO_KIND)
    if replayed is not None:
        return replayed
    audit.record("quiz_undo", "quiz_entry", entity_id=entry.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=entry.team_id, judge_id=by.id,
                 old=old, new=entry_values(entry))
    mark_changed(contest)
    commit_and_publish(contest)
    return entry


def correct_entry(entry: QuizEntry, new_points, reason, by: Judge | None = None) -> QuizEntry:
    """Change the points of any entry, with a reason; the old value stays in the audit trail."""
    contest = db.session.get(Contest, entry.contest_id)
    reason = (reason or "").strip()
    if not reason:
        raise QuizError(_("Alasan koreksi wajib diisi."))
    if len(reason) > 500:
        raise QuizError(_("Alasan koreksi terlalu panjang (paling banyak 500 karakter)."))
    points = parse_points(new_points)
    _check_open(contest)
    if entry.undone:
        raise QuizConflict(_("Poin ini sudah dibatalkan; catat poin baru bila perlu."))
    if points == entry.points:
        raise QuizError(_("Poin baru sama dengan poin lama."))
    old = entry_values(entry)
    entry.note = f"Koreksi {button_label(entry.points)} → {button_label(points)}: {reason}"
    entry.points = points
    audit.record("quiz_correct", "quiz_entry", entity_id=entry.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=entry.team_id, judge_id=by.id if by else None,
                 old=old, new={**entry_values(entry), "reason": reason})
    mark_changed(contest)
    commit_and_publish(contest)
    return entry


# --- the teams on stage (a heat or the final) --------------------------------------------------

def stage_ids(contest: Contest) -> set[int]:
    """The ids of the teams on stage now; empty when none was chosen (then all teams play)."""
    return {entry.team_id for entry in contest.entries if entry.on_stage}


def set_stage(contest: Contest, team_ids) -> set[int]:
    """Choose the teams on stage (for every tablet and the board); an empty choice means all."""
    if contest.kind != "quiz":
        raise QuizError(_("Tim di panggung hanya ada pada lomba cerdas cermat."))
    if contest.status != "open":
        raise QuizConflict(_("Lomba tidak sedang dibuka: tim di panggung tidak dapat diubah."))
    known = {entry.team_id for entry in contest.entries}
    # A value that is no id (None here) is an unknown team, never silently dropped.
    chosen = {to_id(v) for v in team_ids or () if str(v).strip()}
    if chosen - known:
        raise QuizError(_("Tim ini tidak ikut lomba ini."))
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
    commit_and_publish(contest)
    return chosen


# --- what the console and the board show -------------------------------------------------------

def entries_for(contest: Contest, limit: int | None = None) -> list[QuizEntry]:
    """The contest's entries, newest first (undone ones included, for the record)."""
    query = db.select(QuizEntry).filter_by(contest_id=contest.id).order_by(QuizEntry.id.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def position_of(contest: Contest) -> QuizPosition:
    """The current round and question, derived from the newest entry that counts."""
    last = db.session.scalar(
        db.select(QuizEntry).filter_by(contest_id=contest.id, undone=False)
        .order_by(QuizEntry.id.desc()).limit(1))
    if last is None:
        return QuizPosition(round=contest.rounds[0] if contest.rounds else None, question=1,
                            last=None)
    return QuizPosition(round=last.round, question=last.question, last=last)


def totals_for(contest: Contest) -> dict[int, Decimal]:
    """Each team's total: the sum of its entries that count."""
    totals = {team.id: Decimal(0) for team in contest.teams}
    for team_id, points in db.session.execute(
            db.select(QuizEntry.team_id, QuizEntry.points)
            .filter_by(contest_id=contest.id, undone=False)):
        totals[team_id] = totals.get(team_id, Decimal(0)) + points
    return totals



@dataclass(frozen=True)
class BoardQuizStatus:
    """What a public quiz board adds: "Babak rebutan · soal 7" and the last tap beside its team."""

    round_name: str
    question: int
    last_team_id: int | None
    last_points: Decimal | None
    on_stage: frozenset[int] = frozenset()


# The board shows the last tap this long after it was made; a board loaded later shows none.
LAST_TAP_SECONDS = 12


def board_status(contest: Contest, state: str) -> BoardQuizStatus | None:
    """The quiz's place for a public board; the last tap only while the board is live."""
    if contest.kind != "quiz" or state not in ("live", "hidden") or contest.status == "draft":
        return None
    newest = db.session.scalar(db.select(QuizEntry).filter_by(contest_id=contest.id)
                               .order_by(QuizEntry.id.desc()).limit(1))
    on_stage = frozenset(stage_ids(contest))
    if newest is None:
        return BoardQuizStatus("", 0, None, None, on_stage) if on_stage else None
    position = position_of(contest)
    last_team_id = last_points = None
    if state == "live" and not newest.undone:
        made = newest.created_at
        if made.tzinfo is None:  # SQLite hands back naive UTC
            made = made.replace(tzinfo=timezone.utc)
        if (datetime.now(timezone.utc) - made).total_seconds() <= LAST_TAP_SECONDS:
            last_team_id, last_points = newest.team_id, newest.points
    return BoardQuizStatus(round_name=position.round.name if position.round else "",
                           question=position.question, last_team_id=last_team_id,
                           last_points=last_points, on_stage=on_stage)
