"""Bring a database's schema up to date with Alembic's migrations, once even when processes start together.

A database made before migrations existed (tables, no `alembic_version`) is stamped as the first
revision, which is that schema, and then upgraded like any other.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, insert, select, text
from sqlalchemy.pool import NullPool
from sqlalchemy.engine import Connection, Engine

from .models import SiteState

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
SCHEMA_LOCK_KEY = 7_261_842_016  # any fixed number: PostgreSQL advisory lock for migrating the schema
SQLITE_LOCK_SECONDS = 30  # how long a process waits for another's migration (or any writer) on SQLite


def alembic_config(connection: Connection | None = None) -> Config:
    """Return Alembic's configuration for the archive's migrations, on this connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest revision of the migrations."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """Return the revision a database is at (None for an empty database or one made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(engine: Engine) -> None:
    """Migrate the database to the newest revision and make sure the site state row exists, one process at a time."""
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine)
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        _migrate(connection)


def _upgrade_sqlite(engine: Engine) -> None:
    """Migrate a SQLite database in one transaction that holds the write lock from its first statement.

    pysqlite runs DDL outside any transaction and begins one lazily; here the connection leaves
    transactions to SQLAlchemy and begins with BEGIN IMMEDIATE, so a migration is all or nothing and
    processes starting together (workers, the follower) migrate one after another. Foreign keys are
    off while it runs, since rebuilding a table drops it, which would delete the rows pointing at it;
    they are checked before the commit.
    """
    migrating = create_engine(engine.url, connect_args={"timeout": SQLITE_LOCK_SECONDS}, poolclass=NullPool)

    @event.listens_for(migrating, "connect")
    def _own_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(migrating, "begin")
    def _take_the_write_lock(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with migrating.begin() as connection:
            _migrate(connection)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left {len(broken)} rows pointing at nothing; nothing was changed")
    finally:
        migrating.dispose()


def _migrate(connection: Connection) -> None:
    head = head_revision()
    revision = current_revision(connection)
    if revision == head and connection.scalar(select(SiteState.id).where(SiteState.id == 1)) is not None:
        return
    config = alembic_config(connection)
    if revision is None and inspect(connection).has_table("talks"):
        command.stamp(config, FIRST_REVISION)
    if revision != head:
        command.upgrade(config, "head")
    if connection.scalar(select(SiteState.id).where(SiteState.id == 1)) is None:
        connection.execute(insert(SiteState).values(id=1, content_version=0))
