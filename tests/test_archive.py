"""The event archive: export -> import into an empty database -> export gives the same document."""
import copy
import json
from decimal import Decimal

import pytest

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.models import (AuditEntry, Contest, ContestTeam, Event, QuizEntry, QuizRound,
                               ReopenRequest, Sheet, Team, utcnow)
from scoreboard.services import audit
from scoreboard.services.archive import ArchiveError, export_event, import_event, validate_document
from scoreboard.services.results import fingerprint, results_for
from scoreboard.services.standings import standings_for
from tests.conftest import base_config, fresh_database_url
from tests.factories import gen_contest, gen_judge, gen_penalty, gen_sheet, gen_small_contest


def busy_event():
    """A rubric contest with scores, a draft, a penalty, a reopen request; a quiz with entries; audit."""
    event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    contest.tie_break = [contest.criteria[1].id]
    contest.display_state = "frozen"
    contest.frozen_board = {"version": 3, "rows": [{"team": "Tim Awayan", "score": "25.00"}]}
    contest.now_performing = teams[2]
    gen_judge(event, "Ketua Juri Uji", [contest], role="head", home="Juai")
    gen_sheet(contest, judge_a, teams[0], [8, 9])
    gen_sheet(contest, judge_b, teams[0], [7, 8.5])
    gen_sheet(contest, judge_a, teams[1], [7, 7.5])
    sheet = gen_sheet(contest, judge_b, teams[1], [9, 8])
    sheet.version = 3
    db.session.add(ReopenRequest(sheet=sheet, reason="Salah ketik", status="approved",
                                 decided_by="panitia: admin", decision_reason="Wajar",
                                 decided_at=utcnow()))
    gen_sheet(contest, judge_a, teams[2], [9, 6.5], submitted=False)
    gen_penalty(contest, teams[1], "1.5")
    quiz = gen_contest(event, name="Cerdas Cermat", kind="quiz", teams=teams[:2])
    quiz.rounds.append(QuizRound(name="Babak rebutan", position=1, buttons=["+100", "-100"]))
    db.session.flush()
    for points, undone in (("100", False), ("-25", False), ("50", True)):
        db.session.add(QuizEntry(contest_id=quiz.id, team=teams[0], round=quiz.rounds[0],
                                 points=Decimal(points), entered_by="pencatat: Rina", undone=undone))
    audit.record("submit", "sheet", entity_id=sheet.id, event_id=event.id, contest_id=contest.id,
                 team_id=teams[1].id, judge_id=judge_b.id, old={"state": "draft"},
                 new={"state": "submitted", "scores": ["9", "8"]}, actor="juri: Juri B")
    db.session.commit()
    return event


@pytest.fixture
def other_app(migrated_database, tmp_path):
    """A second app on its own empty database (call it after exporting from the first)."""
    def make():
        folder = tmp_path / "other"
        folder.mkdir()
        return create_app(base_config(fresh_database_url(migrated_database, folder), folder))
    return make


def test_round_trip_gives_the_same_document_standings_and_fingerprints(app, other_app):
    event = busy_event()
    document = json.loads(json.dumps(export_event(event)))
    validate_document(document)
    assert "code_digest" not in json.dumps(document)
    standings = {c.name: [r.as_public() for r in standings_for(c)] for c in event.contests}
    prints = {c.name: fingerprint(results_for(c)) for c in event.contests}
    db.session.remove()

    second = other_app()
    with second.app_context():
        assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
        imported = import_event(copy.deepcopy(document))
        again = json.loads(json.dumps(export_event(imported)))
        assert again == document
        assert {c.name: [r.as_public() for r in standings_for(c)] for c in imported.contests} == standings
        assert {c.name: fingerprint(results_for(c)) for c in imported.contests} == prints
        yel = db.session.scalar(db.select(Contest).filter_by(name="Lomba Yel-Yel"))
        assert yel.display_state == "frozen" and yel.now_performing.name == "Tim Halong"
        assert all(judge.code_digest is None for judge in imported.judges)
        db.session.remove()
        db.engine.dispose()


def counts():
    return [db.session.scalar(db.select(db.func.count(model.id)))
            for model in (Event, Team, Contest, Sheet, AuditEntry)]


@pytest.mark.parametrize("break_it, place", [
    (lambda d: d["contests"][1]["sheets"][0]["scores"].update(Kekompakan="tujuh"),
     "dokumen.contests[1].sheets[0].scores.Kekompakan"),
    (lambda d: d["contests"][1]["sheets"][1].update(team="Tim Hantu"),
     "dokumen.contests[1].sheets[1].team"),
    (lambda d: d["judges"][0]["assignments"][0].update(contest="Lomba Hantu"),
     "dokumen.judges[0].assignments[0].contest"),
    (lambda d: d["contests"][1]["sheets"][2]["scores"].update(Kreativitas="11"),
     "dokumen.contests[1].sheets[2].scores.Kreativitas"),
    (lambda d: d["teams"].append(dict(d["teams"][0])), "dokumen.teams[3]"),
    (lambda d: d.pop("audit"), "dokumen"),
])
def test_broken_archive_is_refused_naming_the_place_and_writes_nothing(app, break_it, place):
    event = busy_event()
    document = json.loads(json.dumps(export_event(event)))
    document["event"]["name"] = "Arsip rusak"
    break_it(document)
    before = counts()
    with pytest.raises(ArchiveError) as refused:
        import_event(document)
    assert refused.value.place == place
    assert counts() == before
    assert db.session.scalar(db.select(Event).filter_by(name="Arsip rusak")) is None


def test_import_refuses_an_event_that_exists(app):
    document = json.loads(json.dumps(export_event(busy_event())))
    with pytest.raises(ArchiveError, match="sudah ada"):
        import_event(document)


def test_cli_export_then_import_into_empty_database(app, runner, other_app, tmp_path):
    busy_event()
    target = tmp_path / "acara.json"
    outcome = runner.invoke(args=["export-event", str(target)])
    assert outcome.exit_code == 0, outcome.output
    broken = tmp_path / "rusak.json"
    broken.write_text("{ bukan json", encoding="utf-8")
    refused = runner.invoke(args=["import-event", str(broken)])
    assert refused.exit_code != 0 and "tidak ada yang ditulis" in refused.output
    db.session.remove()
    second = other_app()
    with second.app_context():
        loaded = second.test_cli_runner().invoke(args=["import-event", str(target)])
        assert loaded.exit_code == 0, loaded.output
        assert db.session.scalar(db.select(db.func.count(Team.id))) == 3
        assert db.session.scalar(db.select(db.func.count(ContestTeam.id))) == 5
        db.session.remove()
        db.engine.dispose()


def test_results_files_are_the_same_after_import(app, other_app):
    """Ids differ in the new database: tied teams and judges' sheets must not be ordered by id."""
    from scoreboard.services.result_files import build_file
    from tests.factories import gen_event, gen_team
    event = gen_event()
    teams = [gen_team(event, name, region) for name, region in
             (("Tim Zamrud", "Awayan"), ("Tim Anggrek", "Batumandi"), ("Tim Melati", "Halong"))]
    contest = gen_contest(event, teams=teams)
    zul, _ = gen_judge(event, "Zulkifli", [contest])
    ani, _ = gen_judge(event, "Ani", [contest])
    for judge in (zul, ani):
        gen_sheet(contest, judge, teams[0], [8])
        gen_sheet(contest, judge, teams[1], [8])
        gen_sheet(contest, judge, teams[2], [6])

    def files(contest):
        document = json.loads(build_file(contest, "json")[0])
        del document["contest"]["id"]
        return build_file(contest, "csv")[0], document

    before = files(contest)
    document = json.loads(json.dumps(export_event(event)))
    db.session.remove()
    second = other_app()
    with second.app_context():
        imported = import_event(document)
        assert files(imported.contests[0]) == before
        db.session.remove()
        db.engine.dispose()


def timed_event(monkeypatch):
    """A yel-yel with time limits, a timekeeper, three timed performances and every kind of
    proposal decision (confirmed, dismissed, still proposed)."""
    from scoreboard.services import contest_setup, stage_timer
    event, contest, teams, _a, _b = gen_small_contest()
    contest_setup.set_time_limits(contest, minimum="3:00", maximum="5:00", step="30",
                                  points="1.5", cap="4")
    keeper, _code = gen_judge(event, "Pencatat Waktu", [contest], role="timekeeper")
    gen_judge(event, "Pembawa Acara", [contest], role="mc")
    now = [1_772_000_000_000]
    monkeypatch.setattr(stage_timer, "server_now_ms", lambda: now[0])
    for team, seconds, pause in zip(teams, (342, 150, 250), (0, 20, 0)):
        stage_timer.tap(contest, team, "start", f"start-{team.id}-tap", 0, keeper)
        if pause:
            now[0] += 60_000
            stage_timer.tap(contest, team, "pause", f"pause-{team.id}-tap", 0, keeper)
            now[0] += pause * 1000
            stage_timer.tap(contest, team, "resume", f"resum-{team.id}-tap", 0, keeper)
            now[0] += (seconds - 60) * 1000 + 250
        else:
            now[0] += seconds * 1000 + 250
        stage_timer.tap(contest, team, "stop", f"stop-{team.id}-taps", 0, keeper)
        now[0] += 60_000
    gen_penalty(contest, teams[2], "1")   # an ordinary penalty before the confirmed one
    over, under = stage_timer.proposals_for(contest)
    stage_timer.confirm_proposal(contest, over, "panitia: admin")
    stage_timer.dismiss_proposal(contest, under, "Mikrofon mati", "ketua juri: Juri A")
    # Awayan performs again: the reset keeps the confirmed proposal, the new stop proposes anew.
    stage_timer.tap(contest, teams[0], "reset", "reset-once-tap", 0, keeper)
    stage_timer.tap(contest, teams[0], "start", "start-again-tap", 0, keeper)
    now[0] += 400_000
    stage_timer.tap(contest, teams[0], "stop", "stop-again-taps", 0, keeper)
    return event


def test_time_limits_durations_and_proposals_survive_the_round_trip(app, other_app, monkeypatch):
    from scoreboard.services.results import fingerprint, results_for
    from scoreboard.stage_models import ProposedPenalty
    event = timed_event(monkeypatch)
    document = json.loads(json.dumps(export_event(event)))
    validate_document(document)
    yel = document["contests"][0]
    assert yel["time_limit"] == {"min_seconds": 180, "max_seconds": 300, "step_seconds": 30,
                                 "points_per_step": "1.5", "cap": "4"}
    timers = {e["team"]: e["timer"] for e in yel["entries"]}
    assert timers["Tim Batumandi"]["duration_ms"] == 150_250
    assert timers["Tim Batumandi"]["paused_total_ms"] == 20_000
    assert timers["Tim Awayan"]["duration_ms"] == 400_000
    statuses = [(p["team"], p["status"], p["points"], p["penalty"]) for p in yel["proposed_penalties"]]
    assert statuses == [("Tim Awayan", "confirmed", "3", 1), ("Tim Batumandi", "dismissed", "1.5", None),
                        ("Tim Awayan", "proposed", "4", None)]
    assert yel["penalties"][1]["reason"].startswith("Melebihi batas waktu (5 menit 42 detik")
    roles = sorted(a["role"] for j in document["judges"] for a in j["assignments"])
    assert "mc" in roles and "timekeeper" in roles
    prints = fingerprint(results_for(event.contests[0]))
    db.session.remove()

    second = other_app()
    with second.app_context():
        imported = import_event(copy.deepcopy(document))
        assert json.loads(json.dumps(export_event(imported))) == document
        contest = imported.contests[0]
        assert fingerprint(results_for(contest)) == prints   # the recap's durations too
        confirmed = db.session.scalar(db.select(ProposedPenalty).filter_by(status="confirmed"))
        assert confirmed.penalty.reason == yel["penalties"][1]["reason"]
        db.session.remove()
        db.engine.dispose()


def test_an_archive_from_before_the_stage_timer_still_loads(app, other_app):
    document = json.loads(json.dumps(export_event(busy_event())))
    for contest in document["contests"]:
        del contest["time_limit"], contest["proposed_penalties"]
        for entry in contest["entries"]:
            del entry["timer"]
    db.session.remove()
    second = other_app()
    with second.app_context():
        imported = import_event(document)
        assert all(c.time_limit is None for c in imported.contests)
        db.session.remove()
        db.engine.dispose()


def test_a_proposal_naming_a_penalty_that_is_not_there_is_refused(app, other_app, monkeypatch):
    document = json.loads(json.dumps(export_event(timed_event(monkeypatch))))
    document["contests"][0]["proposed_penalties"][0]["penalty"] = 7
    db.session.remove()
    second = other_app()
    with second.app_context():
        with pytest.raises(ArchiveError) as refused:
            import_event(document)
        assert refused.value.place == "dokumen.contests[0].proposed_penalties[0].penalty"
        db.session.remove()
        db.engine.dispose()
