"""Time the first visitors after an organiser's change and `flask reindex`: every cache is cold for the new generation.

Two workers are timed, each answering every distinct request of the typing mix once, with and
without a language filter: the one that served the old generation and now switches to the new
one on its next request (*switched*), and one started after the reindex, warmed as gunicorn's
post_fork warms it (*started*). The engine alone, FTS5 and tantivy are timed beside each request.
"""
from __future__ import annotations

import gc
import logging
import statistics

from sqlalchemy import update

from meetup import create_app
from meetup.catalog.db import get_session
from meetup.catalog.models import SiteState
from meetup.gc_tuning import collect_between_requests, settle
from meetup.search import TalkIndex, load_synonym_groups
from meetup.web.listing import warm_newest_pages
from meetup.settings import settings_of

from .measure import SYSTEMS, GcPauses, Site, References, Timer, median_of, summary
from .queries import all_requests

PHASES = ("switched", "started")
# A search no request of the mix makes, so its answer is in no cache.
FIRST_REQUEST = "resiliencia kubernetes"


def distinct_requests() -> list[tuple[str, str]]:
    """Return (kind, text) for each distinct text of the typing mix, in the order first typed."""
    kinds: dict[str, str] = {}
    for kind, text in all_requests():
        kinds.setdefault(text, kind)
    return [(kind, text) for text, kind in kinds.items()]


def organiser_change(site: Site) -> None:
    """Bump the content version as an import that changed talks does, so every worker's cards are stale."""
    with site.app.app_context():
        session = get_session()
        session.execute(update(SiteState).where(SiteState.id == 1)
                        .values(content_version=SiteState.content_version + 1))
        session.commit()
        session.close()


def time_after_reindex(site: Site, references: References, repeats: int, log, gc_settled: bool = False) -> dict:
    """Time each distinct request once right after a reindex, repeats times; return median statistics."""
    requests = distinct_requests()
    synonyms = load_synonym_groups(settings_of(site.app).synonyms_file)
    results: dict[str, list] = {}
    switch_seconds: list[float] = []
    first: dict[str, list[float]] = {}
    pauses = GcPauses()
    for run in range(repeats):
        engine = TalkIndex(site.index_dir, synonyms=synonyms)
        timer = Timer(site.app, references, engine)
        # The serving worker has answered every request from the old generation: its caches are warm.
        for _, text in requests:
            timer.fragment(text, "")
        organiser_change(site)
        site.reindex()
        switch_seconds.append(site.figures["reindex_s"])
        if gc_settled:
            settle()
        phases = {"switched": timer}
        started = create_app(site.config())
        started.logger.setLevel(logging.WARNING)
        with pauses.at(None):
            warm_newest_pages(started)
        phases["started"] = Timer(started, references, TalkIndex(site.index_dir, synonyms=synonyms))
        gc.callbacks.append(pauses)
        for phase, call in phases.items():
            if gc_settled:
                with pauses.at(None):
                    settle()
            timings: dict[tuple, list[float]] = {}
            # The first request after the switch, alone: what the generation's opening costs a visitor.
            first.setdefault(phase, []).append(call.fragment(FIRST_REQUEST, ""))
            for lang in ("", "es"):
                for kind, text in requests:
                    filtered = "lang" if lang else "all"
                    for system in SYSTEMS:
                        elapsed = call.system(system, text, lang)
                        for group in (kind, "all"):
                            timings.setdefault((phase, system, group, filtered), []).append(elapsed)
                    if gc_settled:
                        with pauses.at("between"):
                            collect_between_requests()
            for key, values in timings.items():
                results.setdefault("/".join(key), []).append(summary(values))
            line = " ".join(f"{system} p95 {summary(timings[(phase, system, 'all', 'all')])['p95']:.1f}"
                            for system in SYSTEMS)
            log(f"  run {run + 1}/{repeats} {phase} after reindex: {line} ms")
        gc.callbacks.remove(pauses)
        for call in phases.values():
            call.engine.close()
        started.extensions["meetup_index"].close()
        started.extensions["meetup_engine"].dispose()
    figures = {key: median_of(runs) for key, runs in results.items()}
    figures["reindex_s"] = statistics.median(switch_seconds)
    figures |= {f"{phase}/first_ms": statistics.median(times) for phase, times in first.items()}
    figures["gc"] = pauses.summary()
    return figures

