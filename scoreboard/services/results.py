"""Official results: rows with per-judge detail, the recap's fingerprint, ties to explain.

The files built from them (services/result_files.py, services/recap_pdf.py) carry the same
numbers. The recap's fingerprint is the SHA-256 of those numbers in a canonical JSON form that
uses names, never database ids, so an event re-imported on another machine
(services/archive.py) gives the same fingerprint.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from ..engine import clock_text, format_score, format_score_id
from ..extensions import db
from ..i18n import final_score, wita_datetime
from ..models import AuditEntry, Contest, Event, Judge, Penalty, Sheet
from ..urls import public_url
from .stage_view import durations_for
from .standings import BoardRow, juara_umum_for, standings_for

FIXED_COLUMNS = ("rank", "award", "team", "region", "score", "complete")
XLSX_FIXED_COLUMNS = ("peringkat", "penghargaan", "tim", "kecamatan", "nilai", "lengkap")


@dataclass
class ContestResults:
    """A contest's standings with everything an official recap shows."""

    contest: Contest
    rows: list[BoardRow]
    judges: list[Judge]
    penalties: list[Penalty]
    sheets: list[Sheet] = field(default_factory=list)

    @property
    def criteria(self):
        return self.contest.criteria if self.contest.kind == "rubric" else []

    def columns(self) -> list[str]:
        """CSV columns (rules §4): the public ones, then one per judge total and criterion mean."""
        return (list(FIXED_COLUMNS) + [f"juri: {judge.name}" for judge in self.judges]
                + [f"rata-rata: {criterion.name}" for criterion in self.criteria])

    def judge_total(self, row: BoardRow, judge: Judge) -> Decimal | None:
        return row.result.judge_totals.get(judge.id)

    def criterion_mean(self, row: BoardRow, criterion) -> Decimal | None:
        return row.result.criterion_means.get(criterion.id)


def official_rows(contest: Contest) -> list[BoardRow]:
    """The standings as the results files show them.

    Teams sharing a rank are listed by name, not by database id, so an imported event gives
    the same files.
    """
    return sorted(standings_for(contest), key=lambda row: (row.position, row.team.name))


def results_for(contest: Contest) -> ContestResults:
    """Load a contest's official results: standings, panel, penalties and submitted sheets."""
    penalties = list(db.session.scalars(
        db.select(Penalty).filter_by(contest_id=contest.id).order_by(Penalty.created_at, Penalty.id)))
    sheets = sorted(db.session.scalars(
        db.select(Sheet).filter_by(contest_id=contest.id, state="submitted")),
        key=lambda sheet: (sheet.judge.name, sheet.team.name))
    judges = contest.panel if contest.kind == "rubric" else []
    return ContestResults(contest=contest, rows=official_rows(contest), judges=judges,
                          penalties=penalties, sheets=sheets)


def printed_score(row: BoardRow, kind: str) -> str:
    """The score a printed document shows: "-" for a team not yet scored, quiz points as points."""
    return final_score(row.score, kind, locale="id") if row.scored else "-"


def printed_status(row: BoardRow) -> str:
    """lengkap, sementara or belum dinilai: a team nobody has scored is neither of the first two."""
    if not row.scored:
        return "belum dinilai"
    return "lengkap" if row.complete else "sementara"


def score_text(value: Decimal | None) -> str:
    """A number as the results files write it ("87.50"), or "" for none."""
    return "" if value is None else format_score(value)


def result_records(results: ContestResults) -> list[dict]:
    """One dict per row, keyed by the CSV columns, numbers in the API form ("87.50")."""
    records = []
    for row in results.rows:
        record = row.as_public()
        for judge in results.judges:
            record[f"juri: {judge.name}"] = score_text(results.judge_total(row, judge))
        for criterion in results.criteria:
            record[f"rata-rata: {criterion.name}"] = score_text(results.criterion_mean(row, criterion))
        records.append(record)
    return records


def canonical_numbers(results: ContestResults) -> dict:
    """The numbers a recap prints, by name, in one fixed shape."""
    contest = results.contest
    return {
        "event": contest.event.name,
        "contest": contest.name,
        "method": contest.method,
        "rows": [dict(result_records_row, penalty=format_score(row.result.penalty))
                 for row, result_records_row in zip(results.rows, result_records(results))],
        "penalties": sorted([p.team.name, format_score(p.points), p.reason] for p in results.penalties),
        **stage_numbers(contest),
    }


def stage_numbers(contest: Contest) -> dict:
    """The measured durations a recap prints, by team (nothing for a contest never timed, so
    the fingerprint of a recap printed before the stage timer existed stays the same)."""
    names = {entry.team_id: entry.team.name for entry in contest.entries}
    durations = {names[team_id]: clock_text(ms // 1000)
                 for team_id, ms in durations_for(contest).items()}
    return {"durations": durations} if durations else {}


def fingerprint(results: ContestResults) -> str:
    """SHA-256 over the canonical numbers: sorted keys, no spaces, UTF-8."""
    text = json.dumps(canonical_numbers(results), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


VERIFIABLE_STATUSES = ("open", "closed", "published")  # a draft has no recap to check


def find_fingerprint(digest: str) -> Contest | None:
    """The contest whose current numbers have this fingerprint, if any.

    Public and unauthenticated (rate-limited by the route): it computes standings only for
    contests that can have a recap and loads no sheets (the fingerprint covers the standings,
    the panel's columns and the penalties).
    """
    digest = digest.lower()
    contests = db.session.scalars(db.select(Contest).where(Contest.status.in_(VERIFIABLE_STATUSES))
                                  .order_by(Contest.id))
    for contest in contests:
        penalties = list(db.session.scalars(db.select(Penalty).filter_by(contest_id=contest.id)))
        numbers = ContestResults(contest=contest, rows=official_rows(contest),
                                 judges=contest.panel if contest.kind == "rubric" else [],
                                 penalties=penalties)
        if fingerprint(numbers) == digest:
            return contest
    return None


def verify_url(digest: str) -> str:
    """The public page a recap's QR code opens."""
    return public_url("export.verify", digest=digest)


def publish_decision(contest: Contest) -> AuditEntry | None:
    """The audit entry of the organizer's latest publish, while the contest stays published."""
    if contest.status != "published":
        return None
    return db.session.scalar(
        db.select(AuditEntry).filter_by(contest_id=contest.id, action="publish")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1))


def tie_notes(results: ContestResults) -> list[str]:
    """Ties the recap must explain: broken by tie-break criteria, shared ranks, and the
    organizer's audited choices at publishing (shared awards, publishing before complete)."""

    contest = results.contest
    rows = results.rows
    notes = []
    if contest.kind == "rubric" and contest.method != "rank_sum":
        names = ", ".join(c.name for c in contest.criteria if c.id in (contest.tie_break or []))
        for before, after in zip(rows, rows[1:]):
            if before.score == after.score and before.rank != after.rank:
                notes.append(f"{before.team.name} dan {after.team.name} sama-sama "
                             f"{format_score_id(before.score)}; diputus dengan kriteria "
                             f"{names or 'penentu'}: {before.team.name} di atas.")
    decision = publish_decision(contest)
    new = (decision.new_value or {}) if decision is not None else {}
    signed = f"{decision.actor}, {wita_datetime(decision.at)}" if decision is not None else ""
    shared: dict[int, list[BoardRow]] = {}
    for row in rows:
        if row.scored:
            shared.setdefault(row.rank, []).append(row)
    for rank, group in shared.items():
        if len(group) < 2:
            continue
        note = f"Peringkat {rank} dibagi bersama oleh {', '.join(row.team.name for row in group)}"
        if rank <= len(contest.awards):
            note += f" ({contest.awards[rank - 1]})"
            if new.get("shared_awards"):
                note += f"; diumumkan sebagai penghargaan bersama atas persetujuan {signed}"
            elif contest.status != "published":
                note += "; menunggu keputusan panitia saat pengumuman"
        notes.append(note + ".")
    if new.get("override_reason"):
        notes.append(f"Diumumkan sebelum semua tim lengkap dinilai ({signed}). "
                     f"Alasan: {new['override_reason']}")
    elif contest.publish_note:
        notes.append(f"Catatan panitia: {contest.publish_note}")
    return notes


def overall_table(event: Event):
    """Juara umum over the event's published contests (rules §3)."""
    pairs = []
    for contest in event.contests:
        if contest.status == "published":
            pairs += [(row.region, row.award) for row in official_rows(contest) if row.award]
    return juara_umum_for(event, pairs)
