"""The writers' door to a node's search index: the organisers' commands and the follower, never a web process.

Web processes read through `serving`. A writer opens the index here, apart from any reader, and
writes under the index directory's writer lock, so one writer at a time changes it; the follower
also holds the node's follower lock, so each node has one follower.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from ..search import TalkIndex
from ..settings import settings_of

# How long a command waits for another writer (the follower, another command) before saying the index is busy.
COMMAND_WAIT_SECONDS = 3.0


def index_for_writing(app: Flask, wait: float = COMMAND_WAIT_SECONDS) -> TalkIndex:
    """Open this node's index for writing, waiting up to wait seconds for another writer's lock."""
    return TalkIndex(settings_of(app).index_dir, writer_timeout=wait)


@contextmanager
def writing_index(wait: float = COMMAND_WAIT_SECONDS) -> Iterator[TalkIndex]:
    """Give a command this node's index to write, and close its files when the command is done."""
    index = index_for_writing(current_app, wait)
    try:
        yield index
    finally:
        index.close()
