"""A file that validates fits the columns on every database: each part of "Name (Role)" within its own limit."""
from __future__ import annotations

import pytest

from meetup.catalog.fields import LIMITS
from meetup.catalog.formats import TalkFileError, parse_talk_bytes
from meetup.catalog.models import Speaker, Talk, TalkLink, TalkSpeaker


def speaker_file(speaker: str) -> bytes:
    return f'- title: T\n  language: en\n  speakers:\n  - "{speaker}"\n'.encode()


@pytest.mark.parametrize(("speaker", "problem"), [
    ("N" * 250 + " (SRE)", "the name is 250 characters; the limit is 200"),
    ("Ana (" + "r" * 101 + ")", "the role is 101 characters; the limit is 100"),
])
def test_each_part_of_a_speaker_is_held_to_its_column(speaker, problem):
    with pytest.raises(TalkFileError) as refused:
        parse_talk_bytes(speaker_file(speaker), "t.yaml")
    assert problem in str(refused.value)


def test_the_longest_accepted_parts_fit_the_columns():
    (record,) = parse_talk_bytes(speaker_file("N" * 200 + " (" + "r" * 100 + ")"), "t.yaml").records
    (credit,) = record.speakers
    assert len(credit.name) == Speaker.__table__.c.name.type.length
    assert len(credit.role) == TalkSpeaker.__table__.c.role.type.length


@pytest.mark.parametrize(("column", "limit"), [
    (Talk.__table__.c.slug, "slug"), (Talk.__table__.c.title, "title"), (Talk.__table__.c.source_id, "source_id"),
    (Speaker.__table__.c.name, "name"), (TalkSpeaker.__table__.c.role, "role"), (TalkLink.__table__.c.url, "url"),
    (TalkLink.__table__.c.title, "link_title"),
])
def test_the_columns_are_as_wide_as_the_limits(column, limit):
    assert column.type.length == LIMITS[limit]
