"""Constraints live in the database, not only in Python."""
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from scoreboard.extensions import db
from scoreboard.models import Assignment, Criterion, Score, Team
from tests.factories import gen_contest, gen_event, gen_judge, gen_sheet, gen_small_contest, gen_team


def insert_and_expect_refusal(statement_or_object):
    """Write something the database must refuse, and roll back."""
    with pytest.raises(IntegrityError):
        if isinstance(statement_or_object, db.Model):
            db.session.add(statement_or_object)
            db.session.flush()
        else:
            db.session.execute(statement_or_object)
    db.session.rollback()


def test_one_score_per_judge_team_criterion(app):
    _event, contest, teams, (judge, _), _ = gen_small_contest()
    sheet = gen_sheet(contest, judge, teams[0], [7, 8])
    insert_and_expect_refusal(Score(sheet_id=sheet.id, judge_id=judge.id, team_id=teams[0].id,
                                    criterion_id=contest.criteria[0].id, value=Decimal(5)))


@pytest.mark.parametrize("value", ["0.5", "10.5", "-3"])
def test_a_score_outside_its_criterion_range_is_refused_by_the_database(app, value):
    _event, contest, teams, (judge, _), _ = gen_small_contest()
    sheet = gen_sheet(contest, judge, teams[0], [7])  # only the first criterion
    # Bypass the ORM and the services: raw SQL must still be refused.
    insert_and_expect_refusal(db.insert(Score).values(
        sheet_id=sheet.id, judge_id=judge.id, team_id=teams[0].id,
        criterion_id=contest.criteria[1].id, value=Decimal(value)))


def test_updating_a_score_out_of_range_is_refused(app):
    _event, contest, teams, (judge, _), _ = gen_small_contest()
    sheet = gen_sheet(contest, judge, teams[0], [7, 8])
    insert_and_expect_refusal(db.update(Score).where(Score.sheet_id == sheet.id).values(value=Decimal(11)))
    assert sorted(s.value for s in db.session.get(type(sheet), sheet.id).scores) == [7, 8]


def test_scores_at_the_bounds_and_fractions_are_stored_exactly(app):
    _event, contest, teams, (judge, _), _ = gen_small_contest()
    sheet = gen_sheet(contest, judge, teams[0], ["1", "9.5"])
    db.session.expire_all()
    assert [s.value for s in sorted(sheet.scores, key=lambda s: s.criterion_id)] == [Decimal("1"), Decimal("9.5")]


def test_team_names_are_unique_within_an_event(app):
    event = gen_event()
    gen_team(event, "Tim Awayan", "Awayan")
    insert_and_expect_refusal(Team(name="Tim Awayan", event_id=event.id,
                                   region_id=event.regions[0].id))


def test_foreign_keys_are_enforced(app):
    event = gen_event()
    insert_and_expect_refusal(Team(name="Tim Hantu", event_id=event.id, region_id=9999))


def test_criterion_range_and_step_are_checked(app):
    event = gen_event()
    contest = gen_contest(event)
    insert_and_expect_refusal(Criterion(contest_id=contest.id, name="Terbalik", min_score=Decimal(10),
                                        max_score=Decimal(1), step=Decimal(1)))
    insert_and_expect_refusal(Criterion(contest_id=contest.id, name="Langkah nol", min_score=Decimal(1),
                                        max_score=Decimal(10), step=Decimal(0)))


def test_one_ketua_juri_per_contest(app):
    event = gen_event()
    contest = gen_contest(event)
    gen_judge(event, "Ketua Satu", [contest], role="head")
    other, _ = gen_judge(event, "Ketua Dua")
    insert_and_expect_refusal(Assignment(judge_id=other.id, contest_id=contest.id, role="head"))


def test_unknown_contest_status_is_refused(app):
    event = gen_event()
    contest = gen_contest(event)
    insert_and_expect_refusal(db.update(type(contest)).where(type(contest).id == contest.id)
                              .values(status="bingung"))


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    # A model changed without a migration would show up here.
    assert differences == []
