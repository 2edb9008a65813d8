"""The database engine, one session per request, and creating the schema."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .models import Base, SiteState, bump_version_on_content_change


def make_engine(url: str) -> Engine:
    """Create an engine for any SQLAlchemy URL, with SQLite set up to behave like a real server."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # SQLite ignores foreign keys unless asked, and WAL lets readers run beside one writer.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


SCHEMA_LOCK_KEY = 7_261_842_016  # any fixed number: PostgreSQL advisory lock for creating the schema


def create_schema(engine: Engine) -> None:
    """Create the tables that are missing and the site state row, once even when workers start together."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        Base.metadata.create_all(connection)
        if connection.scalar(select(SiteState.id).where(SiteState.id == 1)) is None:
            connection.execute(insert(SiteState).values(id=1, content_version=0))


def get_session() -> Session:
    """Return this request's (or command's) session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["meetup_sessions"]()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the session opened for this request, if any."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Create the engine and schema, and close each request's session on teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    create_schema(engine)
    app.extensions["meetup_engine"] = engine
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", bump_version_on_content_change)
    app.extensions["meetup_sessions"] = sessions
    app.teardown_appcontext(close_session)
