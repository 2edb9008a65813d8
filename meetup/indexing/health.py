"""Ask, at most every few seconds, whether a node's live search index can be read (TalkIndex.problem answers)."""
from __future__ import annotations

import logging
import os
import threading
import time

from ..search import IndexMissing, TalkIndex

# How long a health answer is reused: the check opens the index, so not on every request.
CHECK_SECONDS = 5.0
log = logging.getLogger("meetup.index")


class IndexUnreadable(IndexMissing):
    """The live index exists but cannot be read (a truncated or corrupt file, say)."""


class IndexCheck:
    """Check a directory's live index at most every few seconds, and at once after a swap."""

    def __init__(self, directory: str | os.PathLike[str], seconds: float = CHECK_SECONDS) -> None:
        self.directory = directory
        self.seconds = seconds
        self._live = TalkIndex(directory)  # asked where the live link points, and whether it can be read
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
            found = self._live.problem()
            # Said once when it changes, not on every health check.
            if found is not None and (answer is None or answer[2] != found):
                log.error("search index check: %s", found)
            elif found is None and answer is not None and answer[2] is not None:
                log.info("search index check: %s readable again", live)
            self._answer = (live, time.monotonic(), found)
            return found

