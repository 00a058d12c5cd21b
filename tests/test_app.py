"""The foundation: factory, configuration, landing page, language and number formats, CLI."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from flask import render_template_string

from scoreboard import create_app
from scoreboard.demo import CONTEST_ORDER, REGIONS
from scoreboard.extensions import db
from scoreboard.models import Contest, Event, Judge, Region, Team
from tests.conftest import TEST_DATABASE_URL


def test_landing_page_lists_the_demo_event(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Temu Kader IMP Kabupaten Balangan 2025" in page
    for region in REGIONS:
        assert region in page
    for contest in CONTEST_ORDER:
        assert contest in page
    assert 'lang="id"' in page
    assert "static/vendor/htmx-2.0.11.min.js" in page
    assert "static/vendor/socket.io-4.8.4.min.js" in page


def test_landing_page_without_an_event_explains_what_to_do(client):
    page = client.get("/").get_data(as_text=True)
    assert "Belum ada acara aktif" in page
    assert "seed-demo" in page


def test_english_is_the_second_language(client, demo):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page
    # The choice sticks for the next page.
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_numbers_and_times_are_indonesian(app):
    with app.test_request_context("/"):
        rendered = render_template_string(
            "{{ a|number }} {{ b|number }} {{ c|number }} {{ t|wita_time }}",
            a=Decimal("87.5"), b=Decimal("1234.005"), c=Decimal("-25"),
            t=datetime(2025, 2, 26, 2, 32, 5, tzinfo=timezone.utc))
    assert rendered == "87,50 1.234,01 -25,00 10.32.05 WITA"


def test_english_numbers_use_a_decimal_point(app):
    with app.test_request_context("/?lang=en"):
        assert render_template_string("{{ a|number }}", a=Decimal("1234.5")) == "1,234.50"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": None,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}
    first = create_app(dict(config)).config["SECRET_KEY"]
    again = create_app(dict(config)).config["SECRET_KEY"]
    assert first == again and len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": None})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/scoreboard.db"


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="checks the SQLite default")
def test_default_sqlite_is_wal_with_foreign_keys_and_full_sync(app):
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_environment_variables_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    import importlib
    import scoreboard.config
    importlib.reload(scoreboard.config)
    try:
        assert scoreboard.config.Config.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path}/env.db"
    finally:
        monkeypatch.delenv("DATABASE_URL")
        importlib.reload(scoreboard.config)


def test_seed_demo_builds_the_2025_event_once(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "/judge/login/" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Team.id))) == 8
    assert db.session.scalar(db.select(db.func.count(Region.id))) == 8
    assert db.session.scalar(db.select(db.func.count(Contest.id))) == 4
    # The same links both times: a printed card stays valid after re-seeding.
    links = [line for line in first.output.splitlines() if "/judge/login/" in line]
    assert links == [line for line in second.output.splitlines() if "/judge/login/" in line]


def test_demo_has_three_to_five_judges_per_rubric_contest_and_a_quiz(demo):
    for contest in demo.contests:
        if contest.kind == "rubric":
            assert 3 <= len(contest.panel) <= 5
            assert len(contest.criteria) >= 3
            assert contest.head_judge is not None
        else:
            assert contest.name == "Lomba Pemahaman Program Bangga Kencana"
            assert contest.judges_with_role("scorekeeper")
            assert {r.name for r in contest.rounds} >= {"Babak wajib", "Babak rebutan"}
        assert len(contest.teams) == 8


def test_demo_judge_codes_log_in_and_are_stored_only_as_digests(demo):
    from scoreboard.services import access
    judge = db.session.scalar(db.select(Judge).filter_by(name="Ahmad Fauzi, S.Pd."))
    code = access.demo_access_code(judge.name)
    assert code.replace("-", "") not in judge.code_digest
    assert access.judge_for_code(code.lower()) == judge
    assert access.judge_for_code("AAAA-BBBB-CCCC") is None
    assert access.judge_for_code("") is None


def test_every_app_built_in_a_process_serves_the_live_namespace(tmp_path):
    from scoreboard.extensions import socketio
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db", "SECRET_KEY": "x",
              "TESTING": True, "INSTANCE_PATH": str(tmp_path)}
    create_app(dict(config))
    second = create_app(dict(config))
    watcher = socketio.test_client(second, namespace="/live")
    assert watcher.is_connected("/live")
    watcher.disconnect(namespace="/live")


def test_seed_demo_gives_a_first_time_user_an_organizer_account_once(runner, client):
    import re
    first = runner.invoke(args=["seed-demo"])
    match = re.search(r"panitia / (\S+)", first.output)
    assert match, first.output
    response = client.post("/admin/login", data={"username": "panitia", "password": match.group(1)})
    assert response.status_code == 302
    second = runner.invoke(args=["seed-demo"])
    assert "panitia / " not in second.output and "sudah ada" in second.output


def test_seed_demo_with_scores_fills_the_boards_once(runner, client):
    first = runner.invoke(args=["seed-demo", "--scores"])
    assert first.exit_code == 0, first.output
    assert "Nilai contoh: 73 " in first.output
    rows = client.get("/api/contests/1/standings").get_json()["rows"]
    assert [row["award"] for row in rows[:3]] == ["Juara I", "Juara II", "Juara III"]
    assert all(row["score"] != "0.00" for row in rows[:5])
    again = runner.invoke(args=["seed-demo", "--scores"])
    assert "Nilai contoh: 0 " in again.output
