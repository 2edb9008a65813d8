"""/healthz answers for what pages read, within its own short timeout."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from meetup.settings import settings_of

PAGES_READ = ["talks", "speakers", "talk_speakers", "site_state"]


@pytest.mark.parametrize("table", PAGES_READ)
def test_health_fails_quickly_while_a_table_pages_read_is_locked(make_app, database_url, table):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's table locks (SQLite's whole-database lock: tests/catalog/test_db.py)")
    app = make_app(SEED_ON_EMPTY=True, indexed=True, DATABASE_TIMEOUT_SECONDS=3, HEALTH_TIMEOUT_SECONDS=0.5,
                   INDEX_CHECK_SECONDS=3600)
    client = app.test_client()
    assert client.get("/healthz").get_json()["database"] == "ok"
    locker = create_engine(database_url)
    with locker.connect() as connection:
        connection.exec_driver_sql(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        response = client.get("/healthz")
        connection.rollback()
    locker.dispose()
    assert (response.status_code, response.get_json()["database"]) == (503, "timeout")
    assert client.get("/healthz").status_code == 200


def test_the_health_timeout_is_configurable(monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTH_TIMEOUT_SECONDS", "0.25")
    monkeypatch.setenv("MEETUP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    from meetup import create_app

    app = create_app()
    assert settings_of(app).health_timeout_seconds == 0.25
    app.extensions["meetup_index"].close()
    app.extensions["meetup_engine"].dispose()
