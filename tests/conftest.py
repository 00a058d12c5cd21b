"""Shared fixtures: an app on a freshly migrated database, its clients and the demo event."""
import os
import shutil

import pytest
from sqlalchemy import create_engine, make_url, text

from scoreboard import create_app
from scoreboard.extensions import db


def per_worker_database(url: str) -> str:
    """With pytest-xdist each worker gets its own PostgreSQL database: one worker's TRUNCATE
    must never empty another's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


SHARED_TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_DATABASE_URL = per_worker_database(SHARED_TEST_DATABASE_URL)
# .ci/run sets this so a missing PostgreSQL, Redis or Chromium fails instead of skipping.
REQUIRE_SERVICES = os.environ.get("SCOREBOARD_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with a stated reason on a user's machine; fail under CI."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (SCOREBOARD_REQUIRE_SERVICES=1 turns this skip into a failure)")
    pytest.skip(reason)


def base_config(database_url: str, tmp_path) -> dict:
    """Configuration for one test app."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        # The Socket.IO test client sees a push only if it happened before the request returned.
        "PUSH_INTERVAL_SECONDS": 0,
    }


def migrate_to_head(database_url: str, tmp_path) -> None:
    """Run the Alembic migrations, as `flask init-db` does."""
    from flask_migrate import upgrade
    app = create_app(base_config(database_url, tmp_path))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def create_database_beside(url: str, name: str) -> None:
    """Create database `name` on the server of `url` unless it exists."""
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": name}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database migrated once per test session (SQLite template file or PostgreSQL)."""
    workdir = tmp_path_factory.mktemp("schema")
    if TEST_DATABASE_URL:
        engine = create_engine(TEST_DATABASE_URL)
        try:
            if TEST_DATABASE_URL != SHARED_TEST_DATABASE_URL:
                create_database_beside(SHARED_TEST_DATABASE_URL, make_url(TEST_DATABASE_URL).database)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        except Exception as exc:  # noqa: BLE001 - any connection failure means "not available"
            skip_or_fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}")
        finally:
            engine.dispose()
        migrate_to_head(TEST_DATABASE_URL, workdir)
        return TEST_DATABASE_URL
    template = workdir / "template.db"
    migrate_to_head(f"sqlite:///{template}", workdir)
    return template


def fresh_database_url(migrated_database, tmp_path) -> str:
    """An empty, migrated database for one test."""
    if TEST_DATABASE_URL:
        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:
            tables = [row[0] for row in conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"))]
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
        engine.dispose()
        return TEST_DATABASE_URL
    target = tmp_path / "test.db"
    shutil.copy(migrated_database, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(migrated_database, tmp_path):
    """An app on an empty, migrated database."""
    app = create_app(base_config(fresh_database_url(migrated_database, tmp_path), tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo event of rules §1, seeded."""
    from scoreboard.demo import seed_demo
    event, judges, _created = seed_demo()
    return event
