"""Read stored talks and events back as the organisers' records, a few queries for any number of talks."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from .formats import EventRecord, Link, SpeakerCredit, TalkRecord
from .models import Event, Speaker, Talk, TalkLink, TalkSpeaker, newest_first
from .talkdate import TalkDate

# The record's fields kept as they are in the talks column of the same name: a new one is stored and
# read back with no change here or in store (the date, event, speakers and links are mapped below).
PLAIN_FIELDS = tuple(field.name for field in fields(TalkRecord) if field.name in Talk.__table__.c)
_COLUMNS = (Talk.id, *(Talk.__table__.c[name] for name in PLAIN_FIELDS), Talk.year, Talk.month, Talk.day,
            Talk.event_id)


@dataclass(frozen=True)
class StoredTalk:
    """A stored talk's id, its event's id and its content in record form."""

    id: int
    record: TalkRecord
    event_id: int | None = None
    abstract_language: str | None = None


@dataclass(frozen=True)
class StoredEvent:
    """A stored event's id and its content in record form."""

    id: int
    record: EventRecord


def stored_talks(session: Session) -> dict[str, StoredTalk]:
    """Return every stored talk by slug, in record form, for comparing with a file."""
    credits, links, events = _credits(session), _links(session), _event_slugs(session)
    query = select(*_COLUMNS, Talk.abstract_language)
    return {row.slug: StoredTalk(row.id, _record(row, credits, links, events), row.event_id, row.abstract_language)
            for row in session.execute(query)}


def stored_events(session: Session) -> dict[str, StoredEvent]:
    """Return every stored event by slug, in record form."""
    return {event.slug: StoredEvent(event.id, event_record(event)) for event in session.scalars(select(Event))}


def all_records(session: Session) -> Iterator[TalkRecord]:
    """Yield every stored talk as a record, newest first."""
    credits, links, events = _credits(session), _links(session), _event_slugs(session)
    query = select(*_COLUMNS).order_by(*newest_first())
    for row in session.execute(query.execution_options(yield_per=1000)):
        yield _record(row, credits, links, events)


def all_events(session: Session) -> list[EventRecord]:
    """Return every stored event as a record, newest first."""
    query = select(Event).order_by(Event.starts_year.desc().nulls_last(), Event.starts_month.desc().nulls_last(),
                                   Event.starts_day.desc().nulls_last(), Event.slug)
    return [event_record(event) for event in session.scalars(query)]


def event_record(event: Event) -> EventRecord:
    """Return a stored event in record form."""
    return EventRecord(slug=event.slug, name=event.name, kind=event.kind, starts=event.starts, ends=event.ends,
                       place=event.place, url=event.url, source=event.source, source_id=event.source_id)


def _credits(session: Session) -> dict[int, list[SpeakerCredit]]:
    query = (select(TalkSpeaker.talk_id, Speaker.name, TalkSpeaker.role)
             .join(Speaker, Speaker.id == TalkSpeaker.speaker_id)
             .order_by(TalkSpeaker.talk_id, TalkSpeaker.position))
    credits: dict[int, list[SpeakerCredit]] = defaultdict(list)
    for talk_id, name, role in session.execute(query):
        credits[talk_id].append(SpeakerCredit(name, role))
    return credits


def _links(session: Session) -> dict[int, list[Link]]:
    query = select(TalkLink.talk_id, TalkLink.kind, TalkLink.url, TalkLink.title).order_by(TalkLink.talk_id, TalkLink.position)
    links: dict[int, list[Link]] = defaultdict(list)
    for talk_id, kind, url, title in session.execute(query):
        links[talk_id].append(Link(kind, url, title))
    return links


def _event_slugs(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Event.id, Event.slug)).all())


def _record(row, credits: dict[int, list[SpeakerCredit]], links: dict[int, list[Link]], events: dict[int, str]) -> TalkRecord:
    return TalkRecord(
        **{name: getattr(row, name) for name in PLAIN_FIELDS},
        date=TalkDate(row.year, row.month, row.day),
        speakers=tuple(credits.get(row.id, ())),
        links=tuple(links.get(row.id, ())),
        event=events.get(row.event_id) if row.event_id is not None else None,
    )
