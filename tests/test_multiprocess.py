"""Two real app processes, each with its own index directory, on one database: both stay fresh.

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

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
CARD = re.compile(r'data-slug="([^"]+)"')


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


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read()}")
        try:
            if fetch(url + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy")


@pytest.fixture
def environment(database_url, tmp_path):
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-" + "k" * 32, "MEETUP_ENV": "production",
            "INDEX_CHECK_SECONDS": "1", "MEETUP_INSTANCE_PATH": str(tmp_path / "instance")}


@pytest.fixture
def nodes(environment, tmp_path):
    """Start two gunicorn nodes (two workers each) with separate index directories."""
    started = []
    for name in ("a", "b"):
        port = free_port()
        env = {**environment, "INDEX_DIR": str(tmp_path / f"index-{name}"), "BIND": f"127.0.0.1:{port}",
               "WEB_WORKERS": "2", "WEB_THREADS": "1"}
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started.append((f"http://127.0.0.1:{port}", process, env))
    try:
        for url, process, _env in started:
            wait_until_serving(url, process)
        yield started
    finally:
        for _url, process, _env in started:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()


def test_an_import_on_one_node_reaches_both_without_errors_or_empty_results(nodes, tmp_path):
    (url_a, _, env_a), (url_b, _, _) = nodes
    talk_file = tmp_path / "new.yaml"
    talk_file.write_text("- title: Ingeniería del caos con Litmus\n  language: es\n  abstract: Experimentos de caos.\n")
    imported = subprocess.run([sys.executable, "-m", "flask", "import-talks", str(talk_file)], cwd=ROOT, env=env_a,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    pending = {url_a, url_b}
    deadline = time.monotonic() + 30
    while pending and time.monotonic() < deadline:
        for url in sorted(pending):
            status, html = fetch(url + "/?q=kubernetes")
            assert status == 200 and CARD.findall(html), f"{url}: an existing word found nothing ({status})"
            status, html = fetch(url + "/?q=litmus")
            assert status == 200
            if CARD.findall(html) == ["ingenieria-del-caos-con-litmus"]:
                pending.discard(url)
        time.sleep(0.2)
    assert not pending, f"still behind after 30 s: {pending}"
    for url in (url_a, url_b):
        status, body = fetch(url + "/healthz")
        assert status == 200 and '"index":"ok"' in body.replace(" ", "")
