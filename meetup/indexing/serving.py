"""The web side of the search index: read it, never write it, and fail to a 503 rather than a 500.

Each process opens the node's index once. It does not build or update it: that is the job of
the node's follower (`flask index follow`) and the organisers' commands, through their own door
(`writer`). Without a readable index
talk pages and the talk list still come from the database; searches answer 503.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Flask, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from ..catalog.db import get_session
from ..catalog.models import content_version
from ..catalog.seeding import load_seed_if_empty
from ..search import (IndexMissing, ResultPage, Search, TalkIndex, load_abbreviations, load_crosslang_pairs,
                      load_synonym_groups)
from ..settings import settings, settings_of
from .health import IndexCheck, IndexUnreadable


def talk_index() -> TalkIndex:
    """Return this process's index reader, opened once."""
    return current_app.extensions["meetup_index"]


def index_check() -> IndexCheck:
    """Return this process's check that the live index can be read, cached for a few seconds."""
    return current_app.extensions["meetup_index_check"]


def results_for(search: Search) -> ResultPage:
    """Answer a search from this node's index; one that cannot be read raises IndexUnreadable (a 503), not a 500."""
    try:
        return talk_index().results(search)
    except IndexMissing:
        raise
    except Exception as error:
        raise _unreadable_or(error) from error


def index_edition() -> Hashable:
    """Return a value that changes whenever what this process's index answers may change (a build or a commit).

    An index that cannot be read raises IndexUnreadable.
    """
    try:
        return talk_index().snapshot()
    except IndexMissing:
        raise
    except Exception as error:
        raise _unreadable_or(error) from error


def prepare_index() -> None:
    """Open the live index and compute what every search reads, before a visitor's first search waits for it."""
    index_edition()
    talk_index().prepare()


@dataclass(frozen=True)
class IndexHealth:
    """How this node's index stands for the health check, and the content version it was built at."""

    state: str  # "ok", "catching-up" (briefly behind), "stale" (behind for too long), "missing" or "unreadable"
    version: int | None = None


def index_health(content_version: int | None) -> IndexHealth:
    """Say whether this node's index can be read and whether it is in step with content_version (None: unknown)."""
    index = talk_index()
    if index_check().problem() is not None:
        # What is wrong goes to the log (it names paths); the answer only says which state.
        return IndexHealth("missing" if index.generation() is None else "unreadable")
    version = index.built_version()
    if content_version is None or version == content_version:
        return IndexHealth("ok", version)
    behind_since = current_app.extensions["meetup_freshness"].behind_since
    if behind_since is None or time.monotonic() - behind_since < settings().index_stale_seconds:
        return IndexHealth("catching-up", version)
    return IndexHealth("stale", version)


def related_slugs(slug: str, limit: int) -> list[str]:
    """Return the slugs of the talks most like this one; an unreadable index raises IndexUnreadable."""
    try:
        return talk_index().related(slug, limit=limit)
    except IndexMissing:
        raise
    except Exception as error:
        raise _unreadable_or(error) from error


def _unreadable_or(error: Exception) -> Exception:
    """Return IndexUnreadable when the live index fails a fresh check (IndexCheck), else the error itself (a bug)."""
    problem = index_check().problem(recheck=True)
    return IndexUnreadable(problem) if problem is not None else error


class SiteReadiness:
    """Make sure, once per process, that the database has talks; say once when search cannot serve."""

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
            if settings_of(app).seed_on_empty:
                added = load_seed_if_empty(session)
                if added:
                    app.logger.info("loaded the shipped seed: %d talks", added)
            session.rollback()
            problem = index_check().problem()
            if problem is not None:
                app.logger.warning("%s: searches answer 503 until `flask index follow` or `flask reindex` "
                                   "builds it; talk pages are served from the database", problem)
            self._ready = True


class IndexFreshness:
    """Notice, at most every few seconds, since when this node's index has been behind the database.

    The process keeps serving the generation it has; this only informs the health check.
    """

    def __init__(self, app: Flask) -> None:
        self.interval = settings_of(app).index_check_seconds
        self._next_check = 0.0
        self._lock = threading.Lock()
        self.behind_since: float | None = None

    def maybe_check(self) -> None:
        now = time.monotonic()
        if now < self._next_check or not self._lock.acquire(blocking=False):
            return
        try:
            self._next_check = now + self.interval
            talk_index().release_if_gone()  # even in a worker that serves no search
            if talk_index().built_version() == content_version(get_session()):
                self.behind_since = None
            else:
                self.behind_since = self.behind_since or now
        finally:
            self._lock.release()


def init_app(app: Flask) -> None:
    """Open the index reader for this process, seed an empty database, and watch the index's freshness."""
    chosen = settings_of(app)
    synonyms = load_synonym_groups(chosen.synonyms_file)
    pairs = load_crosslang_pairs(chosen.crosslang_file)
    abbreviations = load_abbreviations(chosen.abbreviations_file)
    app.extensions["meetup_index"] = TalkIndex(chosen.index_dir, synonyms=synonyms, pairs=pairs,
                                               abbreviations=abbreviations)
    app.extensions["meetup_index_check"] = IndexCheck(chosen.index_dir)
    readiness = SiteReadiness()
    freshness = IndexFreshness(app)
    app.extensions["meetup_freshness"] = freshness

    def before_request() -> None:
        try:
            readiness.ensure(app)
            freshness.maybe_check()
        except SQLAlchemyError as error:
            if request.endpoint != "health.healthz":
                raise
            # The health check reports the database itself; let it answer (an outage is no bug: no traceback).
            app.logger.error("database unavailable while preparing the site: %s", error.__class__.__name__)

    app.before_request(before_request)
