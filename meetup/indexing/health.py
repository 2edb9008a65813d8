"""Tell whether a node's live search index can actually be read: open it afresh and search it."""
from __future__ import annotations

import logging
import os
import threading
import time

from ..search import IndexMissing, TalkIndex, verify_live_generation

# How long a health answer is reused: the check opens the index, so not on every request.
CHECK_SECONDS = 5.0
log = logging.getLogger("meetup.index")


class IndexUnreadable(IndexMissing):
    """The live index exists but cannot be read (a truncated or corrupt file, say)."""


def index_problem(directory: str | os.PathLike[str]) -> str | None:
    """Open the live generation in directory afresh and read from every segment; say what is wrong, or None."""
    probe = TalkIndex(directory, writer_timeout=0)
    name = probe.generation()
    if name is None:
        return f"no search index in {directory}"
    if not probe.is_readable():
        return f"the search index in {directory} ({name}) is incomplete or was built by an older version"
    try:
        verify_live_generation(directory)
    except Exception as error:  # a damaged file can raise nearly anything from deep inside Whoosh
        return f"the search index in {directory} ({name}) cannot be read: {type(error).__name__}: {error}"
    return None


class IndexCheck:
    """Check a directory's live index at most every few seconds, and at once after a swap."""

    def __init__(self, directory: str | os.PathLike[str], seconds: float = CHECK_SECONDS) -> None:
        self.directory = directory
        self.seconds = seconds
        self._live = TalkIndex(directory)  # only asked where the live link points
        self._lock = threading.Lock()
        self._answer: tuple[str | None, float, str | None] | None = None  # generation, when, problem

    def problem(self, recheck: bool = False) -> str | None:
        """Return what is wrong with the live index, or None; recheck ignores a cached "readable"."""
        live = self._live.generation()
        with self._lock:
            answer = self._answer
            fresh = (answer is not None and answer[0] == live
                     and time.monotonic() - answer[1] < self.seconds)
            if fresh and not (recheck and answer[2] is None):
                return answer[2]
            found = index_problem(self.directory)
            # Said once when it changes, not on every health check.
            if found is not None and (answer is None or answer[2] != found):
                log.error("search index check: %s", found)
            elif found is None and answer is not None and answer[2] is not None:
                log.info("search index check: %s readable again", live)
            self._answer = (live, time.monotonic(), found)
            return found

