"""Load the real gunicorn with the shipped configuration and count what went wrong.

Used by tests/test_gunicorn_load.py (short, in the suite) and by hand for longer runs:

    .venv/bin/python -m tests.gunicorn_load --talks 1000 --seconds 20 --clients 8,64 [--database URL]

A run fails on any worker death (gunicorn's "Worker was sent SIG…", "Worker exited", a faulthandler
stack), any socket error and any non-2xx answer.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90.0
# Lines gunicorn or faulthandler write when a worker dies or crashes.
WORKER_DEATH = re.compile(
    r"Worker \(pid:\d+\) was sent SIG(?!TERM)\w+|Worker \(pid:\d+\) exited|WORKER TIMEOUT|Fatal Python error"
    r"|Segmentation fault|Worker failed to boot"
)
TYPED = ["kubernetes en producción", "observabilidad de sistemas", "chaos engineering failures",
         "migración base datos", "incident postmortem lessons", "lopez kubernetes clusters"]


def typing_paths() -> list[str]:
    """Return the fragment requests a visitor typing the searches above sends, one per keystroke."""
    paths = []
    for text in TYPED:
        for length in range(1, len(text) + 1):
            paths.append("/?" + urllib.parse.urlencode({"q": text[:length]}))
    # Pages that load talks without searching, as visitors also open them.
    paths += ["/", "/?lang=es", "/api/talks?q=kube", "/speakers/", "/talks/talk-000001"]
    return paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_site(database_url: str, index_dir: Path, talks: int) -> None:
    """Fill an empty database with a generated corpus of this many talks and build its index."""
    from meetup import create_app
    from meetup.catalog.store import import_records
    from meetup.catalog.db import get_session
    from meetup.indexing.serving import talk_index
    from meetup.indexing.sync import rebuild_index
    from meetup.catalog.formats import read_talk_file
    from tests.benchmarks.corpus import write_corpus

    app = create_app({"DATABASE_URL": database_url, "INDEX_DIR": str(index_dir), "SECRET_KEY": "x" * 32,
                      "SEED_ON_EMPTY": False})
    with app.app_context():
        for path in write_corpus(talks, index_dir.parent / "corpus"):
            session = get_session()
            import_records(session, read_talk_file(path))
            session.close()
        session = get_session()
        rebuild_index(session, talk_index())
        session.close()
    app.extensions["meetup_index"].close()
    app.extensions["meetup_engine"].dispose()


@dataclass
class Tally:
    """What the clients saw."""

    statuses: Counter = field(default_factory=Counter)
    socket_errors: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | None, error: str | None, seconds: float) -> None:
        with self.lock:
            if error:
                self.socket_errors[error] += 1
            else:
                self.statuses[status] += 1
                self.latencies.append(seconds)

    @property
    def failures(self) -> int:
        return sum(self.socket_errors.values()) + sum(n for code, n in self.statuses.items() if not 200 <= code < 300)



TYPING_HEADERS = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}


def get_once(connection: http.client.HTTPConnection | None, port: int, path: str, headers: dict,
             tally: Tally) -> tuple[http.client.HTTPConnection | None, bool]:
    """GET path on a keep-alive connection (opened if None), count it; return the connection to reuse and success."""
    started = time.perf_counter()
    try:
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        tally.add(response.status, None, time.perf_counter() - started)
        if response.will_close:
            connection.close()
            connection = None
        return connection, True
    except (OSError, http.client.HTTPException) as error:
        tally.add(None, type(error).__name__, time.perf_counter() - started)
        if connection is not None:
            connection.close()
        return None, False

def drive(port: int, clients: int, *, seconds: float, max_requests: int, tally: Tally) -> float:
    """Send typing requests from this many keep-alive clients until time or the count runs out; return elapsed s."""
    paths = typing_paths()
    deadline = time.monotonic() + seconds
    budget = iter(range(max_requests))
    budget_lock = threading.Lock()

    def client(number: int) -> None:
        connection = None
        position = number * 7
        while time.monotonic() < deadline:
            with budget_lock:
                if next(budget, None) is None:
                    break
            path = paths[position % len(paths)]
            position += 1
            connection, _ = get_once(connection, port, path, TYPING_HEADERS, tally)
        if connection is not None:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return time.perf_counter() - started


def burst(port: int, count: int) -> Tally:
    """Send count requests at once, each on its own connection, as a server just started may get."""
    tally = Tally()
    ready = threading.Barrier(count)

    def one(number: int) -> None:
        path = typing_paths()[number * 5 % len(typing_paths())]
        ready.wait()
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            tally.add(response.status, None, time.perf_counter() - started)
        except (OSError, http.client.HTTPException) as error:
            tally.add(None, type(error).__name__, time.perf_counter() - started)

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return tally


class Server:
    """gunicorn with gunicorn.conf.py on a free port of 127.0.0.1, its log in a file; stopped on exit."""

    def __init__(self, database_url: str, index_dir: Path, log_path: Path, **environment: str) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.env = {
            **os.environ, "BIND": f"127.0.0.1:{self.port}", "MEETUP_ENV": "production",
            "SECRET_KEY": "load-test-" + "k" * 32, "DATABASE_URL": database_url, "INDEX_DIR": str(index_dir),
            "SEED_ON_EMPTY": "0", "LOG_LEVEL": "info", "MEETUP_INSTANCE_PATH": str(index_dir.parent / "instance"),
            **environment,
        }
        self.process: subprocess.Popen | None = None
        self.log_start = self.log_end = 0

    def __enter__(self) -> Server:
        self.log_start = len(self.log()) if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=PROJECT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        return self

    def wait_until_answering(self) -> None:
        """Wait until the port accepts connections (not until the site is healthy: the burst must come first)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log()[-3000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("gunicorn did not start:\n" + self.log()[-3000:])

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_deaths(self) -> list[str]:
        """Return the lines that tell of a worker dying while serving (stopping the server is not one)."""
        return WORKER_DEATH.findall(self.log()[self.log_start:self.log_end])

    def __exit__(self, *_exc) -> None:
        self.log_end = len(self.log())
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run(database_url: str, work: Path, *, clients: list[int], seconds: float, starts: int, max_requests: int,
        log=print, **environment: str) -> dict:
    """Start the server `starts` times with a 40-request burst, then drive it at each client count."""
    figures: dict = {"starts": [], "load": {}, "worker_deaths": []}
    failures = 0
    log_path = work / "gunicorn.log"
    for start in range(starts):
        with Server(database_url, work / "index", log_path, **environment) as server:
            server.wait_until_answering()
            tally = burst(server.port, 40)
            failures += tally.failures
            figures["starts"].append({"statuses": dict(tally.statuses), "socket_errors": dict(tally.socket_errors)})
            log(f"start {start + 1}: burst of 40 {dict(tally.statuses)} socket errors {dict(tally.socket_errors)}")
            if start == starts - 1:
                for count in clients:
                    tally = Tally()
                    elapsed = drive(server.port, count, seconds=seconds, max_requests=max_requests, tally=tally)
                    failures += tally.failures
                    done = sum(tally.statuses.values())
                    figures["load"][count] = {
                        "requests": done, "per_second": round(done / elapsed, 1),
                        "p50_ms": round(percentile(tally.latencies, 0.5) * 1000, 1),
                        "p99_ms": round(percentile(tally.latencies, 0.99) * 1000, 1),
                        "statuses": dict(tally.statuses), "socket_errors": dict(tally.socket_errors),
                    }
                    log(f"{count} clients: {figures['load'][count]}")
        figures["worker_deaths"] += server.worker_deaths()
    figures["failures"] = failures + len(figures["worker_deaths"])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", default="8,64")
    parser.add_argument("--starts", type=int, default=3, help="server starts, each with a burst of 40 requests")
    parser.add_argument("--database", default="", help="a SQLAlchemy URL of an empty database (default: SQLite)")
    parser.add_argument("--work-dir", default="/tmp/meetup-load")
    args = parser.parse_args(argv)
    work = Path(args.work_dir)
    database_url = args.database or f"sqlite:///{work / 'meetup.sqlite3'}"
    marker = work / f"prepared-{args.talks}-{re.sub(r'[^a-z0-9]', '_', database_url)[:80]}"
    if not marker.exists():
        work.mkdir(parents=True, exist_ok=True)
        prepare_site(database_url, work / "index", args.talks)
        marker.touch()
    (work / "gunicorn.log").unlink(missing_ok=True)
    figures = run(database_url, work, clients=[int(n) for n in args.clients.split(",")], seconds=args.seconds,
                  starts=args.starts, max_requests=10**9)
    print(f"worker deaths: {len(figures['worker_deaths'])} {figures['worker_deaths']}")
    print(f"failures: {figures['failures']} (log: {work / 'gunicorn.log'})")
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
