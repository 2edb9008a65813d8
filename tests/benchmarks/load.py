"""A bounded load run: gunicorn with the production settings on 127.0.0.1, driven by wrk."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from .queries import all_requests

PROJECT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0
WARM_UP_SECONDS = 5

# The floor: a small static file through the same server, what the fragment could cost at best.
STATIC_PATH = "/static/favicon.svg"

LUA = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  return wrk.format("GET", path, {["HX-Request"] = "true", ["HX-Trigger-Name"] = "q", ["HX-Target"] = "results"})
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lua_script(directory: Path, paths: list[str], name: str) -> Path:
    script = directory / f"{name}.lua"
    script.write_text(LUA % ", ".join(f'"{path}"' for path in paths), encoding="utf-8")
    return script


def _children(pid: int) -> list[int]:
    try:
        output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    return [int(line) for line in output.split()]


def _peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def _parse_wrk(output: str) -> dict:
    def millis(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    figures: dict = {"non_2xx": 0, "socket_errors": 0}
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figures["rps"] = float(found.group(1))
    if found := re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", output):
        figures["max"] = millis(found.group(3))
    for percent in ("50", "90", "99"):
        if found := re.search(rf"\s{percent}(?:\.000)?%\s+(\S+)", output):
            figures[f"p{percent}"] = millis(found.group(1))
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        figures["non_2xx"] = int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        figures["socket_errors"] = sum(int(number) for number in found.groups())
    if found := re.search(r"(\d+) requests in", output):
        figures["requests"] = int(found.group(1))
    return figures


def load_run(site, connections: list[int], seconds: int, log) -> dict:
    """Serve the site with gunicorn and hit it with wrk at each connection count; stop everything after."""
    if shutil.which("wrk") is None:
        log("  load run skipped: wrk is not installed (Debian package `wrk`)")
        return {}
    port = _free_port()
    env = {
        **os.environ, "BIND": f"127.0.0.1:{port}", "MEETUP_ENV": "production", "SECRET_KEY": "bench-" + "k" * 32,
        "DATABASE_URL": site.database_url, "INDEX_DIR": str(site.index_dir), "SEED_ON_EMPTY": "0",
        "LOG_LEVEL": "warning", "INDEX_CHECK_SECONDS": "3600",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with tempfile.TemporaryDirectory() as scratch:
        log_path = Path(scratch) / "gunicorn.log"
        with open(log_path, "wb") as server_log:
            server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py"], cwd=PROJECT, env=env,
                                      stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
        figures: dict = {}
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not start:\n" + log_path.read_text(errors="replace")[-2000:])
                    time.sleep(0.5)
            searches = [f"/?{urlencode({'q': text, 'lang': lang})}" for lang in ("", "es") for _, text in all_requests()]
            scripts = {"site": _lua_script(Path(scratch), searches, "site"),
                       "static": _lua_script(Path(scratch), [STATIC_PATH], "static")}

            def wrk(count: int, duration: int, script: Path = scripts["site"]) -> str:
                command = ["wrk", "-t", "2", "-c", str(count), "-d", f"{duration}s", "--latency",
                           "--timeout", "10s", "-s", str(script), base]
                return subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout

            # Unmeasured: every worker opens its searcher, as a server that has been up a while has.
            wrk(8, WARM_UP_SECONDS)
            for kind, script in scripts.items():
                for count in connections:
                    output = wrk(count, seconds, script)
                    name = f"{kind}/{count}"
                    figures[name] = _parse_wrk(output)
                    figures[name]["socket_error_detail"] = " ".join(re.findall(r"Socket errors:.*", output))
                    log(f"  wrk {name} connections: {figures[name]}")
            workers = _children(server.pid)
            figures["rss_mb"] = max((_peak_rss_mb(pid) for pid in workers), default=0.0)
            figures["master_rss_mb"] = _peak_rss_mb(server.pid)
            figures["workers"] = len(workers)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    return figures
