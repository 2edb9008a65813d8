"""Rendered search fragments kept in memory, so a prefix anyone has typed costs a lookup.

A fragment is keyed by everything it is made from: the database's content version and the
live index's generation and commit (so an import or a reindex is never hidden by an old
fragment), the visitor's search and filters and page, the interface language and the
address the site is served under. The cache is bounded in bytes and forgets the least
recently used fragment first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import Flask, current_app

from ..settings import settings_of


class FragmentCache:
    """Bytes by key, least recently used out first once their total passes max_bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.nbytes = 0
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        """Return the fragment stored under key, marking it recently used, or None."""
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Store a fragment, forgetting the least recently used ones beyond the bound."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.nbytes -= len(previous)
            self._entries[key] = body
            self.nbytes += len(body)
            while self.nbytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.nbytes -= len(dropped)

    def clear(self) -> None:
        """Forget every fragment."""
        with self._lock:
            self._entries.clear()
            self.nbytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def fragment_cache() -> FragmentCache:
    """Return this process's fragment cache."""
    return current_app.extensions["meetup_fragments"]


def init_app(app: Flask) -> None:
    app.extensions["meetup_fragments"] = FragmentCache(settings_of(app).fragment_cache_bytes)
