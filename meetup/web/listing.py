"""Pages of talks for the site, the API and the feeds, found the same way for all three.

The search index for a query with searchable words (a misspelt query is corrected unless asked
for exactly), the database newest first otherwise.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.db import get_session
from ..catalog.languages import LANGUAGES
from ..catalog.models import (
    Talk,
    language_counts,
    newest_first,
    of_event,
    talks_in_rank_order,
    talks_newest_first,
    talks_query,
    year_counts,
)
from ..indexing.serving import index_snapshot, search_index, talk_index
from ..search import MAX_PER_PAGE, Hit, SearchPage
from .cards import cards_in_rank_order, version_now

SEARCH_PAGE_SIZE = MAX_PER_PAGE


@dataclass
class TalkListing:
    """One page of talks, how many there are in all, and for a search its hits and corrections."""

    talks: list[Talk]
    total: int
    lang_counts: dict[str, int] = field(default_factory=dict)  # matches per language, ignoring the filter
    hits: dict[str, Hit] = field(default_factory=dict)
    matched_all: bool = True  # False when no talk has every word and these match some of them
    suggestion: str | None = None  # a search that would match every word, offered, not run
    corrected_to: str | None = None  # the corrected search these results are for
    year_counts: dict[int, int] = field(default_factory=dict)  # matches per year, ignoring the year filter
    expansions: list[str] = field(default_factory=list)  # alternatives that brought talks onto this page
    searched: bool = False  # False when there was no query, or no word long enough to search
    full_matches: int | None = None  # when few talks have every word: how many; the rest have some of them


def search_as_the_site_does(q: str, lang: str | None, *, page: int, per_page: int, exact: bool = False,
                            year: int | None = None, event: str | None = None) -> tuple[SearchPage, str | None]:
    """Search q, or its correction when q is misspelt and not exact; return the page and the correction run."""
    found = search_index(q, lang, page=page, per_page=per_page, year=year, event=event)
    if found.suggestion and not exact and (found.corrects or not found.matched_all):
        corrected = search_index(found.suggestion, lang, page=page, per_page=per_page, year=year, event=event)
        # Shown instead only when it finds more: "showing results for" must be worth it. A query that found
        # nothing at all (every word misspelt, say) is corrected as long as the correction finds talks,
        # so two typos are corrected like one.
        if (corrected.matched_all or not found.total) and corrected.total > (found.total if found.matched_all else 0):
            return corrected, found.suggestion
    return found, None


def list_talks(q: str, lang: str | None, *, page: int, per_page: int, exact: bool = False,
               year: int | None = None, load: Callable[[Session, list[str]], list] | None = None,
               event: str | None = None) -> TalkListing:
    """Return one page of the talks matching q (all talks when it has no words), in one language or
    all, in one year or all, of one event (by slug) or all.

    By default the talks are read through the ORM; with load (slugs to cards, say) the page's slugs
    go through it, and the newest-first page and its counts come from memory kept per content version.
    """
    session = get_session()
    if q:
        found, corrected_to = search_as_the_site_does(q, lang, page=page, per_page=per_page, exact=exact,
                                                      year=year, event=event)
        if found.words:
            talks = (load or talks_in_rank_order)(session, [hit.slug for hit in found.hits])
            return TalkListing(talks, found.total, found.lang_counts, {hit.slug: hit for hit in found.hits},
                               found.matched_all, found.suggestion, corrected_to, found.year_counts,
                               found.expansions, searched=True, full_matches=found.full_matches)
    if load is None:
        counts = language_counts(session, year=year, event=event)
        talks = talks_newest_first(session, language=lang, year=year, offset=(page - 1) * per_page, limit=per_page,
                                   event=event)
        return TalkListing(talks, counts.get(lang, 0) if lang else sum(counts.values()), counts,
                           year_counts=year_counts(session, language=lang, event=event))
    slugs, counts, years = newest_page(session, lang, year, page, per_page, event)
    return TalkListing(load(session, slugs), counts.get(lang, 0) if lang else sum(counts.values()), dict(counts),
                       year_counts=dict(years))


def newest_page(session: Session, lang: str | None, year: int | None, page: int,
                per_page: int, event: str | None = None) -> tuple[list[str], dict[str, int], dict[int, int]]:
    """Return one page of slugs newest first with the counts per language and year, kept per content version.

    Every first letter typed lists all talks: counting and sorting them in SQL each time would
    cost more than any search.
    """
    memo = current_app.extensions["meetup_listings"]
    version = version_now()
    key = (lang, year, page, per_page, event)
    found = memo.get(version, key)
    if found is None:
        query = of_event(select(Talk.slug).order_by(*newest_first()).offset((page - 1) * per_page).limit(per_page), event)
        if lang:
            query = query.where(Talk.language == lang)
        if year:
            query = query.where(Talk.year == year)
        found = (list(session.scalars(query)), language_counts(session, year=year, event=event),
                 year_counts(session, language=lang, event=event))
        memo.put(version, key, found)
    return found


def warm_newest_pages(app: Flask) -> None:
    """Read the first newest-first page of each language filter with its counts and cards, and prepare the index.

    A worker that has just started (or restarted) would otherwise make its first visitors wait for
    them: at 100,000 talks the counts alone take 50 ms in SQL. What it reads is kept per content
    version like any other read, so a later change is seen as usual. The templates are compiled
    too: a started worker's first search spent 120 of its 150 ms compiling the fragment's twelve.
    """
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    with app.app_context():
        session = get_session()
        per_page = app.config["RESULTS_PER_PAGE"]
        for lang in (None, *LANGUAGES):
            slugs, _, _ = newest_page(session, lang, None, 1, per_page)
            cards_in_rank_order(session, slugs)
        index_snapshot()
        talk_index().prepare()


def newest_matching(q: str, lang: str | None, *, limit: int, max_matches: int, exact: bool = False,
                    year: int | None = None, event: str | None = None) -> list[Talk]:
    """Return the newest talks (by talk date) among the best max_matches matches of q, at most limit.

    Without searchable words in q that is simply the newest talks, as on the site.
    """
    if not q:
        return talks_newest_first(get_session(), language=lang, year=year, limit=limit, event=event)
    found, corrected_to = search_as_the_site_does(q, lang, page=1, per_page=SEARCH_PAGE_SIZE, exact=exact,
                                                  year=year, event=event)
    if not found.words:
        return talks_newest_first(get_session(), language=lang, year=year, limit=limit, event=event)
    searched = corrected_to or q
    slugs = [hit.slug for hit in found.hits]
    page = 1
    while len(slugs) < min(found.total, max_matches):
        page += 1
        more = search_index(searched, lang, page=page, per_page=SEARCH_PAGE_SIZE, year=year, event=event)
        if not more.hits:
            break
        slugs.extend(hit.slug for hit in more.hits)
    if not slugs:
        return []
    query = talks_query().where(Talk.slug.in_(slugs[:max_matches])).order_by(*newest_first()).limit(limit)
    return list(get_session().scalars(query))
