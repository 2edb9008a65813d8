"""Garbage collection for a long-running web worker: no long pause inside a request.

A request allocates many short-lived objects, and each full collection walks every object the
worker keeps (templates, catalogues, index readers, its caches of cards, pages and word masks),
which are rarely garbage. Measured at 10,000 talks through the site's fragment (1,312 cold
requests, 2026-12-08, CPU time): young collections of 20,000 objects took up to 20 ms each
(about 0.5-1 µs an object), the middle ones 45-75 ms and full ones 60-130 ms. So:

- young collections run on 2,000 objects and middle ones on five of those: inside a request the
  longest then took 3 ms (young) and 5 ms (middle) of CPU, all of them 0.37 s instead of 0.99
  (wall clock, two passes; young collections of 5,000 objects and middle ones on ten: 8.5 and 16 ms);
- full collections never start inside a request: the server runs them after a response is sent
  (`collect_between_requests`, gunicorn.conf.py's post_request), and freezes what survives, so
  the next one only walks what was kept since;
- frozen objects that are dropped later (an evicted card, a closed index generation) are still
  freed by reference counting; only cycles wait, and a closed index generation leaves none
  (measured: 0 objects for the collector after closing one), so everything is unfrozen and swept
  only every SWEEP_EVERY full collections.
"""
from __future__ import annotations

import gc

YOUNG_THRESHOLD = 2_000
MIDDLE_THRESHOLD = 5
# Automatic full collections wait for this many middle ones: never, in practice.
OLD_THRESHOLD_OFF = 1_000_000
# Middle collections between two full ones (CPython's default is ten): each full one then walks
# only what two middle ones kept, 7 ms of CPU at most at 10,000 talks against 22 ms after ten.
FULL_EVERY = 2
# Full collections between two sweeps of the frozen objects too.
SWEEP_EVERY = 100

_full_collections = 0


def settle() -> None:
    """Freeze every object alive now, collect the young in smaller batches and keep full collections for later."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD_OFF)


def collect_between_requests() -> bool:
    """Run a full collection when one is due and freeze what survives; return whether one ran.

    Call it only when no request is in progress, so that nothing frozen is a request's garbage.
    """
    global _full_collections
    if gc.get_count()[2] < FULL_EVERY:
        return False
    _full_collections += 1
    if _full_collections % SWEEP_EVERY == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    return True
