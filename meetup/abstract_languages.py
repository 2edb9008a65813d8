"""Detect the language of many abstracts at once, in worker processes when there are enough to pay for them.

py3langid walks each text byte by byte in Python (about a third of a millisecond per abstract), so
a 10,000-talk import spends seconds here; the texts are independent, so they spread over the cores.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from .languages import detect_language

PARALLEL_FROM = 2_000  # below this, starting the workers costs more than it saves
CHUNK = 250


def detect_languages(texts: list[str]) -> list[str | None]:
    """Return detect_language of each text, in order."""
    processes = min(4, os.cpu_count() or 1)
    if len(texts) < PARALLEL_FROM or processes < 2:
        return [detect_language(text) for text in texts]
    # spawn, not fork: the importing process holds a database connection in a transaction.
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        return list(pool.map(detect_language, texts, chunksize=CHUNK))
