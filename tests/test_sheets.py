"""services/sheets.py: saves, idempotency, submit, lock, reopen, and every refusal changing nothing."""
from decimal import Decimal

import pytest

from scoreboard import realtime
from scoreboard.extensions import db
from scoreboard.models import AuditEntry, ReopenRequest, SaveReceipt, Score, Sheet
from scoreboard.services import idempotency, publish, sheets
from scoreboard.services.errors import ServiceError
from scoreboard.services.sheets import (decide_reopen, request_reopen, save_sheet,
                                        submit_sheet)
from scoreboard.services.standings import standings_for
from tests.factories import gen_contest, gen_judge, gen_small_contest, gen_team


def database_state(contest) -> tuple:
    """Everything a refused write must leave untouched."""
    db.session.expire_all()
    scores = sorted((s.judge_id, s.team_id, s.criterion_id, s.value)
                    for s in db.session.scalars(db.select(Score)))
    sheet_rows = sorted((s.id, s.state, s.version) for s in db.session.scalars(db.select(Sheet)))
    counts = tuple(db.session.query(model).count()
                   for model in (SaveReceipt, AuditEntry, ReopenRequest))
    return scores, sheet_rows, counts, contest.version


@pytest.fixture
def small(app):
    """Three teams, criteria Kekompakan (w1) and Kreativitas (w2), both 1–10 step 0.5; two judges."""
    return gen_small_contest()


@pytest.fixture
def published(monkeypatch):
    """Record the contests whose standings were published."""
    calls = []
    monkeypatch.setattr(publish, "schedule_push", lambda contest, **_: calls.append(contest.id))
    return calls


def values(contest, *numbers):
    """Form-style values keyed by criterion id, in criterion order."""
    return {criterion.id: number for criterion, number in zip(contest.criteria, numbers)}


def test_draft_save_stores_scores_without_touching_the_board(small, published):
    _event, contest, teams, (judge, _code), _b = small
    version = contest.version
    result = save_sheet(judge, contest, teams[0], values(contest, "7,5", "8"), "save-0001")
    assert not result.repeat
    sheet = result.sheet
    assert sheet.state == "draft" and sheet.version == 1
    assert sorted(s.value for s in sheet.scores) == [Decimal("7.5"), Decimal("8")]
    assert contest.version == version
    assert published == []
    assert standings_for(contest)[0].score == 0  # drafts count for nothing
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="sheet.save"))
    assert entry.old_value is None
    assert entry.new_value["scores"] == {"Kekompakan": "7.50", "Kreativitas": "8.00"}


def test_a_draft_save_refreshes_the_judging_matrix_but_not_the_board(small, published,
                                                                    monkeypatch):
    _event, contest, teams, (judge, _code), _b = small
    progress = []
    monkeypatch.setattr(realtime, "emit_progress", lambda contest: progress.append(contest.id))
    version = contest.version
    save_sheet(judge, contest, teams[0], values(contest, "7", ""), "matrix-0001")
    assert progress == [contest.id]
    save_sheet(judge, contest, teams[0], values(contest, "7", ""), "matrix-0001")  # a repeat
    assert progress == [contest.id]
    with pytest.raises(ServiceError):
        save_sheet(judge, contest, teams[0], values(contest, "11", ""), "matrix-0002")
    assert progress == [contest.id]
    assert published == [] and contest.version == version


def test_a_failing_push_does_not_undo_an_acknowledged_draft(small, monkeypatch):
    _event, contest, teams, (judge, _code), _b = small

    def broken(*_args, **_kwargs):
        raise ConnectionError("message queue down")

    monkeypatch.setattr(realtime.socketio, "emit", broken)
    result = save_sheet(judge, contest, teams[0], values(contest, "7", "8"), "broken-0001")
    db.session.expire_all()
    assert db.session.get(Sheet, result.sheet.id).version == 1


def test_the_same_save_id_twice_is_stored_once(small):
    _event, contest, teams, (judge, _code), _b = small
    first = save_sheet(judge, contest, teams[0], values(contest, "7", "8"), "same-id-01")
    again = save_sheet(judge, contest, teams[0], values(contest, "7", "8"), "same-id-01")
    assert again.repeat and again.sheet.id == first.sheet.id
    assert again.saved_at == first.saved_at or again.saved_at.replace(tzinfo=None) == \
        first.saved_at.replace(tzinfo=None)
    assert first.sheet.version == 1
    assert db.session.query(SaveReceipt).count() == 1
    assert db.session.query(AuditEntry).filter_by(action="sheet.save").count() == 1


def test_a_save_id_racing_itself_is_answered_as_a_repeat(small, monkeypatch):
    """Two requests with one id pass the repeat check together; the unique constraint decides."""
    _event, contest, teams, (judge, _code), _b = small
    save_sheet(judge, contest, teams[0], values(contest, "7", "8"), "racing-id-1")
    original = idempotency.saved_receipt
    calls = []

    def blind_first_look(*args):
        calls.append(args)
        return None if len(calls) == 1 else original(*args)

    monkeypatch.setattr(idempotency, "saved_receipt", blind_first_look)
    result = save_sheet(judge, contest, teams[0], values(contest, "9", "9"), "racing-id-1")
    assert result.repeat
    db.session.expire_all()
    assert sorted(s.value for s in db.session.scalars(db.select(Score))) == [7, 8]
    assert db.session.query(SaveReceipt).count() == 1


def test_submit_locks_the_sheet_and_updates_the_standings(small, published):
    _event, contest, teams, (judge, _code), _b = small
    version = contest.version
    save_sheet(judge, contest, teams[1], values(contest, "7", ""), "draft-0001")
    result = submit_sheet(judge, contest, teams[1], values(contest, "7", "8,5"), "submit-001")
    assert (result.state, result.version) == ("submitted", 2)  # what the tablet is answered
    db.session.expire_all()
    assert result.sheet.state == "submitted" and result.sheet.submitted_at is not None
    assert result.sheet.version == 2
    assert contest.version == version + 1
    assert published == [contest.id]
    top = standings_for(contest)[0]
    assert top.team.id == teams[1].id and top.score == Decimal("24")  # 7 + 2 × 8.5
    submit = db.session.scalar(db.select(AuditEntry).filter_by(action="sheet.submit"))
    assert submit.old_value["scores"] == {"Kekompakan": "7.00"}
    assert submit.new_value["state"] == "submitted"


def test_a_first_submit_inserts_the_sheet_once_and_answers_without_reading_it_again(
        small, published):
    """A new sheet goes in with its final state and scores: no update after its insert, no look
    for scores it cannot have yet, and the answer's state and version need no second read."""
    import re
    from sqlalchemy import event as sa_event
    _event, contest, teams, (judge, _code), _b = small
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    flushes = []

    def count_flush(*_args):
        flushes.append(len(statements))

    session = db.session()
    sa_event.listen(db.engine, "before_cursor_execute", record)
    sa_event.listen(session, "after_flush", count_flush)
    try:
        result = submit_sheet(judge, contest, teams[0], values(contest, "7", "8"), "first-0001")
        answer = (result.state, result.version)
        after_commit = len(statements)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
        sa_event.remove(session, "after_flush", count_flush)
    assert answer == ("submitted", 1)
    # Two flushes, each a millisecond and more of the ORM's work: the sheet with its scores,
    # then the commit's (receipt, the contest's version, the audit entry).
    assert len(flushes) == 2
    written = [s for s in statements if re.match(r"\s*(INSERT INTO|UPDATE) sheet\b", s)]
    assert len(written) == 1 and written[0].lstrip().startswith("INSERT")
    assert not [s for s in statements if re.search(r"\bFROM score\b", s)]
    assert after_commit == len(statements)
    # The sheet's row before the contest's, as when a saved sheet is claimed: two tablets of
    # one judge never hold one row each while waiting for the other's (on PostgreSQL, a deadlock).
    first = {kind: next(i for i, s in enumerate(statements) if s.lstrip().startswith(kind))
             for kind in ("INSERT INTO sheet", "UPDATE contest")}
    assert first["INSERT INTO sheet"] < first["UPDATE contest"]
    db.session.expire_all()
    stored = db.session.get(Sheet, result.sheet.id)
    assert (stored.state, stored.version) == ("submitted", 1) and stored.submitted_at is not None
    assert sorted(s.value for s in stored.scores) == [Decimal("7"), Decimal("8")]
    assert published == [contest.id]


def test_a_locked_sheet_refuses_saves_and_submits(small):
    _event, contest, teams, (judge, _code), _b = small
    submit_sheet(judge, contest, teams[0], values(contest, "7", "8"), "submit-002")
    before = database_state(contest)
    for write in (save_sheet, submit_sheet):
        with pytest.raises(ServiceError) as refused:
            write(judge, contest, teams[0], values(contest, "1", "1"), f"late-{write.__name__}")
        assert refused.value.status == 409
        assert "terkunci" in refused.value.message
    assert database_state(contest) == before


@pytest.mark.parametrize("numbers, status, message", [
    (("11", "5"), 422, "Nilai harus antara 1 dan 10."),
    (("0,5", "5"), 422, "Nilai harus antara 1 dan 10."),
    (("7,25", "5"), 422, "Nilai harus kelipatan 0,5 dari 1."),
    (("tujuh", "5"), 422, "Nilai harus berupa angka."),
    (("1e1", "5"), 422, "Nilai harus berupa angka."),
    (("NaN", "5"), 422, "Nilai harus berupa angka."),
])
def test_invalid_values_are_refused_beside_their_field(small, numbers, status, message):
    _event, contest, teams, (judge, _code), _b = small
    save_sheet(judge, contest, teams[0], values(contest, "5", "5"), "earlier-01")
    before = database_state(contest)
    with pytest.raises(ServiceError) as refused:
        save_sheet(judge, contest, teams[0], values(contest, *numbers), "invalid-01")
    assert refused.value.status == status
    assert refused.value.errors == {contest.criteria[0].id: message}
    assert database_state(contest) == before


def test_submit_needs_every_criterion(small, published):
    _event, contest, teams, (judge, _code), _b = small
    before = database_state(contest)
    with pytest.raises(ServiceError) as refused:
        submit_sheet(judge, contest, teams[0], values(contest, "7", ""), "incomplete")
    assert refused.value.status == 422
    assert refused.value.errors == {contest.criteria[1].id: "Wajib diisi sebelum dikirim final."}
    assert database_state(contest) == before and published == []


def test_refusals_for_who_and_when(small):
    event, contest, teams, (judge, _code), _b = small
    other = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
    closed = gen_contest(event, name="Lomba Penyuluhan KB", status="closed", teams=teams)
    stranger_team = gen_team(event, "Tim Juai", "Juai")
    neighbour, _ = gen_judge(event, "Juri Halong", [contest, closed], home="Halong")
    cases = [
        (judge, contest, teams[0], {other.criteria[0].id: "5"}, 422, "Kriteria"),
        (judge, other, teams[0], {other.criteria[0].id: "5"}, 403, "tidak ditugaskan"),
        (judge, contest, stranger_team, values(contest, "5", "5"), 404, "tidak terdaftar"),
        (neighbour, contest, teams[2], values(contest, "5", "5"), 403, "kecamatan Anda sendiri"),
        (neighbour, closed, teams[0], values(closed, "5"), 409, "tidak dibuka"),
        (judge, contest, teams[0], values(contest, "5", "5"), 422, "ID"),
    ]
    before = database_state(contest)
    for index, (who, where, team, data, status, words) in enumerate(cases):
        client_id = "" if words == "ID" else f"refused-{index:03d}"
        with pytest.raises(ServiceError) as refused:
            save_sheet(who, where, team, data, client_id)
        assert (refused.value.status, words in refused.value.message) == (status, True), index
    assert database_state(contest) == before


def test_reopen_request_rules(small):
    _event, contest, teams, (judge, _code), (other, _code_b) = small
    draft = save_sheet(judge, contest, teams[0], values(contest, "5", "5"), "draft-0100").sheet
    sheet = submit_sheet(judge, contest, teams[1], values(contest, "5", "5"), "subm-0100").sheet
    before = database_state(contest)
    for who, target, reason, status in [(other, sheet, "salah ketik", 403),
                                        (judge, draft, "salah ketik", 409),
                                        (judge, sheet, "   ", 422)]:
        with pytest.raises(ServiceError) as refused:
            request_reopen(who, target, reason)
        assert refused.value.status == status
    assert database_state(contest) == before
    reopen = request_reopen(judge, sheet, "Salah ketik pada kriteria kedua")
    assert reopen.status == "pending"
    with pytest.raises(ServiceError) as twice:
        request_reopen(judge, sheet, "lagi")
    assert twice.value.status == 409
    assert db.session.query(ReopenRequest).count() == 1


def test_approved_reopen_takes_the_sheet_out_of_the_standings(small, published):
    _event, contest, teams, (judge, _code), _b = small
    sheet = submit_sheet(judge, contest, teams[0], values(contest, "9", "9"), "subm-0200").sheet
    assert standings_for(contest)[0].score == 27
    version = contest.version
    reopen = request_reopen(judge, sheet, "Salah tim")
    with pytest.raises(ServiceError) as no_reason:
        decide_reopen(reopen, True, "", "ketua juri: Juri B")
    assert no_reason.value.status == 422
    decide_reopen(reopen, True, "Disetujui, salah tim", "ketua juri: Juri B")
    db.session.expire_all()
    assert sheet.state == "draft" and sheet.version == 2
    assert contest.version == version + 1
    assert published[-1] == contest.id
    assert standings_for(contest)[0].score == 0
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="sheet.reopen"))
    assert entry.actor == "ketua juri: Juri B"
    assert entry.old_value["state"] == "submitted" and entry.old_value["scores"]
    # Reopened, the sheet takes saves again; the new version is audited too.
    save_sheet(judge, contest, teams[0], values(contest, "8", "9"), "after-reopen")
    assert db.session.query(AuditEntry).filter(AuditEntry.action.like("sheet.%")).count() == 4
    with pytest.raises(ServiceError) as decided:
        decide_reopen(reopen, False, "berubah pikiran", "panitia: admin")
    assert decided.value.status == 409


def test_refused_reopen_keeps_the_sheet_locked(small, published):
    _event, contest, teams, (judge, _code), _b = small
    sheet = submit_sheet(judge, contest, teams[0], values(contest, "9", "9"), "subm-0300").sheet
    version = contest.version
    reopen = request_reopen(judge, sheet, "Salah tim")
    decide_reopen(reopen, False, "Nilai sudah sesuai", "panitia: admin")
    db.session.expire_all()
    assert reopen.status == "refused" and sheet.state == "submitted"
    assert contest.version == version


@pytest.mark.parametrize("status", ["closed", "published"])
def test_no_reopen_while_the_contest_is_locked_or_published(small, published, status):
    """Locked or published results stay put: neither asking nor deciding reopens a sheet."""
    _event, contest, teams, (judge, _code), _b = small
    sheet = submit_sheet(judge, contest, teams[0], values(contest, "9", "9"), "subm-0400").sheet
    other = submit_sheet(judge, contest, teams[1], values(contest, "8", "8"), "subm-0401").sheet
    reopen = request_reopen(judge, sheet, "Salah tim")
    contest.status = status
    db.session.commit()
    before = database_state(contest)
    with pytest.raises(ServiceError) as asked:
        request_reopen(judge, other, "Salah ketik")
    assert asked.value.status == 409 and "sedang tidak dibuka" in asked.value.message
    for approve in (True, False):
        with pytest.raises(ServiceError) as decided:
            decide_reopen(reopen, approve, "Disetujui", "panitia: admin")
        assert decided.value.status == 409 and "membuka kunci lomba" in decided.value.message
    db.session.rollback()
    assert database_state(contest) == before
    assert reopen.status == "pending" and sheet.state == "submitted"
    assert standings_for(contest)[0].score == 27


def test_two_reopen_decisions_at_once_only_the_first_counts(app, small, published):
    """The panitia refuses while the ketua juri, on a page loaded before, approves: the approval is a 409."""
    _event, contest, teams, (judge, _code), _b = small
    sheet = submit_sheet(judge, contest, teams[0], values(contest, "9", "9"), "subm-0500").sheet
    reopen = request_reopen(judge, sheet, "Salah tim")
    assert reopen.status == "pending" and sheet.state == "submitted"  # loaded: now stale
    with app.app_context():  # another request, with its own database session, decides first
        refused = decide_reopen(db.session.get(ReopenRequest, reopen.id), False,
                                "Nilai sudah sesuai", "panitia: admin")
        assert refused.status == "refused"
    assert reopen.status == "pending"  # this session has not seen the decision yet
    with pytest.raises(ServiceError) as late:
        decide_reopen(reopen, True, "Disetujui", "ketua juri: Juri B")
    assert late.value.status == 409 and "sudah diputuskan" in late.value.message
    db.session.expire_all()
    assert reopen.status == "refused" and reopen.decided_by == "panitia: admin"
    assert sheet.state == "submitted" and standings_for(contest)[0].score == 27
    assert [e.action for e in db.session.scalars(
        db.select(AuditEntry).filter(AuditEntry.action.like("sheet.reopen%")))] == [
        "sheet.reopen_request", "sheet.reopen_refused"]
    assert published == [contest.id]  # the submit only; the lost approval published nothing


def test_a_save_id_used_for_another_team_is_refused_not_acknowledged(small, published):
    """Reusing a save id on another team's sheet (or another contest) is a 409 that stores nothing."""
    event, contest, teams, (judge, _code), _b = small
    save_sheet(judge, contest, teams[0], values(contest, "7", "7"), "reused-0001")
    other_contest = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
    judge_in_both, _code_c = gen_judge(event, "Juri C", [contest, other_contest])
    save_sheet(judge_in_both, contest, teams[0], values(contest, "6", "6"), "reused-0002")
    before = database_state(contest)
    for who, where, team, client_id in [(judge, contest, teams[1], "reused-0001"),
                                        (judge_in_both, other_contest, teams[0], "reused-0002")]:
        for write in (save_sheet, submit_sheet):
            with pytest.raises(ServiceError) as refused:
                write(who, where, team, values(where, "9", "9"), client_id)
            assert refused.value.status == 409 and "lembar lain" in refused.value.message
    assert database_state(contest) == before
    assert sheets.sheet_for(judge, contest, teams[1]) is None
    # The same id again for the same sheet is still the harmless repeat it always was.
    assert save_sheet(judge, contest, teams[0], values(contest, "7", "7"), "reused-0001").repeat
