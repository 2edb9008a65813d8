"""The database engine: a database that accepts connections and never answers costs a request seconds, not a worker."""
from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time

import logging

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from meetup.catalog.db import make_engine
from meetup.settings import settings_of
from meetup.web.listing import warm_newest_pages
from tests.frozenproxy import FrozenProxy

TIMEOUT = 2.0
# Far under the 99 s a hung database used to cost; generous for a loaded machine.
ANSWER_WITHIN = 30.0
# A request with no answer after this long is hung: it would wait for ever.
HUNG_AFTER = 60.0
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
def test_a_postgresql_server_that_never_answers_gives_503(make_app, silent_server, route, mimetype):
    # Every request also asks the database whether the index is behind it (no pause between checks).
    app = make_app(SEED_ON_EMPTY=True, indexed=True, INDEX_CHECK_SECONDS=0)
    assert app.extensions["meetup_freshness"].interval == 0
    app.test_client().get("/")
    engine = make_engine(f"postgresql+psycopg://meetup@127.0.0.1:{silent_server}/meetup", timeout=TIMEOUT)
    app.extensions["meetup_sessions"] = sessionmaker(engine)
    _answers_503_in_time(app.test_client(), route, mimetype)
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
    assert settings_of(app).database_timeout_seconds == 7.5
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


@pytest.fixture
def frozen(make_app, database_url):
    """Return a warm app whose PostgreSQL connections pass through a proxy, and the proxy, not yet frozen."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server behind a proxy")
    url = make_url(database_url)
    proxy = FrozenProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    # A longer bound than TIMEOUT: warming up on a loaded machine must not trip it.
    app = make_app(DATABASE_URL=proxied, SEED_ON_EMPTY=True, indexed=True, DATABASE_TIMEOUT_SECONDS=2 * TIMEOUT,
                   INDEX_CHECK_SECONDS=0)
    client = app.test_client()
    for route, _ in ROUTES:  # pooled connections open, caches warm
        assert client.get(route).status_code == 200, route
    yield app, proxy
    proxy.close()


def _get_unless_hung(client, route: str):
    answer = {}
    thread = threading.Thread(target=lambda: answer.update(response=client.get(route)), daemon=True)
    thread.start()
    thread.join(HUNG_AFTER)
    assert "response" in answer, f"{route}: no answer at all"
    return answer["response"]


@pytest.mark.parametrize(("route", "mimetype"), ROUTES)
def test_a_database_that_stops_answering_while_warm_gives_503_after_one_wait(frozen, route, mimetype):
    app, proxy = frozen
    proxy.frozen.set()
    response = _get_unless_hung(app.test_client(), route)
    assert (response.status_code, response.mimetype) == (503, mimetype)
    # One wait per request: after the first timeout nothing tries a new connection to wait on.
    assert proxy.accepted_while_frozen == 0
    response = _get_unless_hung(app.test_client(), route)
    assert (response.status_code, proxy.accepted_while_frozen) == (503, 0)


def test_a_database_outage_is_logged_in_one_line_without_a_traceback(frozen, caplog):
    app, proxy = frozen
    proxy.frozen.set()
    with caplog.at_level(logging.INFO):
        assert _get_unless_hung(app.test_client(), "/healthz").status_code == 503
    assert [record.exc_info for record in caplog.records if record.exc_info] == []
    assert any("database" in record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR)


def test_a_worker_forked_during_an_outage_answers_503_without_waiting(frozen):
    app, proxy = frozen
    proxy.frozen.set()
    assert _get_unless_hung(app.test_client(), "/").status_code == 503
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # a new worker: warms up as gunicorn's post_fork does, then serves
        try:
            try:
                warm_newest_pages(app)
                warmed = "warmed"
            except Exception as error:
                warmed = type(error).__name__
            os.write(writing, f"{warmed} {app.test_client().get('/').status_code}".encode())
        finally:
            os._exit(0)
    os.close(writing)
    deadline = time.monotonic() + HUNG_AFTER
    while os.waitpid(child, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(child, 9)
            os.waitpid(child, 0)
        time.sleep(0.05)
    with os.fdopen(reading) as report:
        said = report.read()
    assert said == "OperationalError 503"
    assert proxy.accepted_while_frozen == 0


@pytest.mark.parametrize(("name", "value"), [
    ("connect_timeout", "2"), ("keepalives", "1"), ("keepalives_idle", "2"), ("keepalives_interval", "1"),
    ("keepalives_count", "3"), ("tcp_user_timeout", "2000"),
])
def test_libpq_bounds_connecting_and_a_quiet_network(database_url, name, value):
    if not database_url.startswith("postgresql"):
        pytest.skip("libpq's settings")
    engine = make_engine(database_url, timeout=TIMEOUT)
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.info.get_parameters().get(name) == value
    engine.dispose()
