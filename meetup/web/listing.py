"""Pages of talks for the site, the API and the feeds, as slugs in the order shown.

A search state with searchable words is one question to the search package (a `Search`,
answered by a `ResultPage` that has already weighed the correction); anything else lists
every talk newest first from the database, kept per content version.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from flask import Flask, current_app
from sqlalchemy import select

from ..catalog.db import get_session
from ..catalog.languages import LANGUAGES
from ..catalog.models import Talk, language_counts, newest_first, of_event, talks_newest_first, talks_query, year_counts
from ..indexing.serving import index_edition, prepare_index, results_for
from ..search import MAX_PER_PAGE, ResultPage, Search
from ..settings import settings_of
from .cards import cards_in_rank_order, version_now
from .search_state import SearchState


def page_of_talks(state: SearchState, per_page: int) -> ResultPage:
    """Return one page of talks for a search state: the index's results, or every talk newest first."""
    search = state.search(per_page)
    if state.q:
        results = results_for(search)
        if results.searched:
            return results
    return newest_first_page(search)


def results_edition() -> tuple[int, Hashable]:
    """Return what every page of talks is made from besides the search: the content version and the index's edition."""
    return version_now(), index_edition()


def newest_first_page(search: Search) -> ResultPage:
    """Return one page of every talk (of the search's filters) newest first, with the counts, kept per content version.

    Every first letter typed lists all talks: counting and sorting them in SQL each time would
    cost more than any search.
    """
    memo = current_app.extensions["meetup_listings"]
    version = version_now()
    key = (search.lang, search.year, search.page, search.per_page, search.event)
    found = memo.get(version, key)
    if found is None:
        session = get_session()
        query = select(Talk.slug).order_by(*newest_first()).offset((search.page - 1) * search.per_page)
        query = of_event(query.limit(search.per_page), search.event)
        if search.lang:
            query = query.where(Talk.language == search.lang)
        if search.year:
            query = query.where(Talk.year == search.year)
        found = (tuple(session.scalars(query)), language_counts(session, year=search.year, event=search.event),
                 year_counts(session, language=search.lang, event=search.event))
        memo.put(version, key, found)
    slugs, counts, years = found
    total = counts.get(search.lang, 0) if search.lang else sum(counts.values())
    return ResultPage(list(slugs), total, dict(counts), dict(years), searched=False)


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
        per_page = settings_of(app).results_per_page
        for lang in ("", *LANGUAGES):
            page = page_of_talks(SearchState(lang=lang), per_page)
            cards_in_rank_order(get_session(), page.slugs)
        prepare_index()


def newest_matching(state: SearchState, *, limit: int, max_matches: int) -> list[Talk]:
    """Return the newest talks (by talk date) among the best max_matches results of a search, at most limit.

    Without searchable words that is simply the newest talks, as on the site.
    """
    first = results_for(replace(state, page=1).search(MAX_PER_PAGE)) if state.q else None
    if first is None or not first.searched:
        return talks_newest_first(get_session(), language=state.lang or None, year=state.year, limit=limit,
                                  event=state.event or None)
    slugs = first.slugs
    page = 1
    while len(slugs) < min(first.total, max_matches):
        page += 1
        later = results_for(replace(state, page=page).search(MAX_PER_PAGE))
        if not later.slugs:
            break
        slugs.extend(later.slugs)
    if not slugs:
        return []
    query = talks_query().where(Talk.slug.in_(slugs[:max_matches])).order_by(*newest_first()).limit(limit)
    return list(get_session().scalars(query))
