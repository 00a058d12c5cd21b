"""Running the day: performance order and draw, penalties, locking, publishing (DESIGN §3.6, §3.7).

Each use case validates, records an audit entry, bumps the contest's version when the board
changes, commits, and then publishes. Invalid requests raise ServiceError with 422 or, for a
rule of the contest's state such as publishing an incomplete contest, 409.
"""
import random
import secrets
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..engine import MAX_NUMBER_LENGTH, NumberTooLarge, NumberTooLong, boundary_ties, parse_score
from ..extensions import db
from ..models import Contest, Penalty, Sheet, Team
from ..params import to_int
from . import audit
from .backup import backup_now
from .errors import ServiceError, rolls_back
from .fields import too_long
from .publish import commit, mark_changed
from .standings import preload_contest, standings_for


# A performance order number as typed; no contest has ten thousand teams.
MAX_ORDER = 9999


def order_snapshot(contest: Contest) -> list[str]:
    """Team names in performance order, for the audit trail."""
    return [entry.team.name for entry in contest.entries]


def apply_order(contest: Contest, team_ids: list[int]) -> None:
    """Give the entries order numbers 1..n in the given team order."""
    entries = {entry.team_id: entry for entry in contest.entries}
    # Two passes so the unique (contest, order_no) never sees a duplicate mid-change.
    for entry in entries.values():
        entry.order_no = None
    db.session.flush()
    for number, team_id in enumerate(team_ids, start=1):
        entries[team_id].order_no = number
    db.session.flush()
    db.session.expire(contest, ["entries"])


@rolls_back
def set_order(contest: Contest, order_numbers: dict[int, str]) -> None:
    """Set the performance order by hand: every team a distinct number, 1..n after sorting."""
    entries = {entry.team_id: entry for entry in contest.entries}
    if set(order_numbers) != set(entries):
        raise ServiceError(422, _("Isi nomor urut untuk setiap tim."))
    numbers = {}
    for team_id, raw in order_numbers.items():
        # Only sorted, then stored as 1..n; bounded well inside the INTEGER column all the same.
        numbers[team_id] = to_int(raw, 1, MAX_ORDER)
        if numbers[team_id] is None:
            raise ServiceError(422, _("Nomor urut %(team)s harus bilangan bulat dari 1 sampai %(limit)d.",
                                     team=entries[team_id].team.name, limit=MAX_ORDER))
    if len(set(numbers.values())) != len(numbers):
        raise ServiceError(422, _("Setiap tim harus mendapat nomor urut yang berbeda."))
    old = order_snapshot(contest)
    apply_order(contest, sorted(numbers, key=numbers.get))
    new = order_snapshot(contest)
    audit.record("order", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old=old, new={"order": new, "by": "manual"})
    mark_changed(contest)
    commit(contest)


def drawn_order(team_ids, seed: str) -> list[int]:
    """The order a seed draws: the same seed and teams always give the same order."""
    order = sorted(team_ids)
    random.Random(seed).shuffle(order)
    return order


@rolls_back
def draw_order(contest: Contest, seed: str | None = None) -> str:
    """Draw the performance order at random (undian); the seed is shown and recorded for re-checks."""
    seed = (seed or "").strip() or secrets.token_hex(4).upper()
    if len(seed) > 64:
        raise ServiceError(422, _("Benih undian paling banyak 64 karakter."))
    if not contest.entries:
        raise ServiceError(422, _("Belum ada tim di lomba ini."))
    old = order_snapshot(contest)
    apply_order(contest, drawn_order([e.team_id for e in contest.entries], seed))
    contest.draw_seed = seed
    audit.record("draw", "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old=old,
                 new={"order": order_snapshot(contest), "seed": seed, "by": "undian"})
    mark_changed(contest)
    commit(contest)
    return seed


@rolls_back
def add_penalty(contest: Contest, team: Team, points, reason, entered_by: str) -> Penalty:
    """Take points off a team, with the reason (e.g. over the time limit)."""
    if team.id not in {entry.team_id for entry in contest.entries}:
        raise ServiceError(422, _("Tim ini tidak ikut lomba tersebut."))
    try:
        value = parse_score(points)
    except NumberTooLarge:
        raise ServiceError(422, _("Poin pengurangan terlalu besar.")) from None
    except NumberTooLong:
        raise too_long(_("Poin pengurangan"), MAX_NUMBER_LENGTH) from None
    except (ValueError, TypeError):
        raise ServiceError(422, _("Poin pengurangan harus berupa angka.")) from None
    if value <= 0 or value != value.quantize(Decimal("0.001")):
        raise ServiceError(422, _("Poin pengurangan harus lebih dari 0 (paling banyak tiga desimal)."))
    reason = _required(reason, _("Tuliskan alasan pengurangan nilai."))
    if contest.status == "published":
        raise ServiceError(409, _("Lomba sudah diumumkan; batalkan pengumuman dulu."))
    penalty = Penalty(contest_id=contest.id, team=team, points=value, reason=reason[:2000],
                      entered_by=entered_by)
    db.session.add(penalty)
    db.session.flush()
    audit.record("create", "penalty", entity_id=penalty.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=team.id,
                 new={"points": str(value), "reason": penalty.reason})
    mark_changed(contest)
    commit(contest)
    return penalty


@rolls_back
def remove_penalty(contest: Contest, penalty: Penalty) -> None:
    """Withdraw a penalty entered by mistake (kept in the audit trail)."""
    if contest.status == "published":
        raise ServiceError(409, _("Lomba sudah diumumkan; batalkan pengumuman dulu."))
    audit.record("delete", "penalty", entity_id=penalty.id, event_id=contest.event_id,
                 contest_id=contest.id, team_id=penalty.team_id,
                 old={"points": str(penalty.points), "reason": penalty.reason})
    db.session.delete(penalty)
    mark_changed(contest)
    commit(contest)


def judging_matrix(contest: Contest) -> dict:
    """Teams × judges: each cell empty, draft, submitted or conflict; plus the progress counts."""
    preload_contest(contest)
    sheets = {(s.team_id, s.judge_id): s.state for s in
              db.session.scalars(db.select(Sheet).filter_by(contest_id=contest.id))}
    judges = contest.panel
    rows, done, expected = [], 0, 0
    for team in contest.teams:
        cells = []
        for judge in judges:
            if judge.in_conflict_with(team):
                cells.append("conflict")
                continue
            state = sheets.get((team.id, judge.id), "empty")
            cells.append(state)
            expected += 1
            done += state == "submitted"
        rows.append({"team": team, "cells": cells})
    percent = round(100 * done / expected) if expected else 0
    return {"judges": judges, "rows": rows, "done": done, "expected": expected, "percent": percent}


def is_complete(contest: Contest, rows: list | None = None) -> bool:
    """Every team complete (rubric: every sheet submitted; quiz: always, the scorekeeper decides).

    `rows` are the contest's standings when the caller already has them.
    """
    if contest.kind == "quiz":
        return True
    return all(row.complete for row in (standings_for(contest) if rows is None else rows))


def _required(reason, message: str) -> str:
    """The organizer's reason, trimmed; refused with `message` when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(422, message)
    return reason


def _move_status(contest: Contest, action: str, status: str, **details) -> None:
    """Move the contest to another status, audited with the organizer's details, and publish it."""
    old = contest.status
    contest.status = status
    audit.record(action, "contest", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old={"status": old}, new={"status": status, **details})
    mark_changed(contest)
    commit(contest)


@rolls_back
def lock_contest(contest: Contest) -> None:
    """Close a contest: no more saves from judges or the scorekeeper."""
    if contest.status != "open":
        raise ServiceError(409, _("Hanya lomba yang sedang dibuka dapat dikunci."))
    _move_status(contest, "lock", "closed")
    backup_now(f"kunci {contest.name}")


def tied_boundaries(contest: Contest, rows: list | None = None) -> list[list[str]]:
    """Groups of team names tied on an awarded rank (DESIGN §3.7), from `rows` if given."""
    rows = standings_for(contest) if rows is None else rows
    names = {row.team.id: row.team.name for row in rows}
    return [[names[t] for t in group]
            for group in boundary_ties([row.result for row in rows], contest.awards)]


@rolls_back
def publish_contest(contest: Contest, *, override_reason: str = "",
                    acknowledge_ties: bool = False) -> None:
    """Publish the results: only a locked, complete contest, unless overridden with a reason."""
    override_reason = (override_reason or "").strip()
    if contest.status != "closed":
        raise ServiceError(409, _("Kunci lomba dulu sebelum mengumumkan hasilnya."))
    rows = standings_for(contest)
    complete = is_complete(contest, rows)
    if not complete and not override_reason:
        raise ServiceError(409, _("Belum semua tim lengkap dinilai. Tuliskan alasan untuk tetap "
                                "mengumumkan (dicatat di jejak audit)."))
    ties = tied_boundaries(contest, rows)
    if ties and not acknowledge_ties:
        groups = "; ".join(" = ".join(group) for group in ties)
        raise ServiceError(409, _("Ada nilai seri pada batas penghargaan (%(groups)s). Centang "
                                "persetujuan untuk mengumumkannya sebagai penghargaan bersama.",
                                groups=groups))
    contest.publish_note = override_reason
    _move_status(contest, "publish", "published", complete=complete,
                 override_reason=override_reason or None, shared_awards=ties or None)
    backup_now(f"umumkan {contest.name}")


# A step of closing that can be undone: from which status, to which, and what the organizer is told.
STEPS_BACK = {
    "unlock": ("closed", "open", _l("Hanya lomba yang terkunci dapat dibuka kembali."),
               _l("Tuliskan alasan membuka kembali lomba.")),
    "unpublish": ("published", "closed", _l("Lomba ini belum diumumkan."),
                  _l("Tuliskan alasan membatalkan pengumuman.")),
}


@rolls_back
def step_back(contest: Contest, action: str, reason: str) -> None:
    """Undo a lock ("unlock": open for corrections) or a publication ("unpublish"), with a reason."""
    current, status, refusal, ask = STEPS_BACK[action]
    if contest.status != current:
        raise ServiceError(409, str(refusal))
    _move_status(contest, action, status, reason=_required(reason, str(ask)))
