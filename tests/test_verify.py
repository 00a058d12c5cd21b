"""/verify/<digest> is public: it checks only contests that can have a recap, and is rate-limited."""
from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.services import results as results_service
from tests.conftest import base_config
from tests.factories import gen_sheet, gen_small_contest


def test_a_draft_contest_is_not_searched(app, client):
    _event, contest, teams, (judge, _), _b = gen_small_contest()
    gen_sheet(contest, judge, teams[0], [8, 9])
    digest = results_service.fingerprint(results_service.results_for(contest))
    assert client.get(f"/verify/{digest}").status_code == 200
    contest.status = "draft"
    db.session.commit()
    assert client.get(f"/verify/{digest}").status_code == 404
    for status in ("closed", "published"):
        contest.status = status
        db.session.commit()
        assert results_service.find_fingerprint(digest.upper()) == contest


def test_verify_is_rate_limited(app, tmp_path):
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    config["RATELIMIT_ENABLED"] = True
    client = create_app(config).test_client()
    answers = [client.get(f"/verify/{n:064x}").status_code for n in range(31)]
    assert answers == [404] * 30 + [429]
