"""Pages of talks as the site, the API and the feeds list them: search hits or newest first."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk, talks_newest_first
from meetup.web.cards import cards_in_rank_order
from meetup.web.listing import list_talks, newest_matching


@pytest.fixture
def context(seeded_app):
    with seeded_app.app_context():
        yield get_session()


def slugs(talks) -> list[str]:
    return [talk.slug for talk in talks]


def newest_first_in_python(session, lang: str | None = None, year: int | None = None) -> list[Talk]:
    """Return every talk of lang and year sorted here, newest first (unknown parts of dates last), then by title."""
    def newest(part: int | None) -> tuple[bool, int]:
        return part is None, -(part or 0)

    talks = [talk for talk in session.scalars(select(Talk))
             if (lang is None or talk.language == lang) and (year is None or talk.year == year)]
    return sorted(talks, key=lambda talk: (newest(talk.year), newest(talk.month), newest(talk.day), talk.title))


@pytest.mark.parametrize(("lang", "year", "page"), [(None, None, 1), (None, None, 2), ("es", None, 1), (None, 2019, 1),
                                                      ("en", 2019, 1)])
def test_without_a_query_talks_come_newest_first_the_same_from_memory_and_the_database(context, lang, year, page):
    from_database = list_talks("", lang, page=page, per_page=5, year=year)
    from_memory = list_talks("", lang, page=page, per_page=5, year=year, load=cards_in_rank_order)
    every = newest_first_in_python(context, lang, year)
    assert slugs(from_database.talks) == slugs(from_memory.talks) == slugs(every[(page - 1) * 5:page * 5])
    assert from_database.total == from_memory.total == len(every)
    assert from_database.lang_counts == from_memory.lang_counts
    assert from_database.year_counts == from_memory.year_counts
    assert not from_database.searched and from_database.hits == {}


def test_a_search_lists_its_hits_in_rank_order(context):
    listing = list_talks("kubernetes", None, page=1, per_page=20)
    assert listing.searched and listing.talks
    assert slugs(listing.talks) == list(listing.hits)
    assert listing.total == len(listing.talks) < 19


@pytest.mark.parametrize("query", ["k", "*", "   ", "- k"])
def test_a_query_without_searchable_words_lists_every_talk(context, query):
    listing = list_talks(query, None, page=1, per_page=20)
    assert not listing.searched and listing.total == 19
    assert slugs(listing.talks) == slugs(talks_newest_first(context, limit=20))


def test_newest_matching_is_the_newest_of_the_matches(context):
    matches = set(list_talks("kubernetes", None, page=1, per_page=100).hits)
    newest = newest_matching("kubernetes", None, limit=3, max_matches=500)
    in_date_order = [talk for talk in talks_newest_first(context) if talk.slug in matches][:3]
    assert slugs(newest) == slugs(in_date_order) and len(newest) == min(3, len(matches))


@pytest.mark.parametrize("query", ["", "a"])
def test_newest_matching_without_searchable_words_is_the_newest_talks(context, query):
    assert slugs(newest_matching(query, "es", limit=4, max_matches=500)) == slugs(
        talks_newest_first(context, language="es", limit=4))
