"""Load of distinct visitors: gunicorn with gunicorn.conf.py and the node's follower, typists no two alike.

`python -m tests.benchmarks.visitor_load [--talks 10000] [--clients 8,64] [--seconds 20]
[--database postgresql+psycopg://postgres@127.0.0.1:5432/test] [--import-talks 1000]`

Builds a site of that many generated talks (on PostgreSQL in a schema of its own, dropped at the
end, or on SQLite), starts the follower (`flask index follow`) and gunicorn, then each client
plays visitors one after another (tests/benchmarks/visitors.py), keystroke by keystroke, for the
given seconds at each client count. Then the same at the largest count while an organiser
imports that many new talks with `flask import-talks`. Prints requests/s, p50/p99 and errors.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

from tests.gunicorn_load import Server, Tally, get_once, percentile, prepare_site

from .corpus import CorpusGenerator
from .visitors import VisitorSource

PROJECT = Path(__file__).resolve().parents[2]
HTMX = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}


def site_talks(database_url: str, index_dir: Path):
    """Return the talks of the site as the index reads them."""
    from meetup import create_app
    from meetup.catalog.db import get_session
    from meetup.indexing.sync import stream_talks

    app = create_app({"DATABASE_URL": database_url, "INDEX_DIR": str(index_dir), "SECRET_KEY": "x" * 32,
                      "SEED_ON_EMPTY": False})
    with app.app_context():
        session = get_session()
        talks = list(stream_talks(session))
        session.close()
    app.extensions["meetup_index"].close()
    app.extensions["meetup_engine"].dispose()
    return talks


class Visitors:
    """Hand each client the next visitor no one has played yet, and keep the distinct paths answered."""

    def __init__(self, source: VisitorSource) -> None:
        self._stream = source.visitors()
        self._lock = threading.Lock()
        self.played = 0
        self.paths: set[str] = set()

    def next(self) -> list[str]:
        with self._lock:
            self.played += 1
            return next(self._stream)

    def sent(self, path: str) -> None:
        with self._lock:
            self.paths.add(path)


def drive_visitors(port: int, clients: int, visitors: Visitors, *, seconds: float, tally: Tally) -> float:
    """Let this many clients play visitors until the time runs out; return the elapsed seconds."""
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = None
        while time.monotonic() < deadline:
            for path in visitors.next():
                if time.monotonic() >= deadline:
                    break
                connection, answered = get_once(connection, port, path, HTMX, tally)
                if answered:
                    visitors.sent(path)
        if connection is not None:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return time.perf_counter() - started


def figures_of(tally: Tally, elapsed: float) -> dict:
    """Return requests, requests/s, p50/p99 ms and the errors a run saw."""
    done = sum(tally.statuses.values())
    return {"requests": done, "per_second": round(done / elapsed, 1),
            "p50_ms": round(percentile(tally.latencies, 0.5) * 1000, 1),
            "p99_ms": round(percentile(tally.latencies, 0.99) * 1000, 1),
            "max_ms": round(max(tally.latencies, default=0.0) * 1000, 1),
            "statuses": {str(code): count for code, count in tally.statuses.items()},
            "socket_errors": dict(tally.socket_errors), "failures": tally.failures}


def write_import_file(path: Path, count: int) -> Path:
    """Write count new talks (slugs no generated corpus uses) as an organiser's import file."""
    records = []
    for number, record in enumerate(CorpusGenerator(count).records()):
        records.append({**record, "slug": f"conference-{number:06d}"})
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return path


def flask_command(environment: dict, *arguments: str, **options) -> subprocess.Popen:
    """Start `flask` with the site's settings in the project folder."""
    return subprocess.Popen([sys.executable, "-m", "flask", *arguments], cwd=PROJECT, env=environment,
                            start_new_session=True, **options)


def run(database_url: str, work: Path, *, talks: int, clients: list[int], seconds: float, import_talks: int,
        log=print) -> dict:
    """Build the site, serve it with its follower, and drive it; return the figures of each run."""
    index_dir = work / "index"
    started = time.perf_counter()
    prepare_site(database_url, index_dir, talks)
    log(f"site of {talks:,} talks ready in {time.perf_counter() - started:.0f} s")
    archive = site_talks(database_url, index_dir)
    visitors = Visitors(VisitorSource(archive))
    settings = {"INDEX_CHECK_SECONDS": "1"}
    environment = {**os.environ, "DATABASE_URL": database_url, "INDEX_DIR": str(index_dir),
                   "SEED_ON_EMPTY": "0", "SECRET_KEY": "load-test-" + "k" * 32, "LOG_LEVEL": "warning", **settings}
    figures: dict = {"talks": talks, "runs": {}}
    with open(work / "follower.log", "wb") as follower_log:
        follower = flask_command(environment, "index", "follow", stdout=follower_log, stderr=subprocess.STDOUT)
    try:
        with Server(database_url, index_dir, work / "gunicorn.log", LOG_LEVEL="warning", **settings) as server:
            server.wait_until_answering()
            # Unmeasured: every worker opens its searcher and reads its first pages.
            drive_visitors(server.port, 8, Visitors(VisitorSource(archive, seed=1)), seconds=3, tally=Tally())
            for count in clients:
                tally = Tally()
                elapsed = drive_visitors(server.port, count, visitors, seconds=seconds, tally=tally)
                figures["runs"][f"{count}"] = figures_of(tally, elapsed)
                log(f"{count} clients: {figures['runs'][f'{count}']}")
            if import_talks:
                count = max(clients)
                path = write_import_file(work / "conference.yaml", import_talks)
                tally = Tally()
                importing: dict = {}

                def organiser() -> None:
                    began = time.perf_counter()
                    done = flask_command(environment, "import-talks", str(path), stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
                    output, _ = done.communicate(timeout=600)
                    importing.update(seconds=round(time.perf_counter() - began, 2), status=done.returncode,
                                     output=output.decode(errors="replace").strip().splitlines()[-1:])

                thread = threading.Thread(target=organiser, daemon=True)
                thread.start()
                elapsed = drive_visitors(server.port, count, visitors, seconds=seconds, tally=tally)
                thread.join(600)
                name = f"{count} while importing {import_talks:,}"
                figures["runs"][name] = figures_of(tally, elapsed) | {"import": importing}
                log(f"{name}: {figures['runs'][name]}")
        figures["worker_deaths"] = server.worker_deaths()
    finally:
        follower.terminate()
        try:
            follower.wait(timeout=30)
        except subprocess.TimeoutExpired:
            follower.kill()
    figures["visitors"] = visitors.played
    figures["distinct_paths"] = len(visitors.paths)
    return figures


def fresh_schema(url: str) -> tuple[str, str]:
    """Create a schema of its own in a PostgreSQL database; return the URL into it and its name."""
    schema = f"load_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", schema


def drop_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--clients", default="8,64")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--import-talks", type=int, default=1000, help="talks an organiser imports under load (0: none)")
    parser.add_argument("--database", default="", help="a PostgreSQL URL (a schema of its own is made), else SQLite")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="meetup-visitors-") as scratch:
        work = Path(scratch)
        schema = None
        database_url = f"sqlite:///{work / 'meetup.sqlite3'}"
        if args.database:
            database_url, schema = fresh_schema(args.database)
        try:
            figures = run(database_url, work, talks=args.talks, clients=[int(n) for n in args.clients.split(",")],
                          seconds=args.seconds, import_talks=args.import_talks,
                          log=lambda line: print(line, file=sys.stderr, flush=True))
        finally:
            if schema:
                drop_schema(args.database, schema)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(json.dumps(figures | {"load_average": load}, indent=2))
    failures = sum(run["failures"] for run in figures["runs"].values()) + len(figures["worker_deaths"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
