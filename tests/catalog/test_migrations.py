"""Migrations: the models and the migrations agree, and a database of the schema before events upgrades intact."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from meetup.catalog.db import get_session, make_engine
from meetup.catalog.formats import load_talk_file
from meetup.catalog.migrate import alembic_config, current_revision, head_revision, upgrade_schema
from meetup.catalog.models import Base
from meetup.catalog.readback import all_records

DATA = Path(__file__).parent / "data"
# A SQLite database written by the archive as it was before events (19 shipped talks and two more,
# one with three links and speakers whose roles hold parentheses), kept as its own dump (`.dump`,
# sqlite3's iterdump) so no database file is committed, and its export of that day.
OLD_DATABASE = DATA / "schema-2026-12.sqlite.sql"
OLD_EXPORT = DATA / "schema-2026-12.export.yaml"


def _empty(url: str):
    engine = create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    return engine


def _upgrade(url: str) -> None:
    engine = make_engine(url, timeout=5.0)
    try:
        upgrade_schema(engine)
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url):
    engine = _empty(database_url)
    _upgrade(database_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_migrating_twice_changes_nothing(database_url):
    _upgrade(database_url)
    _upgrade(database_url)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    engine.dispose()


def test_a_database_of_the_first_revision_upgrades_without_losing_a_talk(database_url):
    engine = _empty(database_url)
    with engine.begin() as connection:
        config = alembic_config(connection)
        command.upgrade(config, "0001")
        connection.execute(text("INSERT INTO site_state (id, content_version) VALUES (1, 7)"))
        connection.execute(text(
            "INSERT INTO talks (id, slug, title, abstract, language, year, month, day, slides_url, video_url, event_url) "
            "VALUES (1, 'kept', 'Kept', 'Text', 'es', 2019, 11, 27, 'https://s.example/1', NULL, 'https://e.example/1'),"
            "       (2, 'plain', 'Plain', '', 'en', NULL, NULL, NULL, NULL, NULL, NULL)"))
        connection.execute(text("INSERT INTO speakers (id, name, slug) VALUES (1, 'Ana', 'ana')"))
        connection.execute(text("INSERT INTO talk_speakers (talk_id, position, speaker_id, role) VALUES (1, 1, 1, 'SRE')"))
    _upgrade(database_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        columns = {column["name"] for column in inspect(connection).get_columns("talks")}
        assert {"event_id", "source_id", "abstract_html"} <= columns and "video_url" not in columns
        assert connection.execute(text("SELECT talk_id, position, kind, url FROM talk_links ORDER BY talk_id, position")).all() == [
            (1, 1, "slides", "https://s.example/1"), (1, 3, "event", "https://e.example/1")]
        assert connection.execute(text("SELECT talk_id, speaker_id, role FROM talk_speakers")).all() == [(1, 1, "SRE")]
        assert connection.execute(text("SELECT slug, title, year, event_id FROM talks ORDER BY id")).all() == [
            ("kept", "Kept", 2019, None), ("plain", "Plain", None, None)]
        assert connection.scalar(text("SELECT content_version FROM site_state")) == 7
    engine.dispose()


def test_a_real_database_of_the_schema_before_events_upgrades_with_every_talk_intact(tmp_path, make_app):
    copy = tmp_path / "old.sqlite3"
    with sqlite3.connect(copy) as restored:
        restored.executescript(OLD_DATABASE.read_text(encoding="utf-8"))
    restored.close()
    app = make_app(DATABASE_URL=f"sqlite:///{copy}")
    with app.app_context():
        upgraded = {record.slug: record for record in all_records(get_session())}
    before = {record.slug: record for record in load_talk_file(OLD_EXPORT).records}
    assert len(before) == 21 and upgraded.keys() == before.keys()
    for slug, record in before.items():
        now = upgraded[slug]
        assert (now.title, now.abstract, now.language, now.date, now.speakers) == (
            record.title, record.abstract, record.language, record.date, record.speakers), slug
        assert {(link.kind, link.url) for link in now.links} == {(link.kind, link.url) for link in record.links}, slug
        assert now.event is None and now.source_id is None


def test_the_migrate_command_says_the_revision(app):
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"database schema at revision {head_revision()} (newest: {head_revision()})"


def test_a_real_postgresql_database_of_the_schema_before_events_upgrades_intact(database_url, make_app):
    """The same database as above, written by the archive on PostgreSQL before events (pg_dump --inserts)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL dump: runs with TEST_DATABASE_URL")
    engine = _empty(database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql((DATA / "schema-2026-12.postgresql.sql").read_text(encoding="utf-8"))
    engine.dispose()
    app = make_app()
    with app.app_context():
        upgraded = {record.slug: record for record in all_records(get_session())}
    before = {record.slug: record for record in load_talk_file(OLD_EXPORT).records}
    assert upgraded.keys() == before.keys()
    for slug, record in before.items():
        now = upgraded[slug]
        assert (now.title, now.abstract, now.language, now.date, now.speakers) == (
            record.title, record.abstract, record.language, record.date, record.speakers), slug
        assert {(link.kind, link.url) for link in now.links} == {(link.kind, link.url) for link in record.links}, slug


def test_processes_starting_together_migrate_a_fresh_sqlite_database_one_after_another(tmp_path):
    """Workers and the follower start at once on a new instance folder: each waits for the other's migration."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    code = ("import sys\nfrom meetup.catalog.db import make_engine\nfrom meetup.catalog.migrate import upgrade_schema\n"
            "engine = make_engine(sys.argv[1], timeout=5.0)\nupgrade_schema(engine)\nengine.dispose()\n")
    root = Path(__file__).parents[2]
    processes = [subprocess.Popen([sys.executable, "-c", code, url], cwd=root, stderr=subprocess.PIPE, text=True)
                 for _ in range(6)]
    answers = [(process.communicate(timeout=120)[1], process.returncode) for process in processes]
    assert [errors for errors, status in answers if status != 0] == []
    engine = create_engine(url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        assert connection.scalar(text("SELECT count(*) FROM site_state")) == 1
    engine.dispose()
