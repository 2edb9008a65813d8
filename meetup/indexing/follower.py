"""The one writer of a node's search index: `flask index follow` builds it and keeps it in step.

The deployment runs one follower per node beside the web workers (which only read the index).
Every few seconds it compares the database's content version with the one the index records;
when the index is missing, unreadable, built by older code or behind, it rebuilds it or applies
the difference. A failure (database down, full disk, unwritable directory) is logged in one line
and retried later and later, up to a few minutes apart, never in a tight loop.
"""
from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from typing import IO

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..catalog.db import get_session
from ..catalog.seeding import load_seed_if_empty
from ..failures import explain
from ..search import IndexBusy
from ..settings import settings_of
from .sync import bring_in_step
from .writer import index_for_writing

FOLLOWER_LOCK = ".follower.lock"
MAX_RETRY_SECONDS = 300.0
log = logging.getLogger("meetup.index")


class IndexFollower:
    """Keep one node's index in step with the database, backing off while that fails."""

    def __init__(self, app: Flask, *, interval: float | None = None, max_delay: float = MAX_RETRY_SECONDS) -> None:
        self.app = app
        chosen = settings_of(app)
        self.interval = float(interval if interval is not None else chosen.index_check_seconds)
        self.max_delay = max(max_delay, self.interval)
        self.failures = 0
        self.retrying = True  # False for a single pass, whose failure ends the command
        self.holds_node = True  # False for a single pass, which runs even beside a follower
        self.index = index_for_writing(app, wait=self.interval)
        self._node_lock: IO[bytes] | None = None
        self._standing_by = False
        # Only at start, as a web process does: an archive emptied later on purpose stays empty.
        self._seed = chosen.seed_on_empty

    def step(self) -> float:
        """Seed an empty database, bring the index in step once; return the seconds until the next step."""
        try:
            with self.app.app_context():
                if self.holds_node and not self._hold_node():
                    return self.interval
                session = get_session()
                if self._seed and load_seed_if_empty(session):
                    log.info("loaded the shipped seed into the empty database")
                self._seed = False
                done = bring_in_step(session, self.index)
        except IndexBusy:
            log.info("index busy: another command on this node is writing it; looking again shortly")
            return self.interval
        except Exception as error:
            self.failures += 1
            delay = min(self.max_delay, self.interval * 2 ** (self.failures - 1))
            explained = explain(error, self.index.directory)
            later = f"; next attempt in {delay:.0f} s" if self.retrying else ""
            # A failure nobody foresaw is a bug: its traceback goes to the log too.
            log.error("index update failed (attempt %d): %s%s", self.failures,
                      explained or f"{type(error).__name__}: {error}", later, exc_info=explained is None)
            return delay
        if self.failures:
            log.info("index update succeeded after %d failed attempt(s)", self.failures)
            self.failures = 0
        if done:
            log.info("%s", done)
        return self.interval

    def run(self, stop: threading.Event) -> None:
        """Step until stop is set."""
        while not stop.is_set():
            stop.wait(self.step())
        self.close()

    def close(self) -> None:
        """Release the node lock and the index's files."""
        self.index.close()
        if self._node_lock is not None:
            self._node_lock.close()
            self._node_lock = None

    def _hold_node(self) -> bool:
        """Take this node's follower lock (kept until close); False while another follower has it."""
        directory = self.index.directory
        if self._node_lock is not None:
            if os.fstat(self._node_lock.fileno()).st_nlink > 0:
                return True
            # The index folder was deleted: a lock on a deleted file keeps out no other follower.
            self._node_lock.close()
            self._node_lock = None
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / FOLLOWER_LOCK, "a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            if not self._standing_by:
                log.info("another follower is keeping %s in step; standing by", directory)
            self._standing_by = True
            return False
        self._node_lock = handle
        return True


index_cli = AppGroup("index", help="Build this node's search index and keep it in step with the database.")


@index_cli.command("follow")
@click.option("--once", is_flag=True, help="Bring the index in step once and exit (1 when that failed).")
def follow_command(once: bool) -> None:
    """Build this node's index when it is missing and apply every change to the database, until stopped."""
    app = current_app._get_current_object()
    follower = IndexFollower(app)
    if once:
        follower.retrying = follower.holds_node = False
        follower.step()
        follower.close()
        if follower.failures:
            raise SystemExit(1)
        return
    log.info("following the database into %s (pid %d)", follower.index.directory, os.getpid())
    stop = threading.Event()
    # A service manager stops the follower with SIGTERM: finish the step under way, then leave.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        follower.run(stop)
    except KeyboardInterrupt:
        follower.close()


def init_app(app: Flask) -> None:
    app.cli.add_command(index_cli)
