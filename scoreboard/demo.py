"""The demo event: Temu Kader IMP Kabupaten Balangan 2025 (rules §1)."""
import random
from datetime import date
from decimal import Decimal

from .extensions import db
from .models import Assignment, Contest, ContestTeam, Criterion, Event, Judge, QuizRound, Region, Team
from .services import access, quiz, sheets
from .services.errors import ServiceError

EVENT_NAME = "Temu Kader IMP Kabupaten Balangan 2025"
REGIONS = ("Awayan", "Batumandi", "Halong", "Juai", "Lampihong", "Paringin",
           "Paringin Selatan", "Tebing Tinggi")

# (name, description, weight, min, max, step)
RUBRICS = {
    "Lomba Yel-Yel": [
        ("Kekompakan", "Keserempakan suara dan gerak seluruh anggota tim.", "1", "1", "10", "0.5"),
        ("Kreativitas", "Keaslian lirik, irama dan gerak.", "1", "1", "10", "0.5"),
        ("Kesesuaian tema", "Pesan tentang program Bangga Kencana tersampaikan.", "1.5", "1", "10", "0.5"),
        ("Penampilan", "Semangat, ekspresi dan kostum.", "1", "1", "10", "0.5"),
    ],
    "Lomba Tari Kreasi": [
        ("Wiraga", "Penguasaan gerak, kelenturan dan keserempakan.", "1.5", "60", "100", "1"),
        ("Wirama", "Keselarasan gerak dengan iringan musik.", "1", "60", "100", "1"),
        ("Wirasa", "Penghayatan dan ekspresi sesuai makna tarian.", "1", "60", "100", "1"),
        ("Busana dan rias", "Kesesuaian kostum dan rias dengan tema tarian.", "0.5", "60", "100", "1"),
    ],
    "Lomba Penyuluhan KB": [
        ("Penguasaan materi", "Ketepatan isi tentang alat kontrasepsi dan program KB.", "2", "1", "25", "0.5"),
        ("Teknik penyampaian", "Bahasa yang mudah dipahami, kontak mata, alur.", "1.5", "1", "25", "0.5"),
        ("Media penyuluhan", "Alat peraga yang tepat dan menarik.", "1", "1", "25", "0.5"),
        ("Interaksi dengan sasaran", "Kemampuan menjawab dan melibatkan peserta.", "1", "1", "25", "0.5"),
    ],
}
QUIZ_NAME = "Lomba Pemahaman Program Bangga Kencana"
QUIZ_ROUNDS = (("Babak wajib", ["+100"]), ("Babak lemparan", ["+50", "-25"]),
               ("Babak rebutan", ["+100", "-100"]), ("Pelanggaran", ["-25"]))
CONTEST_ORDER = ("Lomba Yel-Yel", QUIZ_NAME, "Lomba Tari Kreasi", "Lomba Penyuluhan KB")

# (judge name, home kecamatan or None, [(contest, role)])
JUDGES = (
    ("Dra. Hj. Siti Rahmah", None, [("Lomba Yel-Yel", "head"), ("Lomba Penyuluhan KB", "judge")]),
    ("Ahmad Fauzi, S.Pd.", "Juai", [("Lomba Yel-Yel", "judge"), ("Lomba Tari Kreasi", "judge")]),
    ("Nurul Hidayah, S.Sn.", None, [("Lomba Yel-Yel", "judge"), ("Lomba Tari Kreasi", "head")]),
    ("Rusdiansyah, S.Sos.", "Halong", [("Lomba Tari Kreasi", "judge"), ("Lomba Penyuluhan KB", "judge")]),
    ("dr. Lailatul Fitriah", None, [("Lomba Penyuluhan KB", "head"), ("Lomba Yel-Yel", "judge")]),
    ("Muhammad Arsyad, S.KM.", "Awayan", [("Lomba Penyuluhan KB", "judge"), ("Lomba Tari Kreasi", "judge")]),
    ("Rina Marlina, S.E.", None, [(QUIZ_NAME, "scorekeeper")]),
)


def seed_demo() -> tuple[Event, list[tuple[Judge, str]], bool]:
    """Create the demo event once; return it, each judge with their code, and whether it was new."""
    event = db.session.scalar(db.select(Event).filter_by(name=EVENT_NAME))
    created = event is None
    if created:
        event = _build_event()
        db.session.commit()
    judges = sorted(event.judges, key=lambda j: j.name)
    return event, [(judge, access.demo_access_code(judge.name)) for judge in judges], created


def _build_event() -> Event:
    """All regions, teams, contests, criteria, rounds and judges of the demo."""
    for other in db.session.scalars(db.select(Event).filter_by(active=True)):
        other.active = False
    event = Event(name=EVENT_NAME, venue="Gedung Sanggam, Paringin", held_on=date(2025, 2, 26),
                  timezone="Asia/Makassar", active=True)
    db.session.add(event)
    regions = {name: Region(name=name, event=event) for name in REGIONS}
    teams = [Team(name=f"Tim Kecamatan {name}", region=region, event=event)
             for name, region in regions.items()]
    contests = {}
    for position, name in enumerate(CONTEST_ORDER, start=1):
        contest = Contest(name=name, event=event, position=position, status="open",
                          kind="quiz" if name == QUIZ_NAME else "rubric")
        contests[name] = contest
        # Performance order: a fixed rotation so each contest starts with another kecamatan.
        for order_no, team in enumerate(teams[position - 1:] + teams[:position - 1], start=1):
            contest.entries.append(ContestTeam(team=team, order_no=order_no))
    db.session.add_all([*regions.values(), *teams, *contests.values()])
    for name, rows in RUBRICS.items():
        for position, (title, description, weight, low, high, step) in enumerate(rows, start=1):
            contests[name].criteria.append(Criterion(
                name=title, description=description, weight=Decimal(weight),
                min_score=Decimal(low), max_score=Decimal(high), step=Decimal(step),
                position=position))
    for position, (title, buttons) in enumerate(QUIZ_ROUNDS, start=1):
        contests[QUIZ_NAME].rounds.append(QuizRound(name=title, position=position, buttons=buttons))
    db.session.flush()
    for name in RUBRICS:
        # Ties on total are broken by the criterion listed first in the rubric.
        contests[name].tie_break = [contests[name].criteria[0].id]
    for judge_name, home, seats in JUDGES:
        judge = Judge(name=judge_name, event=event,
                      home_region=regions[home] if home else None)
        access.set_access_code(judge, access.demo_access_code(judge_name))
        for contest_name, role in seats:
            judge.assignments.append(Assignment(contest=contests[contest_name], role=role))
        db.session.add(judge)
    return event


def play_demo_scores(event: Event, teams_scored: int = 5) -> int:
    """Submit plausible sheets and quiz taps through the real services, so the boards have numbers.

    Values are drawn from a generator seeded by contest, judge and team names: the same every run,
    and a second run only repeats saves the server already holds.
    """
    stored = 0
    for contest in event.contests:
        teams = contest.teams[:teams_scored]
        if contest.kind == "quiz":
            scorekeeper = contest.judges_with_role("scorekeeper")[0]
            rounds = {r.name: r for r in contest.rounds}
            for question, team in enumerate(teams, start=1):
                rng = random.Random(f"{contest.name}:{team.name}")
                taps = [("Babak wajib", "100")] * rng.randint(1, 3)
                taps += [("Babak rebutan", rng.choice(["100", "-100"]))]
                for number, (round_name, points) in enumerate(taps, start=1):
                    _entry, new = quiz.record_tap(contest, team, rounds[round_name], question, points,
                                                  f"demo-{team.id}-{number}", scorekeeper)
                    stored += new
            continue
        for judge in contest.panel:
            for team in teams:
                if judge.in_conflict_with(team):
                    continue
                rng = random.Random(f"{contest.name}:{judge.name}:{team.name}")
                values = {}
                for criterion in contest.criteria:
                    steps = int((criterion.max_score - criterion.min_score) / criterion.step)
                    values[criterion.id] = str(criterion.min_score
                                               + criterion.step * rng.randint(steps * 5 // 10, steps))
                try:
                    result = sheets.submit_sheet(judge, contest, team, values,
                                                 f"demo-{contest.id}-{team.id}")
                except ServiceError:
                    continue  # already locked by an earlier run, or refused: nothing to add
                stored += not result.repeat
    return stored
