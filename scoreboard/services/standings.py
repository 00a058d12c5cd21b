"""Standings: load a contest from the database, hand it to the engine, shape the rows."""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, bindparam, inspect, type_coerce
from sqlalchemy.orm import selectinload

from ..engine import (DEFAULT_AWARDS, CriterionSpec, OverallRow, RubricInput, Sheet as EngineSheet,
                      StandingRow, format_score, juara_umum, quiz_standings, rubric_standings)
from ..extensions import db
from ..models import (SCALE, Assignment, Contest, ContestTeam, Event, Penalty, QuizEntry, Score,
                      Sheet, Team)


@dataclass(frozen=True)
class BoardRow:
    """One row of a contest's standings, with the names the board shows."""

    team: Team
    region: str
    result: StandingRow

    @property
    def rank(self) -> int | None:
        """The rank people see, None while the team is not scored (StandingRow.place)."""
        return self.result.place

    @property
    def position(self) -> int:
        """The engine's order, unscored teams last: for sorting, never for printing."""
        return self.result.rank

    @property
    def award(self) -> str:
        return self.result.award

    @property
    def score(self) -> Decimal:
        return self.result.score

    @property
    def complete(self) -> bool:
        return self.result.complete

    @property
    def scored(self) -> bool:
        return self.result.scored

    def as_public(self) -> dict:
        """The row as rules §4's public contract spells it."""
        return public_contract(rank=self.rank, award=self.award, team=self.team.name,
                               region=self.region, score=format_score(self.score),
                               complete=self.complete)


def public_contract(*, rank, award: str, team: str, region: str, score: str,
                    complete: bool) -> dict:
    """One row of rules §4's public contract (API, pushes, results files): score as "87.50"."""
    return {"rank": rank, "award": award, "team": team, "region": region, "score": score,
            "complete": complete}


# What a board needs of its contest, loaded in a few queries, not one per row.
_BOARD_LOADS = (selectinload(Contest.entries).joinedload(ContestTeam.team).joinedload(Team.region),
                selectinload(Contest.assignments).joinedload(Assignment.judge),
                selectinload(Contest.criteria))


def preload_contest(contest: Contest) -> None:
    """Load teams, kecamatan, panel and criteria in a few queries, unless they are loaded.

    A commit expires every object, so without this each push lazy-loads every team, its
    region and every judge one query at a time (about 25 queries for eight teams).
    """
    if not _board_loaded(contest):
        # By identity: reading contest.id of an expired contest would first reload its row.
        load_contest(inspect(contest).identity[0])


def load_contest(contest_id: int) -> Contest | None:
    """The contest with everything its board needs, in one round of queries (None if gone)."""
    return db.session.execute(db.select(Contest).where(Contest.id == contest_id)
                              .options(*_BOARD_LOADS)).unique().scalar_one_or_none()


def _board_loaded(contest: Contest) -> bool:
    """Whether the board's relationships (and theirs) are loaded and not expired by a commit."""
    if {"entries", "assignments", "criteria"} & inspect(contest).unloaded:
        return False
    return (all("team" not in inspect(entry).unloaded
                and "region" not in inspect(entry.team).unloaded for entry in contest.entries)
            and all("judge" not in inspect(assignment).unloaded
                    for assignment in contest.assignments))


def penalties_by_team(contest: Contest) -> dict[int, Decimal]:
    """Total penalty points per team."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for team_id, points in db.session.execute(
            db.select(Penalty.team_id, Penalty.points).filter_by(contest_id=contest.id)):
        totals[team_id] += points
    return dict(totals)


# Every score of the contest's submitted sheets (drafts count for nothing), in one statement so
# that sheets and scores come from one snapshot. The stored thousandths are read as plain
# integers: a large contest has thousands of scores but few distinct values, so each value
# becomes a Decimal once (the same as Exact reads).
_SUBMITTED_SCORES = (db.select(Sheet.judge_id, Sheet.team_id, Score.criterion_id,
                               type_coerce(Score.value, BigInteger))
                     .join(Score, Score.sheet_id == Sheet.id)
                     .where(Sheet.contest_id == bindparam("contest_id"),
                            Sheet.state == "submitted"))


def submitted_sheets(contest: Contest) -> list[EngineSheet]:
    """Every submitted sheet of the contest that has scores, as the engine sees it."""
    rows = plain_rows(_SUBMITTED_SCORES, contest_id=contest.id)
    values = {thousandths: Decimal(thousandths) / SCALE for thousandths in {row[3] for row in rows}}
    by_sheet: dict[tuple[int, int], dict[int, Decimal]] = {}
    for judge_id, team_id, criterion_id, thousandths in rows:
        scores = by_sheet.get((judge_id, team_id))
        if scores is None:
            scores = by_sheet[judge_id, team_id] = {}
        scores[criterion_id] = values[thousandths]
    return [EngineSheet(judge_id=judge_id, team_id=team_id, scores=scores)
            for (judge_id, team_id), scores in by_sheet.items()]


def plain_rows(statement, **values) -> list[tuple]:
    """The rows of a select of plain integer columns, as the database driver returns them.

    Through the session's connection and transaction but past SQLAlchemy's result handling:
    a large contest has thousands of scores, and building a Row for each took a fifth of its
    recompute. Only for columns whose driver values need no conversion (integers); `values`
    fill the statement's bindparams. SQLAlchemy's engine events and echo log do not see these
    statements, and a driver error comes through as the driver raised it.
    """
    connection = db.session.connection()
    compiled = _compiled(statement, connection.dialect)
    params = compiled.construct_params(values, escape_names=False)
    if compiled.positional:
        params = [params[name] for name in compiled.positiontup]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return cursor.fetchall()
    finally:
        cursor.close()


_COMPILED: dict[tuple, object] = {}


def _compiled(statement, dialect):
    """A module-level statement compiled once per kind of database and driver (SQLAlchemy's
    own cache of compiled statements is in the result handling that plain_rows skips)."""
    key = (statement, dialect.name, dialect.driver, dialect.paramstyle)
    if key not in _COMPILED:
        _COMPILED[key] = statement.compile(dialect=dialect)
    return _COMPILED[key]


def rubric_input(contest: Contest, method: str | None = None) -> RubricInput:
    """The engine's view of a rubric contest."""
    teams = contest.teams
    panel = contest.panel
    conflicts = {(judge.id, team.id) for judge in panel for team in teams
                 if judge.in_conflict_with(team)}
    return RubricInput(
        teams=[team.id for team in teams],
        criteria=[CriterionSpec(id=c.id, weight=c.weight) for c in contest.criteria],
        judges=[judge.id for judge in panel],
        conflicts=conflicts,
        sheets=submitted_sheets(contest),
        penalties=penalties_by_team(contest),
        method=method or contest.method,
        tie_break=list(contest.tie_break or []),
        awards=contest.awards,
    )


def quiz_totals_input(contest: Contest) -> dict[int, list[Decimal]]:
    """Points of every quiz entry that still counts, per team."""
    entries: dict[int, list[Decimal]] = {team.id: [] for team in contest.teams}
    for entry in db.session.scalars(
            db.select(QuizEntry).filter_by(contest_id=contest.id, undone=False)):
        entries.setdefault(entry.team_id, []).append(entry.points)
    return entries


def standings_for(contest: Contest) -> list[BoardRow]:
    """The live standings of a contest, best first (what the organizer sees)."""
    if contest.kind == "quiz":
        results = quiz_standings([t.id for t in contest.teams], quiz_totals_input(contest),
                                 awards=contest.awards)
    else:
        results = rubric_standings(rubric_input(contest))
    teams = {team.id: team for team in contest.teams}
    return [BoardRow(team=teams[r.team_id], region=teams[r.team_id].region.name, result=r)
            for r in results]


def juara_umum_for(event: Event, pairs) -> list[OverallRow]:
    """The event's juara umum table from (region, award) pairs, in the event's mode and points.

    Every kecamatan of the event is listed, even one without an award; points default to the
    engine's (Juara I 5, II 3, III 1) until the organizer sets them.
    """
    points = ({label: Decimal(str(value)) for label, value in event.award_points.items()}
              if event.award_points else None)
    return juara_umum(pairs, DEFAULT_AWARDS, mode=event.overall_mode or "medals", points=points,
                      regions=[region.name for region in event.regions])
