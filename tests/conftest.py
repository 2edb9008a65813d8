"""Fixtures: an app on a temporary database and index, its test client and CLI runner.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the suite
on PostgreSQL: each run then works in a schema of its own, dropped at the end.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from meetup import create_app
from meetup.catalog.db import create_schema
from meetup.catalog.models import Base

# The real devopsdays talks: REALDATA when set (as `make relevance` reads it), else beside the checkout.
REALDATA = Path(os.environ.get("REALDATA") or Path(__file__).resolve().parents[2] / "shared" / "realdata" / "devopsdays-talks.yaml")
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def server_database_url():
    """Return a URL into a fresh PostgreSQL schema for this run, or None to use SQLite files."""
    if not TEST_DATABASE_URL:
        yield None
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(TEST_DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(TEST_DATABASE_URL, schema)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def database_url(tmp_path, server_database_url):
    """Return an empty database for one test."""
    if server_database_url is None:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    engine = create_engine(server_database_url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    create_schema(engine)
    engine.dispose()
    return server_database_url


@pytest.fixture
def make_app(tmp_path, database_url):
    """Return a factory of apps sharing this test's database and index directory."""
    apps = []

    def factory(indexed: bool = False, **overrides):
        """Create an app; indexed builds its index as the node's follower would (seeding first)."""
        config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "test",
            "SEED_ON_EMPTY": False,
            "TRANSLATIONS_CACHE": str(tmp_path / "translations"),
            **overrides,
        }
        app = create_app(config)
        apps.append(app)
        if indexed:
            result = app.test_cli_runner().invoke(args=["index", "follow", "--once"])
            assert result.exit_code == 0, result.output
        return app

    yield factory
    for app in apps:
        app.extensions["meetup_index"].close()
        app.extensions["meetup_engine"].dispose()


@pytest.fixture
def app(make_app):
    """An app with an empty database."""
    return make_app()


@pytest.fixture
def seeded_app(make_app):
    """An app whose database holds the shipped seed, indexed by the node's follower."""
    app = make_app(SEED_ON_EMPTY=True, indexed=True)
    app.test_client().get("/")
    return app


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def write_file(tmp_path):
    """Write text (or bytes) to a file in the test's folder and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
