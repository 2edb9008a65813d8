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

from flask import Flask, current_app, request
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from .catalog import import_records
from .db import get_session
from .models import Talk, content_version
from .search import IndexBusy, IndexedTalk, TalkIndex
from .search import CROSSLANG_FILE, SYNONYMS_FILE, load_crosslang_pairs, load_synonym_groups
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
    version = content_version(session)
    index.apply(talks_by_slug(session, list(changed)), list(removed), version=version)


def talks_by_slug(session: Session, slugs: list[str]) -> list[IndexedTalk]:
    """Return the index data of these talks, reading them in batches."""
    found: list[IndexedTalk] = []
    for start in range(0, len(slugs), STREAM_BATCH):
        batch = slugs[start : start + STREAM_BATCH]
        query = select(Talk).options(selectinload(Talk.appearances)).where(Talk.slug.in_(batch))
        found.extend(indexed_talk(talk) for talk in session.scalars(query))
    return found


def catch_up(session: Session, index: TalkIndex) -> Drift:
    """Apply to the index what changed in the database since it was built; return what differed.

    The version is read first, so a change committed during the catch-up is seen by the next one.
    """
    version = content_version(session)
    drift = index_drift(session, index)
    index.apply(talks_by_slug(session, drift.missing + drift.stale), drift.extra, version=version)
    return drift


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


class IndexFreshness:
    """Notice, at most every few seconds, that this node's index is behind the database, and catch up.

    The database is the truth and each node's index a cache of it: every change to talks bumps the
    content version, and each index generation records the version it holds. One process per node
    (whichever takes the index's writer lock) catches up in a background thread while the others,
    and this one, keep serving the generation they have.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = float(app.config["INDEX_CHECK_SECONDS"])
        self._next_check = 0.0
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self.behind_since: float | None = None

    def maybe_check(self) -> None:
        now = time.monotonic()
        if now < self._next_check or not self._lock.acquire(blocking=False):
            return
        try:
            self._next_check = now + self.interval
            if self._worker is not None and self._worker.is_alive():
                return
            wanted = content_version(get_session())
            if talk_index().built_version() == wanted:
                self.behind_since = None
                return
            self.behind_since = self.behind_since or now
            self._worker = threading.Thread(target=self._catch_up, name="index-catch-up", daemon=True)
            self._worker.start()
        finally:
            self._lock.release()

    def _catch_up(self) -> None:
        app = self.app
        writer = TalkIndex(app.config["INDEX_DIR"], writer_timeout=0)
        with app.app_context():
            session = app.extensions["meetup_sessions"]()
            try:
                started = time.perf_counter()
                drift = catch_up(session, writer)
                app.logger.info(
                    "index caught up with the database: %d added, %d updated, %d removed in %.2f s",
                    len(drift.missing), len(drift.stale), len(drift.extra), time.perf_counter() - started,
                )
                self.behind_since = None
                self._next_check = 0.0
            except IndexBusy:
                app.logger.info("index behind the database; another process on this node is catching up")
            except Exception:
                app.logger.exception("index catch-up failed; will retry")
            finally:
                session.close()
                writer.close()


def init_app(app: Flask) -> None:
    """Open the index reader for this process, prepare the site, and keep its index fresh."""
    synonyms = load_synonym_groups(app.config.get("SYNONYMS_FILE") or SYNONYMS_FILE)
    pairs = load_crosslang_pairs(app.config.get("CROSSLANG_FILE") or CROSSLANG_FILE)
    app.extensions["meetup_index"] = TalkIndex(app.config["INDEX_DIR"], synonyms=synonyms, pairs=pairs)
    readiness = SiteReadiness()
    freshness = IndexFreshness(app)
    app.extensions["meetup_freshness"] = freshness

    def before_request() -> None:
        try:
            readiness.ensure(app)
            freshness.maybe_check()
        except SQLAlchemyError:
            if request.endpoint != "health.healthz":
                raise
            # The health check reports the database itself; let it answer.
            app.logger.exception("database unavailable while preparing the site")

    app.before_request(before_request)
