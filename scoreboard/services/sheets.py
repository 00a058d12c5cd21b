"""Score sheets: a judge's saves, the final submit, and reopening a locked sheet.

Every write is one transaction with its audit entry (old and new scores, so every
version of a sheet is kept); a change the board shows bumps the contest's version and
is published after the commit (rules §4: drafts count for nothing).
"""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext as _
from sqlalchemy import update

from ..engine import (CriterionSpec, ScoreProblem, Sheet as EngineSheet, format_score, judge_total,
                      parse_score, score_problem)
from ..extensions import db
from ..models import Contest, ContestTeam, Judge, ReopenRequest, Score, Sheet, Team, utcnow
from . import audit, idempotency
from .errors import ServiceError, rolls_back
from .publish import commit, commit_progress, commit_reopen, mark_changed

SCORING_ROLES = ("judge", "head")


@dataclass
class SaveResult:
    """What the server acknowledges for one save; `repeat` when the client id was seen before.

    `state` and `version` are the sheet's as stored: read before the commit expired the sheet,
    so acknowledging a save costs no second trip to the database.
    """

    sheet: Sheet
    saved_at: datetime
    state: str
    version: int
    repeat: bool = False


def sheet_for(judge: Judge, contest: Contest, team: Team) -> Sheet | None:
    """The judge's sheet for a team, if one was ever saved."""
    return db.session.scalar(db.select(Sheet).filter_by(
        contest_id=contest.id, judge_id=judge.id, team_id=team.id))


def sheet_total(sheet: Sheet) -> Decimal:
    """The judge total Σ w·s of the criteria scored so far (the engine's, as for a submitted sheet)."""
    scores = {score.criterion_id: score.value for score in sheet.scores}
    criteria = [CriterionSpec(id=c.id, weight=c.weight) for c in sheet.contest.criteria
                if c.id in scores]
    return judge_total(EngineSheet(judge_id=sheet.judge_id, team_id=sheet.team_id, scores=scores),
                       criteria)


def sheet_snapshot(sheet: Sheet | None) -> dict | None:
    """A sheet as the audit trail keeps it: state, version and every score as "7.50" by criterion name.

    Names, not ids: the office reads the trail in the workbook, and an event archived and
    imported elsewhere gets new ids but keeps its names.
    """
    if sheet is None:
        return None
    return {"state": sheet.state, "version": sheet.version,
            "scores": {s.criterion.name: format_score(s.value)
                       for s in sorted(sheet.scores, key=lambda s: s.criterion.position)}}


def check_can_score(judge: Judge, contest: Contest, team: Team) -> None:
    """Refuse a judge who may not score this team in this contest now (ServiceError)."""
    if judge.event_id != contest.event_id or judge.role_in(contest) not in SCORING_ROLES:
        raise ServiceError(403, _("Anda tidak ditugaskan menilai lomba ini."))
    if contest.kind != "rubric":
        raise ServiceError(404, _("Lomba ini tidak dinilai dengan lembar nilai juri."))
    if db.session.scalar(db.select(ContestTeam.id).filter_by(
            contest_id=contest.id, team_id=team.id)) is None:
        raise ServiceError(404, _("Tim ini tidak terdaftar di lomba ini."))
    if judge.in_conflict_with(team):
        raise ServiceError(403, _("Anda tidak menilai tim dari kecamatan Anda sendiri (%(region)s).",
                                region=team.region.name))
    if contest.status != "open":
        raise ServiceError(409, _("Lomba ini sedang tidak dibuka untuk penilaian."))


def score_message(problem: ScoreProblem) -> str:
    """The engine's complaint about a score in the reader's language, numbers written their way ("0,5" / "0.5")."""
    locale = str(get_locale() or "id")
    return _(problem.template, **{name: format_decimal(value.normalize(), format="#,##0.##########",
                                                        locale=locale)
                                  for name, value in problem.params.items()})


def parse_values(contest: Contest, values: Mapping[int, str], complete: bool) -> dict[int, object]:
    """Check every value against its criterion; blank means "no value yet" (None)."""
    criteria = {c.id: c for c in contest.criteria}
    unknown = [cid for cid in values if cid not in criteria]
    if unknown:
        raise ServiceError(422, _("Kriteria tidak termasuk lomba ini."))
    errors: dict[int, str] = {}
    parsed: dict[int, object] = {}
    for cid, criterion in criteria.items():
        raw = values.get(cid)
        if raw is None or str(raw).strip() == "":
            if complete:
                errors[cid] = _("Wajib diisi sebelum dikirim final.")
            parsed[cid] = None
            continue
        problem = score_problem(raw, criterion.min_score, criterion.max_score, criterion.step)
        if problem:
            errors[cid] = score_message(problem)
        else:
            parsed[cid] = parse_score(raw)
    if errors:
        summary = (_("Semua kriteria harus diisi dengan benar sebelum dikirim final.") if complete
                   else _("Periksa nilai yang ditandai."))
        raise ServiceError(422, summary, errors)
    return parsed


def _repeat_of(judge: Judge, contest: Contest, team: Team, receipt) -> SaveResult | None:
    """The acknowledgement of an earlier save with the same id, if it was this very sheet."""
    sheet = db.session.get(Sheet, receipt.target_id)
    if sheet is None or (sheet.judge_id, sheet.contest_id, sheet.team_id) != (judge.id, contest.id,
                                                                                team.id):
        return None
    return SaveResult(sheet=sheet, saved_at=receipt.received_at, state=sheet.state,
                      version=sheet.version, repeat=True)


def _write_sheet(judge: Judge, contest: Contest, team: Team, values: Mapping[int, str],
                 client_id: str, submit: bool) -> SaveResult:
    """Validate, then store the scores (and lock the sheet when submitting) in one transaction."""
    check_can_score(judge, contest, team)
    parsed = parse_values(contest, values, complete=submit)

    now = utcnow()
    sheet = sheet_for(judge, contest, team)
    if sheet is None:
        # Not flushed yet: it is inserted once, with its scores and final state, by the flush
        # below (a new sheet has no scores to look up, and no update follows its insert).
        sheet = Sheet(contest_id=contest.id, judge_id=judge.id, team_id=team.id, state="draft",
                      version=0)
        db.session.add(sheet)
        old = None
    else:
        old = sheet_snapshot(sheet)
        # Claim the sheet only while it is still a draft: a second tablet that submitted it a
        # moment ago wins, and this write is refused instead of changing a locked sheet.
        claimed = db.session.execute(
            update(Sheet).where(Sheet.id == sheet.id, Sheet.state == "draft")
            .values(updated_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            raise ServiceError(409, _("Lembar nilai ini sudah dikirim final dan terkunci. "
                                    "Ajukan permintaan buka kembali bila perlu diubah."))
        db.session.refresh(sheet)

    existing = {score.criterion_id: score for score in sheet.scores}
    for cid, value in parsed.items():
        score = existing.get(cid)
        if value is None:
            if score is not None:
                sheet.scores.remove(score)
        elif score is None:
            sheet.scores.append(Score(judge_id=judge.id, team_id=team.id, criterion_id=cid,
                                      value=value))
        elif score.value != value:
            score.value = value
    sheet.version += 1
    sheet.updated_at = now
    if submit:
        sheet.state = "submitted"
        sheet.submitted_at = now
    # The sheet's row and its scores: a new sheet gets its id (for its receipt and audit entry),
    # and a new score its criterion, which the audit entry names. The commit's flush writes the
    # rest: each flush is about 1.5 ms of the ORM's own work.
    db.session.flush()
    if submit:
        # After the sheet's own row, as a claimed sheet is: every save locks its sheet first and
        # the contest's row last, so two tablets of one judge cannot wait on each other.
        mark_changed(contest)
    idempotency.keep_receipt(judge, client_id, "sheet", sheet.id, at=now)
    audit.record("sheet.submit" if submit else "sheet.save", "sheet", entity_id=sheet.id,
                 event_id=contest.event_id, contest_id=contest.id, team_id=team.id,
                 judge_id=judge.id, old=old, new=sheet_snapshot(sheet))
    result = SaveResult(sheet=sheet, saved_at=now, state=sheet.state, version=sheet.version)
    if submit:
        commit(contest)
    else:
        commit_progress(contest)
    return result


def _store(judge: Judge, contest: Contest, team: Team, values: Mapping[int, str], client_id,
           submit: bool) -> SaveResult:
    """Store the save once per save id (a repeat is answered as the first one was)."""
    client_id = idempotency.checked_client_id(client_id)
    result, _new = idempotency.store_once(
        judge, client_id, "sheet", lambda receipt: _repeat_of(judge, contest, team, receipt),
        lambda: _write_sheet(judge, contest, team, values, client_id, submit))
    return result


@rolls_back
def save_sheet(judge: Judge, contest: Contest, team: Team, values: Mapping[int, str],
               client_id: str) -> SaveResult:
    """Store a draft (blank values allowed); drafts do not change the board, only the judging matrix."""
    return _store(judge, contest, team, values, client_id, submit=False)


@rolls_back
def submit_sheet(judge: Judge, contest: Contest, team: Team, values: Mapping[int, str],
                 client_id: str) -> SaveResult:
    """Store every criterion and lock the sheet; the standings change for everyone watching."""
    return _store(judge, contest, team, values, client_id, submit=True)


@rolls_back
def request_reopen(judge: Judge, sheet: Sheet, reason: str) -> ReopenRequest:
    """A judge asks to reopen their own submitted sheet; the ketua juri or panitia decides."""
    if sheet.judge_id != judge.id:
        raise ServiceError(403, _("Ini bukan lembar nilai Anda."))
    if not sheet.submitted:
        raise ServiceError(409, _("Lembar nilai ini belum dikirim final, jadi masih bisa diubah."))
    check_reopenable(sheet.contest)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(422, _("Tuliskan alasan membuka kembali lembar nilai."))
    if len(reason) > 1000:
        raise ServiceError(422, _("Alasan terlalu panjang (paling banyak 1000 karakter)."))
    if pending_request(sheet) is not None:
        raise ServiceError(409, _("Permintaan buka kembali untuk lembar ini sudah diajukan."))
    request = ReopenRequest(sheet_id=sheet.id, reason=reason, status="pending")
    db.session.add(request)
    db.session.flush()
    audit.record("sheet.reopen_request", "reopen_request", entity_id=request.id,
                 event_id=sheet.contest.event_id, contest_id=sheet.contest_id,
                 team_id=sheet.team_id, judge_id=sheet.judge_id,
                 new={"sheet": sheet.id, "reason": reason})
    commit_reopen(request, board_changed=False)
    return request


def check_reopenable(contest: Contest) -> None:
    """Sheets are reopened only while the contest is open: locked or published results stay put."""
    if contest.status != "open":
        raise ServiceError(409, _("Lomba %(contest)s sedang tidak dibuka, jadi lembar nilai tidak "
                                "dapat dibuka kembali. Panitia perlu membuka kunci lomba dahulu.",
                                contest=contest.name))


def pending_request(sheet: Sheet) -> ReopenRequest | None:
    """The undecided reopen request of a sheet, if any."""
    return db.session.scalar(db.select(ReopenRequest).filter_by(sheet_id=sheet.id,
                                                                status="pending"))


def pending_reopens(contest: Contest) -> list[ReopenRequest]:
    """Undecided reopen requests of a contest, oldest first (for the ketua juri and the panitia)."""
    return list(db.session.scalars(
        db.select(ReopenRequest).join(Sheet, ReopenRequest.sheet_id == Sheet.id)
        .where(Sheet.contest_id == contest.id, ReopenRequest.status == "pending")
        .order_by(ReopenRequest.requested_at)))


@rolls_back
def decide_reopen(request: ReopenRequest, approve: bool, reason: str,
                  decided_by: str) -> ReopenRequest:
    """Approve (the sheet becomes a draft again and leaves the standings) or refuse, with a reason."""
    if request.status != "pending":
        raise ServiceError(409, _("Permintaan ini sudah diputuskan."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(422, _("Tuliskan alasan keputusan."))
    sheet = request.sheet
    contest = sheet.contest
    check_reopenable(contest)
    now = utcnow()
    # Claim the request only while it is still pending: when the ketua juri and the panitia
    # decide at the same moment, the first decision wins and the other one is refused.
    claimed = db.session.execute(
        update(ReopenRequest).where(ReopenRequest.id == request.id,
                                    ReopenRequest.status == "pending")
        .values(status="approved" if approve else "refused", decided_by=decided_by,
                decision_reason=reason, decided_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise ServiceError(409, _("Permintaan ini sudah diputuskan."))
    db.session.refresh(request)
    db.session.refresh(sheet)
    old = sheet_snapshot(sheet)
    if approve:
        sheet.state = "draft"
        sheet.submitted_at = None
        sheet.version += 1
        sheet.updated_at = now
        mark_changed(contest)
    audit.record("sheet.reopen" if approve else "sheet.reopen_refused", "sheet", entity_id=sheet.id,
                 event_id=contest.event_id, contest_id=contest.id, team_id=sheet.team_id,
                 judge_id=sheet.judge_id, actor=decided_by,
                 old=old, new={**(sheet_snapshot(sheet) or {}), "request": request.id,
                               "reason": reason})
    commit_reopen(request, board_changed=approve)
    return request

