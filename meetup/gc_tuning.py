"""Garbage collection for a long-running web worker: fewer, shorter pauses.

A request allocates many short-lived objects, so the default first-generation threshold (700)
runs a collection every few requests; and each full collection walks every object the app
made at start (templates, catalogues, index readers), which never become garbage.
"""
from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000


def settle() -> None:
    """Move every object alive now out of the collector's sight and collect the young less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
