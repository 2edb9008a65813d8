"""Build a benchmark site for N talks and time its search fragment against the FTS5 reference."""
from __future__ import annotations

import gc
import logging
import os
import resource
import shutil
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from meetup import create_app
from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.indexing.serving import talk_index
from meetup.indexing.sync import rebuild_index, stream_talks
from meetup.web.listing import warm_newest_pages
from meetup.gc_tuning import collect_between_requests, settle
from meetup.search import TalkIndex, load_synonym_groups
from meetup.catalog.formats import read_talk_file
from meetup.settings import settings_of

from .corpus import CORPUS_VERSION, write_corpus
from .fts5 import Fts5Reference
from .tantivy_ref import TantivyReference
from .queries import all_requests

HTMX = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of values."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float]:
    """Return p50, p95, p99 and max of timings in milliseconds."""
    return {
        "p50": percentile(values, 0.50), "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99), "max": max(values), "n": len(values),
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    """Return the median of each statistic across repeated runs."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


@dataclass
class Site:
    """A benchmark site for one corpus size: its database, index and the app over them."""

    size: int
    directory: Path
    app: object = None
    figures: dict = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.directory / 'meetup.sqlite3'}"

    @property
    def index_dir(self) -> Path:
        return self.directory / "index"

    def config(self) -> dict:
        return {"DATABASE_URL": self.database_url, "INDEX_DIR": str(self.index_dir),
                "SECRET_KEY": "bench", "SEED_ON_EMPTY": False, "INDEX_CHECK_SECONDS": 3600.0}

    @classmethod
    def indexed(cls, size: int, work_dir: str) -> Site:
        """Return the site of this size under work_dir, imported and indexed (reused when already there)."""
        site = cls(size, Path(work_dir) / f"n{size}")
        site.prepare(lambda message: print(message, file=sys.stderr))
        if not (site.index_dir / "current").exists():
            site.reindex()
        return site

    def prepare(self, log) -> None:
        """Generate and import the corpus once per corpus version; it is reused by later runs."""
        marker = self.directory / f"imported-v{CORPUS_VERSION}"
        if not marker.exists():
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(parents=True)
            started = time.perf_counter()
            paths = write_corpus(self.size, self.directory / "files")
            log(f"  generated {self.size:,} talks in {len(paths)} files in {time.perf_counter() - started:.1f} s")
            app = create_app(self.config())
            app.logger.setLevel(logging.WARNING)
            started = time.perf_counter()
            with app.app_context():
                for path in paths:
                    session = get_session()
                    import_records(session, read_talk_file(path))
                    session.close()
            app.extensions["meetup_index"].close()
            app.extensions["meetup_engine"].dispose()
            log(f"  imported them through the import path in {time.perf_counter() - started:.1f} s")
            marker.touch()
        self.app = create_app(self.config())
        # One log line per request would be timed too.
        self.app.logger.setLevel(logging.WARNING)

    def reindex(self) -> None:
        """Rebuild the index from the database, timing it, and record its size on disk."""
        with self.app.app_context():
            session = get_session()
            started = time.perf_counter()
            count = rebuild_index(session, talk_index())
            elapsed = time.perf_counter() - started
            session.close()
        live = self.index_dir / "current"
        size = sum(entry.stat().st_size for entry in live.resolve().iterdir() if entry.is_file())
        self.figures.update(reindex_s=elapsed, talks_per_s=count / elapsed, index_mb=size / 2**20, talks=count)

    def talks(self):
        with self.app.app_context():
            session = get_session()
            yield from stream_talks(session)
            session.close()

    def close(self) -> None:
        self.app.extensions["meetup_index"].close()
        self.app.extensions["meetup_engine"].dispose()


def build_references(site: Site, log) -> References:
    """Build the FTS5 and tantivy references beside the site and record their build rates."""
    path = site.directory / "fts5.sqlite3"
    path.unlink(missing_ok=True)
    fts5 = Fts5Reference(path)
    count, seconds = fts5.build(site.talks())
    site.figures.update(fts5_build_s=seconds, fts5_talks_per_s=count / seconds)
    tantivy = TantivyReference(site.directory / "tantivy")
    count, seconds = tantivy.build(site.talks())
    site.figures.update(tantivy_build_s=seconds, tantivy_talks_per_s=count / seconds)
    log(f"  references built: FTS5 {site.figures['fts5_talks_per_s']:,.0f} talks/s, "
        f"tantivy {site.figures['tantivy_talks_per_s']:,.0f} talks/s")
    return References(fts5, tantivy)


@dataclass
class References:
    """The outside references timed beside the site: SQLite FTS5 and tantivy."""

    fts5: Fts5Reference
    tantivy: TantivyReference

    def close(self) -> None:
        self.fts5.close()
        self.tantivy.close()


# What each request is timed through: the site's fragment, its engine alone, the two references.
SYSTEMS = ("fragment", "engine", "fts5", "tantivy")


def forget_caches(app) -> None:
    """Empty every per-process cache of search results and rendered fragments, as after a restart.

    Then read what a gunicorn worker reads before its first request (gunicorn.conf.py's post_fork):
    the newest-first page of each language filter with its counts. Every search, its
    highlighting and its fragment are still answered without a cache.
    """
    app.extensions["meetup_index"].close()  # reopened on the next read: no page or word mask kept
    for name in ("meetup_fragments", "meetup_listings"):
        cache = app.extensions.get(name)
        if cache is not None:
            cache.clear()
    warm_newest_pages(app)


class Timer:
    """Answer one request through each system (the site's fragment, its engine alone, FTS5, tantivy) and time it."""

    def __init__(self, app, references: References, engine: TalkIndex) -> None:
        self.client = app.test_client()
        self.per_page = settings_of(app).results_per_page
        self.references = references
        self.engine = engine

    def fragment(self, text: str, lang: str) -> float:
        """Return the milliseconds the site's search fragment takes (an htmx request through the test client)."""
        url = "/?" + urlencode({"q": text, "lang": lang})
        started = time.perf_counter()
        response = self.client.get(url, headers=HTMX)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return elapsed

    def system(self, name: str, text: str, lang: str) -> float:
        """Return the milliseconds one system takes to answer text (lang: a filter or "")."""
        if name == "fragment":
            return self.fragment(text, lang)
        call = {
            "engine": lambda: self.engine.search(text, lang or None, page=1, per_page=self.per_page),
            "fts5": lambda: self.references.fts5.search(text, lang or None),
            "tantivy": lambda: self.references.tantivy.search(text, lang or None),
        }[name]
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000


class GcPauses:
    """Record how long each garbage collection takes while timing, per generation and place.

    A collection runs either inside a request (the visitor waits for it) or between two, where
    the server runs the full ones (meetup/gc_tuning.collect_between_requests). The benchmark's
    own collections, before each phase, are not recorded. Each pause is kept as wall-clock and
    as this thread's CPU milliseconds: on a shared machine the first also holds other work's turns.
    """

    PLACES = ("request", "between")

    def __init__(self) -> None:
        self.pauses: dict[tuple[str, int], list[tuple[float, float]]] = {}
        self.place: str | None = "request"
        self._started = (0.0, 0.0)

    def __call__(self, phase: str, info: dict) -> None:
        if self.place is None:
            return
        if phase == "start":
            self._started = (time.perf_counter(), time.thread_time())
        else:
            wall, cpu = self._started
            self.pauses.setdefault((self.place, info["generation"]), []).append(
                ((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))

    @contextmanager
    def at(self, place: str | None):
        """Attribute the collections run inside the block to place (None: do not record them)."""
        previous, self.place = self.place, place
        try:
            yield
        finally:
            self.place = previous

    def summary(self) -> dict:
        """Return count, max, p99 and total milliseconds per place and generation, and per place."""
        figures = {}
        for place in self.PLACES:
            every = []
            for generation in range(3):
                found = self.pauses.get((place, generation), [])
                every += found
                figures[f"{place}/gen{generation}"] = _pause_figures(found)
            figures[place] = _pause_figures(every)
        return figures


def _pause_figures(pauses: list[tuple[float, float]]) -> dict:
    walls, cpus = [wall for wall, _ in pauses], [cpu for _, cpu in pauses]
    return {"count": len(pauses), "max_ms": max(walls, default=0.0),
            "p99_ms": percentile(walls, 0.99) if walls else 0.0, "total_ms": sum(walls),
            "max_cpu_ms": max(cpus, default=0.0), "p99_cpu_ms": percentile(cpus, 0.99) if cpus else 0.0}


def time_fragments(site: Site, references: References, repeats: int, log, gc_settled: bool = False) -> dict:
    """Replay every request cold then warm, repeats times, through each system; return median statistics.

    Cold: the site's caches are emptied at the start of each run, so each distinct request is
    answered once without them (prefixes shared within a typing session help, as they would).
    Warm: the same requests again, every one typed before by someone. Each request is timed
    through the four systems one after the other, so a busy moment on the machine falls on all.
    The engine alone is a second `TalkIndex` over the same files with caches of its own.
    """
    requests = all_requests()
    synonyms = load_synonym_groups(settings_of(site.app).synonyms_file)
    engine = TalkIndex(site.index_dir, synonyms=synonyms)
    timer = Timer(site.app, references, engine)
    for system in SYSTEMS:
        timer.system(system, "warm up", "")
    results: dict[str, list] = {}
    pauses = GcPauses()
    gc.callbacks.append(pauses)
    for run in range(repeats):
        with pauses.at(None):  # a worker's start: what it reads before its first request is not serving
            forget_caches(site.app)
            engine.close()
            engine.prepare()
            if gc_settled:
                settle()
        for phase in ("cold", "warm"):
            timings: dict[tuple, list[float]] = {}
            if not gc_settled:
                with pauses.at(None):
                    gc.collect()
            for lang in ("", "es"):
                for kind, text in requests:
                    filtered = "lang" if lang else "all"
                    for system in SYSTEMS:
                        elapsed = timer.system(system, text, lang)
                        for group in (kind, "all"):
                            timings.setdefault((phase, system, group, filtered), []).append(elapsed)
                    if gc_settled:
                        with pauses.at("between"):  # after the response, as gunicorn.conf.py's post_request
                            collect_between_requests()
            for key, values in timings.items():
                results.setdefault("/".join(key), []).append(summary(values))
            line = " ".join(f"{system} p95 {summary(timings[(phase, system, 'all', 'all')])['p95']:.1f}"
                            for system in SYSTEMS)
            log(f"  run {run + 1}/{repeats} {phase}: {line} ms")
    gc.callbacks.remove(pauses)
    engine.close()
    figures = pauses.summary()
    log("  garbage collections while timing: " + "; ".join(
        f"{place} {figures[place]['count']} (max {figures[place]['max_ms']:.1f} ms, "
        f"{figures[place]['max_cpu_ms']:.1f} of CPU, p99 {figures[place]['p99_ms']:.1f}, "
        f"total {figures[place]['total_ms']:.0f})" for place in GcPauses.PLACES))
    return {key: median_of(runs) for key, runs in results.items()} | {"gc": figures}


def process_peak_rss_mb() -> float:
    """Return this process's peak resident set size in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
