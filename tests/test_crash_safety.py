"""rules §7 under fire: judges and scorekeepers keep saving while the event-day server is
SIGKILLed again and again; every acknowledged save is stored exactly once, and the standings
equal a recomputation from the stored scores (issue 13, item 11)."""
import os
import random
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pytest
import requests

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.models import AuditEntry, QuizEntry, SaveReceipt, Score, Sheet
from scoreboard.services import access
from tests.conftest import base_config, fresh_database_url
from tests.e2e.conftest import free_port
from tests.event_day import EventDayServer
from tests.factories import gen_contest, gen_event, gen_judge, gen_quiz_contest, gen_team

KILLS = int(os.environ.get("CRASH_KILLS", "20"))
JUDGES, TEAMS, KEEPERS = 4, 8, 2
# No save may need longer than this to be acknowledged, however often the server dies.
PATIENCE = 300

pytestmark = pytest.mark.reliability


@dataclass
class Ledger:
    """What the tablets were told: every acknowledged save, in the order each tablet sent them."""

    sheets: dict = field(default_factory=lambda: defaultdict(list))  # (judge, team) -> [saves]
    taps: list = field(default_factory=list)  # (keeper, client id, team, points)
    repeats: int = 0
    acknowledged: Counter = field(default_factory=Counter)  # per tablet
    saving: set = field(default_factory=set)  # tablets that still have saves to make
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Tablet:
    """One judge's or scorekeeper's tablet: each save carries its own id and is sent again, with
    the same id, until the server acknowledges it (what static/js/outbox.js does)."""

    def __init__(self, server: EventDayServer, ledger: "Ledger", code: str, page: str,
                 ready: threading.Semaphore):
        self.server, self.ledger, self.name = server, ledger, code
        ledger.saving.add(code)
        self.http = requests.Session()
        self.http.get(self.server(f"/judge/login/{access.normalize_code(code)}"), timeout=10)
        html = self.http.get(self.server(page), timeout=10).text
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
        ready.release()

    def save(self, path: str, form: dict) -> dict:
        """POST until acknowledged; a refusal (any HTTP answer but 200) fails the test."""
        deadline, last = time.monotonic() + PATIENCE, None
        while time.monotonic() < deadline:
            try:
                answer = self.http.post(self.server(path), data=form, timeout=60, headers={
                    "Accept": "application/json", "X-CSRFToken": self.token})
            except requests.RequestException as exc:
                last = exc
                time.sleep(random.uniform(0.02, 0.1))  # the server is down: retry, as the outbox does
                continue
            if answer.status_code != 200:
                raise AssertionError(f"{path} answered {answer.status_code}: {answer.text[:300]}")
            with self.ledger.lock:
                self.ledger.acknowledged[self.name] += 1
            return answer.json()
        raise AssertionError(f"{path} was not acknowledged within {PATIENCE} s (last: {last!r})")


def judge_loop(server, ledger, ready, code, judge_id, contest_id, team_ids, criterion_ids, seed):
    """Score every team: one to three drafts, then the final submit, each retried until acknowledged."""
    rng = random.Random(seed)
    try:
        first_sheet = f"/judge/contests/{contest_id}/teams/{team_ids[0]}"
        tablet = Tablet(server, ledger, code, first_sheet, ready)
        for team_id in rng.sample(team_ids, len(team_ids)):
            drafts = rng.randint(1, 3)
            for n in range(drafts + 1):
                values = {cid: str(Decimal(rng.randint(2, 20)) / 2) for cid in criterion_ids}
                client_id = uuid.uuid4().hex
                form = {f"score-{cid}": value for cid, value in values.items()}
                form.update(client_id=client_id, intent="submit" if n == drafts else "save")
                answer = tablet.save(f"/judge/contests/{contest_id}/teams/{team_id}", form)
                with ledger.lock:
                    ledger.sheets[judge_id, team_id].append((client_id, values, n == drafts))
                    ledger.repeats += answer["repeat"]
    except BaseException as exc:  # noqa: BLE001 - reported by the main thread
        ledger.errors.append(f"judge {judge_id}: {exc!r}")
    finally:
        ledger.saving.discard(code)


def keeper_loop(server, ledger, ready, code, keeper_id, quiz_id, team_ids, round_id, stop, seed):
    """Tap points until told to stop (and at least 60 times), each retried until acknowledged."""
    rng = random.Random(seed)
    try:
        tablet = Tablet(server, ledger, code, f"/quiz/{quiz_id}", ready)
        count = 0
        while not stop.is_set() or count < 60:
            team_id, points = rng.choice(team_ids), rng.choice(("+100", "-100"))
            client_id = uuid.uuid4().hex
            tablet.save(f"/quiz/{quiz_id}/tap", {"team": team_id, "points": points,
                                                 "question": count % 40 + 1, "round": round_id,
                                                 "client_id": client_id})
            with ledger.lock:
                ledger.taps.append((keeper_id, client_id, team_id, Decimal(points)))
            count += 1
    except BaseException as exc:  # noqa: BLE001 - reported by the main thread
        ledger.errors.append(f"keeper {keeper_id}: {exc!r}")
    finally:
        ledger.saving.discard(code)


def database_activity(app) -> list:
    """What PostgreSQL's sessions are doing (who holds or waits for a lock), for a failure message."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return []
        rows = db.session.execute(db.text(
            "SELECT pid, state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all()
        db.session.remove()
        return [tuple(row) for row in rows]


def two_places(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_every_acknowledged_save_survives_repeated_sigkills(migrated_database, tmp_path):
    database_url = fresh_database_url(migrated_database, tmp_path)
    app = create_app(base_config(database_url, tmp_path))
    with app.app_context():
        event = gen_event()
        teams = [gen_team(event, f"Tim {n}", "Awayan") for n in range(1, TEAMS + 1)]
        contest = gen_contest(event, teams=teams, criteria=(("Kekompakan", "1", "1", "10", "0.5"),
                                                            ("Kreativitas", "2", "1", "10", "0.5")))
        judges = [gen_judge(event, f"Juri {n}", [contest]) for n in range(1, JUDGES + 1)]
        quiz, _teams, first_keeper = gen_quiz_contest(event, teams=teams[:4])
        keepers = [first_keeper] + [gen_judge(event, f"Pencatat {n}", [quiz], role="scorekeeper")
                                    for n in range(2, KEEPERS + 1)]
        ids = {"contest": contest.id, "teams": [t.id for t in teams],
               "criteria": [c.id for c in contest.criteria],
               "weights": {c.id: c.weight for c in contest.criteria}, "quiz": quiz.id,
               "quiz_teams": [t.id for t in teams[:4]], "round": quiz.rounds[2].id,
               "names": {t.id: t.name for t in teams}}
        judges = [(judge.id, code) for judge, code in judges]
        keepers = [(keeper.id, code) for keeper, code in keepers]
        db.session.remove()  # no transaction of this process stays open beside the server's
        db.engine.dispose()

    server = EventDayServer(database_url, free_port(), tmp_path)
    ledger, stop, ready = Ledger(), threading.Event(), threading.Semaphore(0)
    threads = [threading.Thread(target=judge_loop, args=(
        server, ledger, ready, code, judge_id, ids["contest"], ids["teams"], ids["criteria"], judge_id))
        for judge_id, code in judges]
    threads += [threading.Thread(target=keeper_loop, args=(
        server, ledger, ready, code, keeper_id, ids["quiz"], ids["quiz_teams"], ids["round"], stop,
        keeper_id)) for keeper_id, code in keepers]
    rng = random.Random()
    server.start()
    try:
        for thread in threads:
            thread.start()
        # The tablets log in first; every kill then falls among their saves.
        for _thread in threads:
            assert ready.acquire(timeout=60), ledger.errors
        for _kill in range(KILLS):
            # Every tablet still saving got one save through since the restart (so a slow save is
            # never starved by the kills), then the power cut at a random moment among the saves
            # in flight.
            seen, deadline = Counter(ledger.acknowledged), time.monotonic() + PATIENCE
            while (any(ledger.acknowledged[t] == seen[t] for t in list(ledger.saving))
                   and time.monotonic() < deadline and not ledger.errors):
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.5))
            server.kill()
            server.start()
        stop.set()
        for thread in threads:
            thread.join(timeout=PATIENCE + 30)
        assert not ledger.errors, (ledger.errors, database_activity(app), server.log())
        assert not any(thread.is_alive() for thread in threads)

        rubric = requests.get(server(f"/api/contests/{ids['contest']}/standings"), timeout=10).json()
        quiz_board = requests.get(server(f"/api/contests/{ids['quiz']}/standings"), timeout=10).json()
    finally:
        server.stop()

    saves = sum(len(s) for s in ledger.sheets.values())
    print(f"\ncrash safety ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): "
          f"{saves} sheet saves + {len(ledger.taps)} quiz taps acknowledged, {KILLS} SIGKILLs, "
          f"{server.starts} starts, {ledger.repeats} acknowledged as a repeat of a stored save")
    assert len(ledger.sheets) == JUDGES * TEAMS

    with app.app_context():
        receipts = {(r.judge_id, r.client_id): r for r in db.session.scalars(db.select(SaveReceipt))}
        # Every receipt the database holds is a save some tablet was told about, and vice versa.
        acknowledged = {(judge_id, client_id) for (judge_id, _team), sent in ledger.sheets.items()
                        for client_id, _values, _submit in sent}
        acknowledged |= {(keeper_id, client_id) for keeper_id, client_id, _t, _p in ledger.taps}
        assert set(receipts) == acknowledged

        audits = Counter(db.session.execute(
            db.select(AuditEntry.entity_id).where(AuditEntry.action.in_(("sheet.save", "sheet.submit"))))
            .scalars())
        for (judge_id, team_id), sent in ledger.sheets.items():
            sheet = db.session.scalar(db.select(Sheet).filter_by(
                contest_id=ids["contest"], judge_id=judge_id, team_id=team_id))
            assert {receipts[judge_id, client_id].target_id for client_id, _v, _s in sent} == {sheet.id}
            # Stored once each: one version and one audit entry per acknowledged save, no more.
            assert sheet.version == len(sent) == audits[sheet.id]
            assert sheet.state == "submitted"
            _client_id, last_values, _submit = sent[-1]
            assert {s.criterion_id: s.value for s in sheet.scores} == {
                cid: Decimal(v) for cid, v in last_values.items()}

        entries = {e.id: e for e in db.session.scalars(db.select(QuizEntry).filter_by(
            contest_id=ids["quiz"]))}
        assert len(entries) == len(ledger.taps)
        for keeper_id, client_id, team_id, points in ledger.taps:
            entry = entries[receipts[keeper_id, client_id].target_id]
            assert (entry.team_id, entry.points, entry.undone) == (team_id, points, False)

        # The standings, recomputed here from the stored scores alone.
        totals = defaultdict(list)
        for sheet_id, judge_id, team_id in db.session.execute(db.select(
                Sheet.id, Sheet.judge_id, Sheet.team_id).filter_by(contest_id=ids["contest"],
                                                                   state="submitted")):
            totals[team_id].append(sum(ids["weights"][s.criterion_id] * s.value for s in
                                       db.session.scalars(db.select(Score).filter_by(sheet_id=sheet_id))))
        expected_rubric = {ids["names"][t]: two_places(sum(v) / len(v)) for t, v in totals.items()}
        quiz_sums = defaultdict(Decimal)
        for entry in entries.values():
            quiz_sums[ids["names"][entry.team_id]] += entry.points
        expected_quiz = {name: two_places(total) for name, total in quiz_sums.items()}
        db.engine.dispose()

    assert {row["team"]: row["score"] for row in rubric["rows"]} == expected_rubric
    assert {row["team"]: row["score"] for row in quiz_board["rows"]
            if row["team"] in expected_quiz} == expected_quiz
    for board in (rubric, quiz_board):
        scores = [Decimal(row["score"]) for row in board["rows"]]
        assert scores == sorted(scores, reverse=True)
        for row in board["rows"]:
            assert row["rank"] == 1 + sum(other > Decimal(row["score"]) for other in scores)
