"""Keep the search index (a cache) in step with the database (the truth).

Web processes only read the index (see serving). It is written by the organisers' commands
and by one follower per node (`flask index follow`, see follower), always under the node's
writer lock: whoever holds it first looks at what the index holds, so no change is applied twice.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ..catalog.models import Event, Speaker, Talk, TalkSpeaker, content_version
from ..catalog.talkdate import TalkDate
from ..search import IndexedTalk, TalkIndex

STREAM_BATCH = 500


# The talk columns the index holds as they are, by IndexedTalk's name for each: a new one is read and
# handed to the index with no other change here (its date, speakers and event are mapped in _indexed_rows).
PLAIN_COLUMNS = {"slug": Talk.slug, "title": Talk.title, "abstract": Talk.abstract, "lang": Talk.language}
TALK_COLUMNS = (Talk.id, *(column.label(name) for name, column in PLAIN_COLUMNS.items()), Talk.year, Talk.month,
                Talk.day, Event.slug.label("event"))


def _talk_rows():
    """Return the SELECT of TALK_COLUMNS: each talk with its event's slug (none for a talk of no event)."""
    return select(*TALK_COLUMNS).outerjoin(Event, Event.id == Talk.event_id)


def stream_talks(session: Session) -> Iterable[IndexedTalk]:
    """Yield every talk for indexing, reading rows in batches rather than all at once.

    Plain rows, not ORM objects: building a Talk, its appearances and their speakers for each of
    10,000 talks took a fifth of a rebuild.
    """
    talks = _talk_rows().order_by(Talk.id)
    for batch in session.execute(talks.execution_options(yield_per=STREAM_BATCH)).partitions():
        yield from _indexed_rows(session, batch)


def _indexed_rows(session: Session, rows: Sequence[Row]) -> Iterator[IndexedTalk]:
    """Return the index data of talks read as rows of TALK_COLUMNS, with their speakers in listed order."""
    speakers = (select(TalkSpeaker.talk_id, Speaker.name).join(Speaker, Speaker.id == TalkSpeaker.speaker_id)
                .where(TalkSpeaker.talk_id.in_([row.id for row in rows]))
                .order_by(TalkSpeaker.talk_id, TalkSpeaker.position))
    names: dict[int, list[str]] = {}
    for talk_id, name in session.execute(speakers):
        names.setdefault(talk_id, []).append(name)
    for row in rows:
        yield IndexedTalk(
            **{name: getattr(row, name) for name in PLAIN_COLUMNS},
            speakers=tuple(names.get(row.id, ())),
            date_key=TalkDate(row.year, row.month, row.day).sort_key,
            event=row.event or "",
        )


def rebuild_index(
    session: Session, index: TalkIndex, on_progress: Callable[[int], None] | None = None
) -> int:
    """Build a new index generation from the whole database and swap it in; return the count."""
    version = content_version(session)
    return index.rebuild(stream_talks(session), version=version, on_progress=on_progress)


def talks_by_slug(session: Session, slugs: list[str]) -> list[IndexedTalk]:
    """Return the index data of these talks, reading them in batches."""
    found: list[IndexedTalk] = []
    for start in range(0, len(slugs), STREAM_BATCH):
        batch = slugs[start : start + STREAM_BATCH]
        rows = session.execute(_talk_rows().where(Talk.slug.in_(batch))).all()
        if rows:
            found.extend(_indexed_rows(session, rows))
    return found


def bring_in_step(session: Session, index: TalkIndex, changes: Drift | None = None) -> str | None:
    """Build a missing, unreadable or outdated index, or apply what changed since it was built.

    changes, when the caller knows them (an import does), are applied as they are; otherwise every
    talk is compared with the index. Under the writer lock, and only while the index is behind:
    when another writer has already applied the change there is nothing left to do. Return what
    was done in one line, or None when the index was already in step.
    """
    with index.writing():
        started = time.perf_counter()
        problem = index.problem()
        if problem is not None:
            count = rebuild_index(session, index)
            return (f"{problem}: built it from the database: {count} talks in "
                    f"{time.perf_counter() - started:.2f} s, generation {index.generation()}")
        # The version first: a change committed during the catch-up is seen by the next one.
        version = content_version(session)
        if index.built_version() == version:
            return None
        drift = changes if changes is not None else index_drift(session, index)
        index.apply(talks_by_slug(session, drift.missing + drift.stale), drift.extra, version=version)
        return (f"index caught up with the database: {len(drift.missing)} added, {len(drift.stale)} updated, "
                f"{len(drift.extra)} removed in {time.perf_counter() - started:.2f} s")


@dataclass
class Drift:
    """How the index differs from the database."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)


def index_drift(session: Session, index: TalkIndex) -> Drift:
    """Compare every talk in the database with what the index holds for it."""
    indexed = index.fingerprints()
    drift = Drift()
    seen = set()
    for talk in stream_talks(session):
        seen.add(talk.slug)
        if talk.slug not in indexed:
            drift.missing.append(talk.slug)
        elif indexed[talk.slug] != talk.fingerprint():
            drift.stale.append(talk.slug)
    drift.extra = sorted(set(indexed) - seen)
    return drift
