"""A parallel rebuild's worker processes end with the process that started them, even under kill -9."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from meetup.search.build import build_processes

ROOT = Path(__file__).resolve().parents[2]
# An endless parallel rebuild: chunks big enough that each worker is busy for a long while.
ENDLESS_BUILD = textwrap.dedent("""
    import itertools, sys
    from pathlib import Path
    from meetup.search import build
    build.PARALLEL_FROM, build.CHUNK_TALKS = 10, 20_000
    talks = (build.IndexedTalk(slug=f"talk-{n}", title=f"Talk {n} on kubernetes", abstract="observability " * 40,
                               speakers=("Ana",), lang="en", date_key=n) for n in itertools.count())
    build.fill_generation(Path(sys.argv[1]), talks, None)
""")


def process_table() -> dict[int, tuple[int, str]]:
    """Return pid -> (parent pid, state) for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            table[int(entry)] = (int(fields[1]), fields[0])
    return table


def descendants(pid: int) -> set[int]:
    table = process_table()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _state) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    table = process_table()
    # A zombie has ended; it only waits for whoever adopted it to collect its status.
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists() or build_processes() < 2,
                    reason="needs Linux /proc and at least two cores")
def test_kill_9_of_a_parallel_rebuild_ends_its_worker_processes(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", ENDLESS_BUILD, str(tmp_path)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        children: set[int] = set()
        while len(children) < build_processes() and time.monotonic() < deadline:
            assert parent.poll() is None, "the build stopped by itself"
            time.sleep(0.2)
            children = descendants(parent.pid)
        assert len(children) >= build_processes(), f"no worker processes started: {children}"
        time.sleep(1.0)  # let the workers get busy with their chunks
        children = descendants(parent.pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 5
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive(children)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} worker process(es) outlived their killed parent"
