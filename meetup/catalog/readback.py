"""Read stored talks back as the organisers' records, a few queries for any number of talks."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .formats import SpeakerCredit, TalkRecord
from .models import LINK_KINDS, Speaker, Talk, TalkSpeaker, newest_first
from .talkdate import TalkDate

_COLUMNS = (Talk.id, Talk.slug, Talk.title, Talk.abstract, Talk.language, Talk.year, Talk.month, Talk.day,
            Talk.slides_url, Talk.video_url, Talk.event_url)


@dataclass(frozen=True)
class StoredTalk:
    """A stored talk's id and its content in record form."""

    id: int
    record: TalkRecord
    abstract_language: str | None = None


def stored_talks(session: Session) -> dict[str, StoredTalk]:
    """Return every stored talk by slug, in record form, for comparing with a file."""
    credits = _credits(session)
    query = select(*_COLUMNS, Talk.abstract_language)
    return {row.slug: StoredTalk(row.id, _record(row, credits), row.abstract_language) for row in session.execute(query)}


def all_records(session: Session) -> Iterator[TalkRecord]:
    """Yield every stored talk as a record, newest first."""
    credits = _credits(session)
    query = select(*_COLUMNS).order_by(*newest_first())
    for row in session.execute(query.execution_options(yield_per=1000)):
        yield _record(row, credits)


def _credits(session: Session) -> dict[int, list[SpeakerCredit]]:
    query = (select(TalkSpeaker.talk_id, Speaker.name, TalkSpeaker.role)
             .join(Speaker, Speaker.id == TalkSpeaker.speaker_id)
             .order_by(TalkSpeaker.talk_id, TalkSpeaker.position))
    credits: dict[int, list[SpeakerCredit]] = defaultdict(list)
    for talk_id, name, role in session.execute(query):
        credits[talk_id].append(SpeakerCredit(name, role))
    return credits


def _record(row, credits: dict[int, list[SpeakerCredit]]) -> TalkRecord:
    urls = (row.slides_url, row.video_url, row.event_url)
    return TalkRecord(
        slug=row.slug, title=row.title, abstract=row.abstract or "", language=row.language,
        date=TalkDate(row.year, row.month, row.day),
        speakers=tuple(credits.get(row.id, ())),
        links=tuple((kind, url) for kind, url in zip(LINK_KINDS, urls) if url),
    )
