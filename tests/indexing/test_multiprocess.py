"""Real gunicorn nodes and followers on one database: workers only read, one follower per node writes.

This is the deployment model: the database is the truth and each node's index a cache of it.
Runs on PostgreSQL when TEST_DATABASE_URL is set, else on a shared SQLite file.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.html import card_slugs

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
WRITES = re.compile(r"index caught up with the database|built it from the database")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(url: str, process: subprocess.Popen, log: Path, healthy: bool, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            status = fetch(url + "/healthz")[0]
            if status == 200 or not healthy:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer")


@pytest.fixture
def start(database_url, tmp_path):
    """Start gunicorn nodes (two workers each) and followers; each logs to a file of its own."""
    started: list[subprocess.Popen] = []
    base = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-" + "k" * 32, "MEETUP_ENV": "production",
            "INDEX_CHECK_SECONDS": "0.5", "MEETUP_INSTANCE_PATH": str(tmp_path / "instance")}

    def launch(kind: str, index_dir: Path) -> tuple[str, Path, dict]:
        log = tmp_path / f"{kind}-{len(started)}.log"
        env = {**base, "INDEX_DIR": str(index_dir)}
        url = ""
        if kind == "web":
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            env.update(BIND=f"127.0.0.1:{port}", WEB_WORKERS="2", WEB_THREADS="1")
            command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        else:
            command = [sys.executable, "-m", "flask", "index", "follow"]
        with open(log, "w") as output:
            started.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT))
        return url, log, env

    yield launch, started
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def import_on_another_node(env: dict, tmp_path: Path, title: str) -> None:
    talk_file = tmp_path / "new.yaml"
    talk_file.write_text(f"- title: {title}\n  language: es\n  abstract: Experimentos de caos.\n")
    other = {**env, "INDEX_DIR": str(tmp_path / "index-elsewhere")}
    imported = subprocess.run([sys.executable, "-m", "flask", "import-talks", str(talk_file)], cwd=ROOT, env=other,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stdout + imported.stderr


def test_two_workers_and_a_follower_apply_each_change_once_and_workers_never_write(start, tmp_path):
    launch, started = start
    index_dir = tmp_path / "index-a"
    url, web_log, env = launch("web", index_dir)
    _, follower_log, _ = launch("follower", index_dir)
    wait_until(url, started[0], web_log, healthy=True)
    import_on_another_node(env, tmp_path, "Ingeniería del caos con Litmus")
    deadline = time.monotonic() + 60  # generous: the machine may be busy
    found: list[str] = []
    while time.monotonic() < deadline and found != ["ingenieria-del-caos-con-litmus"]:
        status, html = fetch(url + "/?q=kubernetes")
        assert status == 200 and card_slugs(html), f"found nothing ({status}): {web_log.read_text()[-2000:]}"
        status, html = fetch(url + "/?q=litmus")
        assert status == 200
        found = card_slugs(html)
        time.sleep(0.2)
    assert found == ["ingenieria-del-caos-con-litmus"], follower_log.read_text()[-2000:]
    time.sleep(1.5)  # a few more polls: nothing is applied again
    status, body = fetch(url + "/healthz")
    assert status == 200 and '"index":"ok"' in body.replace(" ", "")
    followed = follower_log.read_text()
    assert len(re.findall("built it from the database", followed)) == 1, followed
    assert followed.count("index caught up with the database: 1 added, 0 updated, 0 removed") == 1, followed
    assert not WRITES.search(web_log.read_text())
    started[1].terminate()  # as a service manager stops it
    assert started[1].wait(timeout=30) == 0, follower_log.read_text()[-2000:]


def test_without_an_index_or_a_follower_workers_serve_the_database_and_answer_503_to_search(start, tmp_path):
    launch, started = start
    index_dir = tmp_path / "index-b"
    url, web_log, _env = launch("web", index_dir)
    wait_until(url, started[0], web_log, healthy=False)
    for _ in range(10):
        assert fetch(url + "/")[0] == 200
        assert fetch(url + "/talks/postmortems-at-flywire")[0] == 200
        assert fetch(url + "/?q=kubernetes")[0] == 503
        assert fetch(url + "/api/talks?q=kubernetes")[0] == 503
    status, body = fetch(url + "/healthz")
    assert status == 503 and '"index":"missing"' in body.replace(" ", "")
    assert not index_dir.exists() or not list(index_dir.glob("gen-*"))
    assert not WRITES.search(web_log.read_text())
