"""The index directory on disk: generation directories, the live link, metadata and the writer lock."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from .whoosh_adapter import is_whoosh_lock

GENERATIONS_KEPT = 2
GEN_PREFIX = "gen-"
LIVE_LINK = "current"
LOCK_FILE = ".write.lock"
META_FILE = "meta.json"
LOCK_POLL_SECONDS = 0.05


class IndexBusy(Exception):
    """Another writer holds the index lock."""


class IndexMissing(Exception):
    """No live index generation exists yet."""


def now_iso() -> str:
    """Return the current UTC time in ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class IndexDirectory:
    """The directory holding every generation of the index and the `current` link to the live one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Read on every search: a string, not a Path joined each time (a fifth of the readlink's cost).
        self._live_link = os.fspath(path / LIVE_LINK)
        self._holder = threading.local()

    @contextmanager
    def write_lock(self, timeout: float) -> Iterator[None]:
        """Hold the directory-wide writer lock, or raise IndexBusy after timeout seconds.

        A thread that already holds it takes it again at once, so a writer can check what the
        index holds and then change it without another writer slipping in between.
        """
        if getattr(self._holder, "depth", 0):
            self._holder.depth += 1
            try:
                yield
            finally:
                self._holder.depth -= 1
            return
        self.path.mkdir(parents=True, exist_ok=True)
        # flock belongs to the open file, so threads of one process exclude each other too.
        with open(self.path / LOCK_FILE, "a+b") as lock_file:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            "index busy: another reindex or import is writing it; try again shortly"
                        ) from None
                    time.sleep(LOCK_POLL_SECONDS)
            self._holder.depth = 1
            try:
                yield
            finally:
                self._holder.depth = 0
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def live_name(self) -> str | None:
        """Return the live generation's name (one readlink), or None when there is none."""
        try:
            return os.path.basename(os.readlink(self._live_link))
        except OSError:
            return None

    def generation_path(self, name: str) -> Path:
        """Return the path of a generation directory."""
        return self.path / name

    def generation_names(self) -> list[str]:
        """List generation directory names, oldest first."""
        numbered = [
            entry.name for entry in os.scandir(self.path)
            if entry.name.startswith(GEN_PREFIX) and entry.name[len(GEN_PREFIX):].isdigit()
            and entry.is_dir(follow_symlinks=False)
        ] if self.path.is_dir() else []
        return sorted(numbered, key=lambda name: int(name[len(GEN_PREFIX):]))

    def new_generation(self) -> Path:
        """Create an empty generation directory numbered above every existing one."""
        existing = [int(name[len(GEN_PREFIX):]) for name in self.generation_names()]
        number = max([time.time_ns(), *(number + 1 for number in existing)])
        path = self.path / f"{GEN_PREFIX}{number:020d}"
        path.mkdir()
        return path

    def copy_generation(self, name: str) -> Path:
        """Create a new generation holding hard links to every file of generation name.

        Whoosh never changes a file once written (a commit adds new segment and table of contents
        files, and our metadata and vocabulary are replaced by rename), so the copy can be changed
        and swapped in while the original stays exactly as it was.
        """
        source = self.generation_path(name)
        target = self.new_generation()
        try:
            for entry in os.scandir(source):
                # Whoosh's lock file belongs to its own generation; the copy gets its own.
                if entry.is_file(follow_symlinks=False) and not is_whoosh_lock(entry.name):
                    os.link(entry.path, target / entry.name)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        return target

    def make_live(self, name: str) -> None:
        """Point the live link at a generation atomically (symlink aside, then rename over)."""
        temporary = self.path / f".{LIVE_LINK}.{os.getpid()}.{threading.get_ident()}.tmp"
        temporary.unlink(missing_ok=True)
        os.symlink(name, temporary)
        os.replace(temporary, self.path / LIVE_LINK)

    def prune(self) -> None:
        """Delete generations other than the live one and the GENERATIONS_KEPT before it."""
        live = self.live_name()
        names = self.generation_names()
        if live not in names:
            return
        position = names.index(live)
        doomed = names[: max(0, position - GENERATIONS_KEPT)]
        # Anything newer than live is a build that died before its swap (we hold the lock).
        doomed += names[position + 1:]
        for name in doomed:
            # Readers keep already open files of a deleted generation readable on POSIX.
            shutil.rmtree(self.path / name, ignore_errors=True)

    def read_meta(self, name: str) -> dict[str, Any] | None:
        """Read a generation's metadata, or None when absent or unreadable."""
        try:
            meta = json.loads((self.path / name / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def write_meta(self, name: str, meta: dict[str, Any]) -> None:
        """Replace a generation's metadata file atomically."""
        temporary = self.path / name / f".{META_FILE}.tmp"
        temporary.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(temporary, self.path / name / META_FILE)
