"""Pages of talks for the API and the feeds: search hits in rank order, or all talks newest first.

The same building blocks as the site's own list (`views.find_talks`): the search index for a query
with searchable words, the database newest first otherwise, so both answer a query alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from .db import get_session
from .indexing import talk_index
from .models import Talk, newest_first, talks_in_rank_order, talks_query
from .search import MAX_PER_PAGE, Hit, query_words

SEARCH_PAGE_SIZE = MAX_PER_PAGE


@dataclass
class TalkListing:
    """One page of talks, how many there are in all, and the search hits by slug when searched."""

    talks: list[Talk]
    total: int
    hits: dict[str, Hit] = field(default_factory=dict)


def list_talks(q: str, lang: str | None, *, page: int, per_page: int) -> TalkListing:
    """Return one page of the talks matching q (all talks when it has no words), in one language or all."""
    session = get_session()
    if q:
        found = talk_index().search(q, lang, page=page, per_page=per_page)
        if found.words:
            talks = talks_in_rank_order(session, [hit.slug for hit in found.hits])
            return TalkListing(talks, found.total, {hit.slug: hit for hit in found.hits})
    query = talks_query().order_by(*newest_first())
    count = select(func.count()).select_from(Talk)
    if lang:
        query = query.where(Talk.language == lang)
        count = count.where(Talk.language == lang)
    talks = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return TalkListing(talks, session.scalar(count) or 0)


def newest_matching(q: str, lang: str | None, *, limit: int, max_matches: int) -> list[Talk]:
    """Return the newest talks (by talk date) among the best max_matches matches of q, at most limit.

    Without searchable words in q that is simply the newest talks, as on the site.
    """
    words, _phrases = query_words(q)
    if not words:
        return list_talks("", lang, page=1, per_page=limit).talks
    slugs: list[str] = []
    for page in range(1, max_matches // SEARCH_PAGE_SIZE + 1):
        found = talk_index().search(q, lang, page=page, per_page=SEARCH_PAGE_SIZE)
        slugs.extend(hit.slug for hit in found.hits)
        if page * SEARCH_PAGE_SIZE >= found.total:
            break
    if not slugs:
        return []
    query = talks_query().where(Talk.slug.in_(slugs)).order_by(*newest_first()).limit(limit)
    return list(get_session().scalars(query))
