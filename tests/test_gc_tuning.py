"""The collector of a serving worker: young collections in small batches, full ones only between requests."""
from __future__ import annotations

import gc
import weakref

import pytest

from meetup import gc_tuning


@pytest.fixture(autouse=True)
def restored_collector(monkeypatch):
    """Give each test the collector as it was, with nothing frozen before or after it."""
    thresholds = gc.get_threshold()
    monkeypatch.setattr(gc_tuning, "_full_collections", 0)
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_freezes_what_is_alive_and_leaves_full_collections_for_later():
    kept = [[] for _ in range(100)]
    gc_tuning.settle()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_threshold() == (gc_tuning.YOUNG_THRESHOLD, gc_tuning.MIDDLE_THRESHOLD,
                                  gc_tuning.OLD_THRESHOLD_OFF)


@pytest.mark.parametrize("middle_collections, runs", [
    (0, False),
    (gc_tuning.FULL_EVERY - 1, False),
    (gc_tuning.FULL_EVERY, True),
    (gc_tuning.FULL_EVERY + 5, True),
])
def test_a_full_collection_runs_between_requests_only_when_due(middle_collections, runs):
    gc.collect()
    for _ in range(middle_collections):
        gc.collect(1)
    kept = [[] for _ in range(100)]
    frozen_before = gc.get_freeze_count()
    assert gc_tuning.collect_between_requests() is runs
    if runs:
        assert gc.get_count()[2] == 0
        assert gc.get_freeze_count() >= frozen_before + len(kept)
    else:
        assert gc.get_freeze_count() == frozen_before


@pytest.mark.parametrize("full_collections, freed", [(1, False), (2, False), (3, True), (4, True)])
def test_cycles_that_became_garbage_after_a_freeze_are_swept_now_and_then(monkeypatch, full_collections, freed):
    monkeypatch.setattr(gc_tuning, "SWEEP_EVERY", 3)

    class Node:
        pass

    node = Node()
    node.itself = node  # a cycle: reference counting alone never frees it
    alive = weakref.ref(node)
    gc.collect()
    gc.freeze()
    del node
    for _ in range(full_collections):
        for _ in range(gc_tuning.FULL_EVERY):
            gc.collect(1)
        assert gc_tuning.collect_between_requests()
    assert (alive() is None) is freed
