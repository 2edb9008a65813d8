"""The real gunicorn with the shipped gunicorn.conf.py under load: no worker dies, every request answers 2xx.

Runs on the suite's database (PostgreSQL when TEST_DATABASE_URL is set). The server is started
several times, each start met by a burst of 40 requests as the workers fork (a worker using its
parent's database connection failed there), then typing requests come from 8 and 64 clients.
LOAD_TEST_SECONDS lengthens the run; `python -m tests.gunicorn_load` gives the figures by hand.
"""
from __future__ import annotations

import os

import pytest

from tests.gunicorn_load import prepare_site, run

pytestmark = pytest.mark.slow
TALKS = 1000
STARTS = 3
SECONDS = float(os.environ.get("LOAD_TEST_SECONDS", "15"))


def test_shipped_gunicorn_serves_bursts_and_load_without_a_failure(database_url, tmp_path):
    prepare_site(database_url, tmp_path / "index", TALKS)
    lines: list[str] = []
    figures = run(database_url, tmp_path, clients=[8, 64], seconds=SECONDS, starts=STARTS, max_requests=10**6,
                  log=lines.append)
    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    crash = log[log.find("Fatal Python error"):][:4000] if "Fatal Python error" in log else ""
    assert figures["failures"] == 0, "\n".join(lines + figures["worker_deaths"]) + "\n" + crash
    assert all(figures["load"][count]["requests"] > 0 for count in (8, 64))
