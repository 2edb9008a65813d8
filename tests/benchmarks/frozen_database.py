"""Answer times of the shipped gunicorn, warm, when its PostgreSQL stops answering (a frozen TCP proxy).

    .venv/bin/python -m tests.benchmarks.frozen_database [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]

Prints each request's status and seconds after the freeze, their medians per route, then the same
after a HUP restarts every worker during the outage, and the tracebacks and worker timeouts logged.
"""
from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.frozenproxy import FrozenProxy
from tests.gunicorn_load import PROJECT, Server

ROUTES = ["/", "/api/talks", "/healthz", "/talks/postmortems-at-flywire"]
HUNG_AFTER = 60.0


def get(port: int, path: str) -> tuple[str, float]:
    """Return the status (or the error's name) and the seconds one request took."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=HUNG_AFTER) as response:
            status = str(response.status)
    except urllib.error.HTTPError as error:
        status = str(error.code)
    except Exception as error:  # a dropped connection is what is measured here
        status = type(error).__name__
    return status, time.monotonic() - started


def measure(database: str, repeats: int) -> None:
    schema = f"frozen_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(database)
    proxy = FrozenProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port, query={**url.query, "options": f"-csearch_path={schema}"})
    proxied_url = proxied.render_as_string(hide_password=False)
    work = Path(tempfile.mkdtemp(prefix="frozen-database-"))
    try:
        server = Server(proxied_url, work / "index", work / "gunicorn.log", WEB_WORKERS="2", SEED_ON_EMPTY="1")
        # The shipped seed, indexed as the node's follower does.
        subprocess.run([sys.executable, "-m", "flask", "index", "follow", "--once"], cwd=PROJECT, env=server.env,
                       check=True, capture_output=True)
        with server:
            server.wait_until_answering()
            for _ in range(10):
                for route in ROUTES:
                    get(server.port, route)
            proxy.frozen.set()
            for route in ROUTES:
                answers = [get(server.port, route) for _ in range(repeats)]
                print(f"{route}: " + ", ".join(f"{status} {seconds:.2f}s" for status, seconds in answers)
                      + f"; median {statistics.median(seconds for _, seconds in answers):.2f}s")
            server.process.send_signal(signal.SIGHUP)
            time.sleep(3)
            answers = [get(server.port, "/") for _ in range(repeats)]
            print("workers restarted during the outage, /: " + ", ".join(f"{s} {t:.2f}s" for s, t in answers))
            log = server.log()
            print(f"tracebacks logged: {log.count('Traceback')}; worker timeouts: {log.count('WORKER TIMEOUT')}")
    finally:
        proxy.close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--repeats", type=int, default=4)
    arguments = parser.parse_args()
    measure(arguments.database, arguments.repeats)


if __name__ == "__main__":
    main()
