"""Keep the search index (a cache) in step with the database (the truth).

The web process only reads the index; the organisers' commands write it. When a web process
finds no readable index at start, it builds one from the database and says why in the log.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .catalog import import_records
from .db import get_session
from .models import Talk, content_version
from .search import IndexBusy, IndexedTalk, TalkIndex
from .talkfile import read_talk_file

SEED_FILE = Path(__file__).parent / "data" / "talks.yaml"
STREAM_BATCH = 500


def indexed_talk(talk: Talk) -> IndexedTalk:
    """Return the plain data the index holds for a talk."""
    return IndexedTalk(
        slug=talk.slug,
        title=talk.title,
        abstract=talk.abstract,
        speakers=tuple(talk.speaker_names),
        lang=talk.language,
        date_key=talk.date.sort_key,
    )


def stream_talks(session: Session) -> Iterable[IndexedTalk]:
    """Yield every talk for indexing, reading rows in batches rather than all at once."""
    query = select(Talk).options(selectinload(Talk.appearances)).order_by(Talk.id)
    for talk in session.scalars(query.execution_options(yield_per=STREAM_BATCH)):
        yield indexed_talk(talk)


def talk_index() -> TalkIndex:
    """Return this process's index reader, opened once."""
    return current_app.extensions["meetup_index"]


def rebuild_index(
    session: Session, index: TalkIndex, on_progress: Callable[[int], None] | None = None
) -> int:
    """Build a new index generation from the whole database and swap it in; return the count."""
    version = content_version(session)
    return index.rebuild(stream_talks(session), version=version, on_progress=on_progress)


def update_index(session: Session, index: TalkIndex, changed: Iterable[str], removed: Iterable[str]) -> None:
    """Bring the index up to date for the talks an import changed; rebuild when there is no index."""
    if not index.is_readable():
        rebuild_index(session, index)
        return
    changed = list(changed)
    talks = session.scalars(
        select(Talk).options(selectinload(Talk.appearances)).where(Talk.slug.in_(changed))
    ) if changed else []
    index.apply([indexed_talk(talk) for talk in talks], list(removed), version=content_version(session))


@dataclass
class Drift:
    """How the index differs from the database."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)


def index_drift(session: Session, index: TalkIndex) -> Drift:
    """Compare every talk in the database with what the index holds for it."""
    indexed = index.fingerprints()
    drift = Drift()
    seen = set()
    for talk in stream_talks(session):
        seen.add(talk.slug)
        if talk.slug not in indexed:
            drift.missing.append(talk.slug)
        elif indexed[talk.slug] != talk.fingerprint():
            drift.stale.append(talk.slug)
    drift.extra = sorted(set(indexed) - seen)
    return drift


def load_seed_if_empty(session: Session) -> int:
    """Load the shipped talk list into an empty database; return how many talks were added."""
    if session.scalar(select(func.count()).select_from(Talk)):
        return 0
    session.rollback()
    report = import_records(session, read_talk_file(SEED_FILE))
    return len(report.added)


class SiteReadiness:
    """Make sure, once per process, that the database has talks and the index can be read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready = False

    def ensure(self, app: Flask) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            session = get_session()
            if app.config["SEED_ON_EMPTY"]:
                added = load_seed_if_empty(session)
                if added:
                    app.logger.info("loaded the shipped seed: %d talks", added)
            index = talk_index()
            if not index.is_readable():
                app.logger.warning("search index missing or unreadable in %s: rebuilding it from the database", app.config["INDEX_DIR"])
                _rebuild_or_wait(app, session, index)
            session.rollback()
            self._ready = True


def _rebuild_or_wait(app: Flask, session: Session, index: TalkIndex, wait_seconds: float = 60.0) -> None:
    """Rebuild the index, or, when another process is already building it, wait for its result."""
    try:
        count = rebuild_index(session, index)
        app.logger.info("search index built: %d talks, generation %s", count, index.generation())
    except IndexBusy:
        deadline = time.monotonic() + wait_seconds
        while not index.is_readable() and time.monotonic() < deadline:
            time.sleep(0.2)


def init_app(app: Flask) -> None:
    """Open the index reader for this process and prepare the site before its first request."""
    app.extensions["meetup_index"] = TalkIndex(app.config["INDEX_DIR"])
    readiness = SiteReadiness()
    app.before_request(lambda: readiness.ensure(app))
