"""The database engine: a database that accepts connections and never answers costs a request seconds, not a worker."""
from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time

import pytest
from sqlalchemy.orm import sessionmaker

from meetup.catalog.db import make_engine

TIMEOUT = 2.0
# Far under the 99 s a hung database used to cost; generous for a loaded machine.
ANSWER_WITHIN = 30.0
ROUTES = [("/", "text/html"), ("/api/talks", "application/json"), ("/healthz", "application/json"),
          ("/talks/postmortems-at-flywire", "text/html")]


@pytest.fixture
def silent_server():
    """Listen on a free port, accept every connection and never send a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted, stop = [], threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def _answers_503_in_time(client, route: str, mimetype: str) -> None:
    started = time.monotonic()
    response = client.get(route)
    assert time.monotonic() - started < ANSWER_WITHIN
    assert response.status_code == 503, (route, response.status_code)
    assert response.mimetype == mimetype
    if mimetype == "application/json":
        assert response.get_json()["error" if route.startswith("/api/") else "database"]


@pytest.mark.parametrize(("route", "mimetype"), ROUTES)
def test_a_postgresql_server_that_never_answers_gives_503(seeded_app, silent_server, route, mimetype):
    engine = make_engine(f"postgresql+psycopg://meetup@127.0.0.1:{silent_server}/meetup", timeout=TIMEOUT)
    seeded_app.extensions["meetup_sessions"] = sessionmaker(engine)
    seeded_app.config["INDEX_CHECK_SECONDS"] = 0
    _answers_503_in_time(seeded_app.test_client(), route, mimetype)
    engine.dispose()


@pytest.mark.parametrize(("route", "mimetype"), ROUTES)
def test_a_locked_sqlite_database_gives_503(make_app, database_url, route, mimetype):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own locking")
    app = make_app(SEED_ON_EMPTY=True, DATABASE_TIMEOUT_SECONDS=TIMEOUT, INDEX_CHECK_SECONDS=0)
    client = app.test_client()
    assert client.get("/").status_code == 200
    app.extensions["meetup_engine"].dispose()
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE site_state SET content_version = content_version")
    try:
        _answers_503_in_time(client, route, mimetype)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_timeout_is_configurable(monkeypatch, tmp_path):
    from meetup import create_app

    monkeypatch.setenv("DATABASE_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("MEETUP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    app = create_app()
    assert app.config["DATABASE_TIMEOUT_SECONDS"] == 7.5
    assert app.extensions["meetup_engine"].pool.timeout() == 7.5
    app.extensions["meetup_index"].close()
    app.extensions["meetup_engine"].dispose()


def test_postgresql_statements_are_bounded(make_app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's statement_timeout")
    engine = make_engine(database_url, timeout=TIMEOUT)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "2s"
    engine.dispose()


@pytest.mark.parametrize("writer", [False, True])
def test_only_writers_wait_past_the_statement_timeout_on_postgresql(database_url, writer):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's statement_timeout")
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from meetup.catalog.models import lock_content

    engine = make_engine(database_url, timeout=TIMEOUT)
    with sessionmaker(engine)() as session:
        if writer:
            lock_content(session)
            assert session.execute(text("SELECT pg_sleep(2.5)")) is not None
        else:
            with pytest.raises(OperationalError, match="statement timeout"):
                session.execute(text("SELECT pg_sleep(2.5)"))
        session.rollback()
    engine.dispose()


def test_a_forked_process_never_uses_its_parents_connections(app):
    engine = app.extensions["meetup_engine"]
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert engine.pool.checkedin() == 1
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child reports what it inherited, then leaves without running the parent's cleanup
        try:
            inherited = engine.pool.checkedin()
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            os.write(writing, str(inherited).encode())
        finally:
            os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading) as report:
        assert report.read() == "0"
    assert engine.pool.checkedin() == 1
