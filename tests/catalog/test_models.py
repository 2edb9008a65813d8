"""The tables and the queries on them: order, filters, counts, and the content version."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from meetup.catalog.db import get_session
from meetup.catalog.models import (
    Speaker, Talk, TalkLink, TalkSpeaker, content_version, language_counts, speakers_with_counts, talks_by_speaker,
    talks_in_rank_order, talks_newest_first, year_counts,
)
from meetup.catalog.talkdate import TalkDate

# slug, language, date, speakers
TALKS = [
    ("day-2021", "en", TalkDate(2021, 5, 3), ["Ana"]),
    ("month-2021", "es", TalkDate(2021, 5), ["Ana", "Luis"]),
    ("year-2021", "en", TalkDate(2021), []),
    ("day-2023", "es", TalkDate(2023, 1, 20), ["Luis"]),
    ("no-date", "en", TalkDate(), ["Marta"]),
]


@pytest.fixture
def session(app):
    with app.app_context():
        session = get_session()
        people = {name: Speaker(name=name, slug=name.lower()) for name in ("Ana", "Luis", "Marta")}
        for slug, language, date, names in TALKS:
            talk = Talk(slug=slug, title=slug.replace("-", " ").title(), abstract="", language=language, date=date)
            talk.appearances = [TalkSpeaker(position=n, speaker=people[name]) for n, name in enumerate(names, 1)]
            session.add(talk)
        session.commit()
        yield session


def slugs(talks) -> list[str]:
    return [talk.slug for talk in talks]


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["day-2023", "day-2021", "month-2021", "year-2021", "no-date"]),
    ({"language": "en"}, ["day-2021", "year-2021", "no-date"]),
    ({"year": 2021}, ["day-2021", "month-2021", "year-2021"]),
    ({"language": "es", "year": 2021}, ["month-2021"]),
    ({"offset": 1, "limit": 2}, ["day-2021", "month-2021"]),
])
def test_talks_newest_first_with_partial_and_unknown_dates_last(session, filters, expected):
    assert slugs(talks_newest_first(session, **filters)) == expected


def test_talks_in_rank_order_keep_the_order_given_and_skip_unknown_slugs(session):
    assert slugs(talks_in_rank_order(session, ["no-date", "gone", "day-2021"])) == ["no-date", "day-2021"]
    assert talks_in_rank_order(session, []) == []


def test_speakers_with_counts_and_their_talks(session):
    counted = [(speaker.name, count) for speaker, count in speakers_with_counts(session)]
    assert counted == [("Ana", 2), ("Luis", 2), ("Marta", 1)]
    luis = next(speaker for speaker, _ in speakers_with_counts(session) if speaker.name == "Luis")
    assert slugs(talks_by_speaker(session, luis.id)) == ["day-2023", "month-2021"]


@pytest.mark.parametrize(("language", "expected"), [(None, {2023: 1, 2021: 3}), ("en", {2021: 2}), ("es", {2023: 1, 2021: 1})])
def test_year_counts_newest_year_first(session, language, expected):
    counts = year_counts(session, language=language)
    assert counts == expected and list(counts) == sorted(counts, reverse=True)


@pytest.mark.parametrize(("year", "expected"), [(None, {"en": 3, "es": 2}), (2023, {"en": 0, "es": 1}), (1999, {"en": 0, "es": 0})])
def test_language_counts_name_every_language(session, year, expected):
    assert language_counts(session, year=year) == expected


def test_a_talk_knows_its_date_links_and_speakers(session):
    talk = talks_in_rank_order(session, ["month-2021"])[0]
    assert talk.date == TalkDate(2021, 5) and talk.language_name == "Spanish"
    assert talk.speaker_names == ["Ana", "Luis"] and talk.links == {}
    talk.link_rows = [TalkLink(position=1, kind="other", url="https://example.org/a", title="A"),
                      TalkLink(position=2, kind="video", url="https://example.org/v"),
                      TalkLink(position=3, kind="video", url="https://example.org/v2")]
    assert talk.links == {"other": "https://example.org/a", "video": "https://example.org/v"}


def test_any_change_to_talks_bumps_the_content_version_once_per_transaction(session):
    before = content_version(session)
    talk, other = talks_in_rank_order(session, ["day-2021", "day-2023"])
    talk.title, other.title = "Changed", "Changed too"
    session.flush()
    other.abstract = "Flushed again in the same transaction"
    session.commit()
    assert content_version(session) == before + 1


def test_a_language_outside_the_list_is_refused_by_the_database(session):
    session.add(Talk(slug="klingon", title="Klingon", abstract="", language="tl"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
