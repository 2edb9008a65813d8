"""Reading talks for the index: plain rows give exactly what each talk's ORM object gives."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from meetup.catalog.db import get_session
from meetup.catalog.formats import read_talk_file
from meetup.catalog.models import Talk
from meetup.catalog.store import import_records
from meetup.indexing import sync
from meetup.indexing.sync import stream_talks
from meetup.search import IndexedTalk

TALKS = """\
- title: Kafka en producción
  language: es
  date: 2024-05-17
  speakers: [Ana Núñez, Bea Ruiz, Carla Díaz]
  abstract: Colas, particiones y réplicas.
- title: No speakers at all
  language: en
  date: 2023-02
- title: One speaker, year only
  language: en
  date: 2021
  speakers: [Bea Ruiz]
- title: Speakers in their listed order
  language: en
  speakers: [Zoe Alba, Ana Núñez]
- title: Sin fecha
  language: es
  speakers: [Carla Díaz]
"""


def indexed_talk(talk: Talk) -> IndexedTalk:
    """Return what the index should hold for a talk, read through its ORM object (the rows' oracle)."""
    return IndexedTalk(
        slug=talk.slug,
        title=talk.title,
        abstract=talk.abstract,
        speakers=tuple(talk.speaker_names),
        lang=talk.language,
        date_key=talk.date.sort_key,
        event=talk.event.slug if talk.event is not None else "",
    )


@pytest.mark.parametrize("batch", [1, 2, 3, 500])
def test_streamed_talks_are_the_orm_talks_in_order(app, tmp_path, monkeypatch, batch) -> None:
    path = tmp_path / "talks.yaml"
    path.write_text(TALKS, encoding="utf-8")
    monkeypatch.setattr(sync, "STREAM_BATCH", batch)
    with app.app_context():
        session = get_session()
        import_records(session, read_talk_file(path))
        expected = [indexed_talk(talk) for talk in session.scalars(select(Talk).order_by(Talk.id))]
        assert [talk.speakers for talk in expected][:2] == [("Ana Núñez", "Bea Ruiz", "Carla Díaz"), ()]
        assert list(stream_talks(session)) == expected


@pytest.mark.parametrize("wanted", [
    ["kafka-en-produccion", "sin-fecha"],
    ["speakers-in-their-listed-order", "no-such-talk"],
    [],
])
def test_talks_by_slug_are_the_orm_talks(app, tmp_path, monkeypatch, wanted) -> None:
    path = tmp_path / "talks.yaml"
    path.write_text(TALKS, encoding="utf-8")
    monkeypatch.setattr(sync, "STREAM_BATCH", 1)
    with app.app_context():
        session = get_session()
        import_records(session, read_talk_file(path))
        expected = [indexed_talk(talk) for talk in session.scalars(select(Talk).where(Talk.slug.in_(wanted)))]
        assert sorted(sync.talks_by_slug(session, wanted), key=lambda talk: talk.slug) == sorted(
            expected, key=lambda talk: talk.slug)
        assert len(expected) == len([slug for slug in wanted if slug != "no-such-talk"])
