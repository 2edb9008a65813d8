"""Build a benchmark site for N talks and time its search fragment against the FTS5 reference."""
from __future__ import annotations

import gc
import logging
import os
import resource
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from meetup import create_app
from meetup.catalog import import_records
from meetup.db import get_session
from meetup.index_serving import talk_index
from meetup.indexing import rebuild_index, stream_talks
from meetup.talkfile import read_talk_file

from .corpus import CORPUS_VERSION, write_corpus
from .fts5 import Fts5Reference
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


def build_reference(site: Site) -> Fts5Reference:
    """Build the FTS5 reference beside the site and record its build rate."""
    path = site.directory / "fts5.sqlite3"
    path.unlink(missing_ok=True)
    reference = Fts5Reference(path)
    count, seconds = reference.build(site.talks())
    site.figures.update(fts5_build_s=seconds, fts5_talks_per_s=count / seconds)
    return reference


def time_fragments(site: Site, reference: Fts5Reference, repeats: int, log) -> dict:
    """Replay every request repeats times, ours then FTS5's for each, and return the median statistics."""
    client = site.app.test_client()
    requests = all_requests()
    client.get("/?" + urlencode({"q": "warm up"}), headers=HTMX)
    results: dict[str, dict[str, list]] = {}
    for run in range(repeats):
        index = site.app.extensions["meetup_index"]
        # Each run starts cold: nothing is cached from the previous run.
        if hasattr(index, "clear_cache"):
            index.clear_cache()
        timings: dict[tuple[str, str, str], list[float]] = {}
        gc.collect()
        for lang in ("", "es"):
            for kind, text in requests:
                url = "/?" + urlencode({"q": text, "lang": lang})
                started = time.perf_counter()
                response = client.get(url, headers=HTMX)
                ours = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status_code}")
                started = time.perf_counter()
                reference.search(text, lang or None)
                theirs = (time.perf_counter() - started) * 1000
                filtered = "lang" if lang else "all"
                for group in (kind, "all"):
                    timings.setdefault(("ours", group, filtered), []).append(ours)
                    timings.setdefault(("fts5", group, filtered), []).append(theirs)
        for key, values in timings.items():
            results.setdefault("/".join(key), []).append(summary(values))
        slowest = summary(timings[("ours", "all", "all")])
        log(f"  run {run + 1}/{repeats}: ours p50 {slowest['p50']:.1f} ms p95 {slowest['p95']:.1f} ms max {slowest['max']:.0f} ms")
    return {key: median_of(runs) for key, runs in results.items()}


def process_peak_rss_mb() -> float:
    """Return this process's peak resident set size in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profile_slowest(site: Site, texts: list[str], output: Path) -> None:
    """Profile the fragment requests for texts with pyinstrument, if installed, into an HTML file."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return
    client = site.app.test_client()
    index = site.app.extensions["meetup_index"]
    if hasattr(index, "clear_cache"):
        index.clear_cache()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        client.get("/?" + urlencode({"q": text}), headers=HTMX)
    profiler.stop()
    output.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    os.sync()
