"""Plain gen_* helpers that build small contests directly in the database (CTFd style)."""
from datetime import date
from decimal import Decimal

from scoreboard.extensions import db
from scoreboard.models import (Assignment, Contest, ContestTeam, Criterion, Event, Judge, Penalty,
                               Region, Score, Sheet, Team, utcnow)
from scoreboard.services import access


def gen_event(name="Lomba Uji 2026", regions=("Awayan", "Batumandi", "Halong", "Juai")) -> Event:
    """An active event with a few regions."""
    event = Event(name=name, venue="Gedung Sanggam", held_on=date(2026, 2, 26), active=True)
    db.session.add(event)
    for region_name in regions:
        db.session.add(Region(name=region_name, event=event))
    db.session.commit()
    return event


def gen_region(event: Event, name: str) -> Region:
    """The event's region of that name."""
    return next(r for r in event.regions if r.name == name)


def gen_team(event: Event, name: str, region: str) -> Team:
    """A team of a region."""
    team = Team(name=name, region=gen_region(event, region), event=event)
    db.session.add(team)
    db.session.commit()
    return team


def gen_contest(event: Event, name="Lomba Yel-Yel", kind="rubric", status="open", method="mean",
                criteria=(("Kekompakan", "1", "1", "10", "0.5"),), teams=(), tie_break=()) -> Contest:
    """A contest with criteria given as (name, weight, min, max, step) and teams in that order."""
    contest = Contest(name=name, event=event, kind=kind, status=status, method=method)
    db.session.add(contest)
    for position, (title, weight, low, high, step) in enumerate(criteria if kind == "rubric" else (), 1):
        contest.criteria.append(Criterion(name=title, weight=Decimal(weight), min_score=Decimal(low),
                                          max_score=Decimal(high), step=Decimal(step),
                                          position=position))
    for order_no, team in enumerate(teams, start=1):
        contest.entries.append(ContestTeam(team=team, order_no=order_no))
    db.session.flush()
    contest.tie_break = [contest.criteria[i].id for i in tie_break]
    db.session.commit()
    return contest


def gen_judge(event: Event, name: str, contests=(), role="judge", home=None,
              code: str | None = None) -> tuple[Judge, str]:
    """A judge assigned to contests; returns the judge and their plain access code."""
    judge = Judge(name=name, event=event, home_region=gen_region(event, home) if home else None)
    code = code or access.new_access_code()
    access.set_access_code(judge, code)
    for contest in contests:
        judge.assignments.append(Assignment(contest=contest, role=role))
    db.session.add(judge)
    db.session.commit()
    return judge, code


def gen_sheet(contest: Contest, judge: Judge, team: Team, values, submitted=True) -> Sheet:
    """A sheet with one value per criterion (in criterion order), submitted unless told otherwise."""
    sheet = Sheet(contest=contest, judge=judge, team=team,
                  state="submitted" if submitted else "draft", version=1,
                  submitted_at=utcnow() if submitted else None)
    for criterion, value in zip(contest.criteria, values):
        sheet.scores.append(Score(judge_id=judge.id, team_id=team.id, criterion=criterion,
                                  value=Decimal(str(value))))
    db.session.add(sheet)
    db.session.commit()
    return sheet


def gen_penalty(contest: Contest, team: Team, points, reason="Melebihi batas waktu") -> Penalty:
    """A penalty on a team."""
    penalty = Penalty(contest_id=contest.id, team=team, points=Decimal(str(points)), reason=reason,
                      entered_by="panitia:uji")
    db.session.add(penalty)
    db.session.commit()
    return penalty


def gen_small_contest(event: Event | None = None):
    """Three teams, two criteria, two judges: the smallest contest that shows every rule."""
    event = event or gen_event()
    teams = [gen_team(event, f"Tim {r}", r) for r in ("Awayan", "Batumandi", "Halong")]
    contest = gen_contest(event, teams=teams,
                          criteria=(("Kekompakan", "1", "1", "10", "0.5"),
                                    ("Kreativitas", "2", "1", "10", "0.5")))
    judge_a, code_a = gen_judge(event, "Juri A", [contest])
    judge_b, code_b = gen_judge(event, "Juri B", [contest])
    return event, contest, teams, (judge_a, code_a), (judge_b, code_b)


def gen_quiz_contest(event: Event | None = None, name="Lomba Cerdas Cermat",
                     regions=("Awayan", "Batumandi", "Halong"), status="open", teams=None):
    """A quiz with three teams, the demo's rounds and a scorekeeper; returns (contest, teams, (judge, code))."""
    from scoreboard.models import QuizRound
    event = event or gen_event()
    teams = teams or [gen_team(event, f"Tim {region}", region) for region in regions]
    contest = gen_contest(event, name=name, kind="quiz", status=status, teams=teams)
    for position, (title, buttons) in enumerate(
            (("Babak wajib", ["+100"]), ("Babak lemparan", ["+50", "-25"]),
             ("Babak rebutan", ["+100", "-100"])), start=1):
        contest.rounds.append(QuizRound(name=title, position=position, buttons=buttons))
    db.session.commit()
    keeper = gen_judge(event, f"Pencatat {name}", [contest], role="scorekeeper")
    return contest, teams, keeper


def gen_organizer(username="panitia", password="rahasia-panitia"):
    """An organizer account (a cheap hash: tests need not be slow)."""
    from werkzeug.security import generate_password_hash
    from scoreboard.models import Organizer
    organizer = Organizer(username=username,
                          password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"))
    db.session.add(organizer)
    db.session.commit()
    return organizer
