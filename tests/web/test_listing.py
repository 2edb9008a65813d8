"""Pages of talks as the site, the API and the feeds list them: the index's results, or newest first."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk
from meetup.web.listing import newest_matching, page_of_talks
from meetup.web.search_state import SearchState

SEEDED = 19


@pytest.fixture
def context(seeded_app):
    with seeded_app.app_context():
        yield get_session()


def newest_slugs(session, lang: str | None = None, year: int | None = None) -> list[str]:
    """Return every slug of lang and year sorted here, newest first (unknown parts of dates last), then by title."""
    def newest(part: int | None) -> tuple[bool, int]:
        return part is None, -(part or 0)

    talks = [talk for talk in session.scalars(select(Talk))
             if (not lang or talk.language == lang) and (year is None or talk.year == year)]
    return [talk.slug for talk in
            sorted(talks, key=lambda talk: (newest(talk.year), newest(talk.month), newest(talk.day), talk.title))]


@pytest.mark.parametrize(("state", "per_page"), [
    (SearchState(), 5),
    (SearchState(page=2), 5),
    (SearchState(page=4), 5),  # the last, short page
    (SearchState(lang="es"), 5),
    (SearchState(year=2019), 5),
    (SearchState(lang="en", year=2019), 20),
    (SearchState(q="k"), 20),  # too short to search
    (SearchState(q="*"), 20),
    (SearchState(q="- k", lang="es"), 20),
])
def test_without_searchable_words_every_talk_comes_newest_first_with_its_counts(context, state, per_page):
    page = page_of_talks(state, per_page)
    everything = newest_slugs(context, state.lang, state.year)
    start = (state.page - 1) * per_page
    assert not page.searched and page.hits == {}
    assert page.slugs == everything[start:start + per_page]
    assert page.total == len(everything)
    assert sum(page.lang_counts.values()) == len(newest_slugs(context, year=state.year))
    assert sum(page.year_counts.values()) <= len(newest_slugs(context, state.lang))


def test_newest_first_is_counted_in_sql_not_made_up(context):
    assert context.scalar(select(func.count()).select_from(Talk)) == SEEDED
    assert page_of_talks(SearchState(), 20).total == SEEDED


@pytest.mark.parametrize(("state", "corrected_to"), [
    (SearchState(q="kubernetes"), None),
    (SearchState(q="kubernets"), "kubernetes"),  # misspelt: its correction is searched instead
    (SearchState(q="kubernets", exact=True), None),  # asked for exactly: searched as typed
    (SearchState(q="kubernetes", lang="es"), None),
])
def test_a_search_is_answered_by_the_index_in_rank_order(context, state, corrected_to):
    page = page_of_talks(state, 20)
    assert page.searched and page.corrected_to == corrected_to
    assert page.slugs == list(page.hits)
    assert page.total == len(page.slugs) < SEEDED
    assert (page.total > 0) is (not state.exact)


def test_later_pages_continue_the_first(context):
    first, second = page_of_talks(SearchState(q="talk"), 3), page_of_talks(SearchState(q="talk", page=2), 3)
    both = page_of_talks(SearchState(q="talk"), 6)
    assert first.slugs + second.slugs == both.slugs and not set(first.slugs) & set(second.slugs)


def test_newest_matching_is_the_newest_of_the_matches(context):
    matches = set(page_of_talks(SearchState(q="kubernetes"), 100).slugs)
    newest = newest_matching(SearchState(q="kubernetes"), limit=3, max_matches=500)
    in_date_order = [slug for slug in newest_slugs(context) if slug in matches][:3]
    assert [talk.slug for talk in newest] == in_date_order and len(newest) == min(3, len(matches))


@pytest.mark.parametrize("query", ["", "a"])
def test_newest_matching_without_searchable_words_is_the_newest_talks(context, query):
    newest = newest_matching(SearchState(q=query, lang="es"), limit=4, max_matches=500)
    assert [talk.slug for talk in newest] == newest_slugs(context, "es")[:4]
