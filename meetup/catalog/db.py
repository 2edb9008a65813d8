"""The database engine, one session per request, and creating the schema."""
from __future__ import annotations

import os
import weakref

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, literal, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import answering
from .migrate import upgrade_schema
from .models import Event, Speaker, Talk, TalkLink, TalkSpeaker, bump_version_on_content_change, content_version


def make_engine(url: str, timeout: float) -> Engine:
    """Create an engine for any SQLAlchemy URL that gives up after `timeout` seconds rather than hang.

    Connecting, waiting for a pooled connection, waiting for a lock (SQLite), running one statement
    (PostgreSQL's statement_timeout) and every other exchange with a PostgreSQL server that stopped
    answering (meetup/catalog/answering.py) are each bounded, so a database that accepts connections
    and never answers costs a request a few seconds and a 503, not a worker.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": timeout}, pool_timeout=timeout)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # SQLite ignores foreign keys unless asked, and WAL lets readers run beside one writer.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    postgresql = url.startswith("postgresql")
    engine = create_engine(url, pool_pre_ping=True, pool_timeout=timeout,
                           connect_args=answering.connect_args(timeout) if postgresql else {})
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        outage = answering.DatabaseOutage(timeout)

        @event.listens_for(engine, "do_connect")
        def _answering_connection(_dialect, _record, cargs, cparams):
            return answering.connect(outage, timeout, cargs, cparams)

        @event.listens_for(engine, "after_cursor_execute")
        def _lift_for_writers(_connection, cursor, statement, *_):
            # A writer lifts statement_timeout for its transaction (models.lock_content): so is the wait.
            if statement == WRITER_LIFTS_TIMEOUT:
                cursor.connection.bound_transaction(None)

    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _statement_timeout(dbapi_connection, _record):
            # Set per connection rather than in the URL's `options`, which the URL may already use.
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SET statement_timeout = {int(timeout * 1000)}")
            cursor.close()
            dbapi_connection.commit()

    return engine


WRITER_LIFTS_TIMEOUT = "SET LOCAL statement_timeout = 0"
# What every page reads: each table is read once, so a table locked or gone fails the check as it fails pages.
PAGES_READ = (Talk, Speaker, TalkSpeaker, TalkLink, Event)


def check_what_pages_read(session: Session, seconds: float) -> int:
    """Read a row of every table pages read and return the content version, giving up after `seconds`.

    A short bound of its own, for this one transaction (PostgreSQL): a load balancer's probe should
    hear about a lock that makes pages wait long before the pages' own timeout runs out.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}"))
        dbapi_connection = session.connection().connection.dbapi_connection
        if isinstance(dbapi_connection, answering.AnsweringConnection):
            dbapi_connection.bound_transaction(seconds + answering.ANSWER_GRACE_SECONDS)
    try:
        for model in PAGES_READ:
            session.execute(select(literal(1)).select_from(model).limit(1)).all()
        return content_version(session)
    finally:
        session.rollback()


def create_schema(engine: Engine) -> None:
    """Bring the schema up to date (Alembic's migrations) and create the site state row."""
    upgrade_schema(engine)


def forget_connections_after_fork(engine: Engine) -> None:
    """Give a forked process (a gunicorn worker under preload_app) its own connections, never its parent's.

    The parent's pooled connections are dropped without closing them, so the parent keeps its own
    (SQLAlchemy's advice for os.fork); the engine is held weakly so discarded apps are not kept alive.
    """
    held = weakref.ref(engine)

    def after_fork_in_child() -> None:
        forked = held()
        if forked is not None:
            forked.dispose(close=False)

    os.register_at_fork(after_in_child=after_fork_in_child)


def get_session() -> Session:
    """Return this request's (or command's) session, opening it on first use."""
    if "db_session" not in g:
        if current_app.extensions.get("meetup_schema_pending"):
            create_schema(current_app.extensions["meetup_engine"])
            current_app.extensions["meetup_schema_pending"] = False
        g.db_session = current_app.extensions["meetup_sessions"]()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the session opened for this request, if any."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask, url: str, timeout: float) -> None:
    """Create the engine for url (see make_engine for timeout) and the schema, and close each request's session on teardown."""
    engine = make_engine(url, timeout=timeout)
    try:
        create_schema(engine)
    except OperationalError:
        # The database is down: commands and requests say so when they first need it, and create it then.
        app.extensions["meetup_schema_pending"] = True
    forget_connections_after_fork(engine)
    app.extensions["meetup_engine"] = engine
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", bump_version_on_content_change)
    app.extensions["meetup_sessions"] = sessions
    app.teardown_appcontext(close_session)
