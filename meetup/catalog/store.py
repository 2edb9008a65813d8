"""Store validated events and talk records in one transaction, in bulk, without one event's file touching another's talks.

A record finds its stored talk by, in order: its source's own id within its event; a slug the file
chose; or (neither given) the same title within the same event. Never by a title across events: a
new talk whose title's slug is taken gets the event's slug appended (`lightning-talks-pycon-es-2018`).
A talk whose address changes keeps answering at the old one (`slug_redirects`).

Rows go through Core statements on the tables with executemany: the ORM's bulk insert splits rows
into a statement per pattern of NULLs (thousands of statements for 10,000 talks).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from .fields import LIMITS
from .formats import EventRecord, TalkRecord
from .languages import detect_language
from .models import Event, SlugRedirect, Speaker, Talk, TalkLink, TalkSpeaker, lock_content
from .readback import PLAIN_FIELDS, StoredEvent, StoredTalk, all_records, stored_events, stored_talks
from .slugs import slugify

__all__ = ["ImportReport", "all_records", "import_records"]
BATCH = 1_000


class ImportConflict(Exception):
    """A file whose talks cannot be stored as written (a slug another talk holds); nothing was written."""


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): talks by slug, events by slug."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    events_added: list[str] = field(default_factory=list)
    events_updated: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.pruned or self.events_added or self.events_updated)

    def summary(self) -> str:
        text = (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.pruned)} removed"
        )
        events = [f"{len(found)} {what}" for found, what in ((self.events_added, "added"), (self.events_updated, "updated")) if found]
        return f"{text}; events: {', '.join(events)}" if events else text


@dataclass
class _Plan:
    report: ImportReport
    slugs: list[str]                      # each record's slug in the archive (the stored one, or a new free one)
    matches: list[StoredTalk | None]      # each record's stored talk, or None for a new one
    events: dict[str, EventRecord]        # events to add or update, by slug
    new_events: set[str]


def import_records(
    session: Session, records: Sequence[TalkRecord], *, events: Sequence[EventRecord] = (), prune: bool = False,
    dry_run: bool = False, on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store the events and upsert the talks (with prune, delete the talks of the same events absent from them).

    The caller's session must have no transaction of its own in progress; on error nothing is written.
    on_progress is called with the number of records gone through so far. Raises ImportConflict
    for a record whose chosen slug another talk holds.
    """
    with session.begin():
        state = lock_content(session)
        stored = stored_talks(session)
        known_events = stored_events(session)
        records, events = _same_events_by_source(records, events, known_events)
        plan = _plan(records, events, stored, known_events, prune)
        report = plan.report
        if dry_run or not report.changed:
            return report
        event_ids = _store_events(session, plan, known_events)
        records = [replace(record, slug=slug) for record, slug in zip(records, plan.slugs)]
        by_slug = {record.slug: (record, match) for record, match in zip(records, plan.matches)}
        added, updated = set(report.added), set(report.updated)
        speaker_ids = _speaker_ids(session, [r for r in records if r.slug in added or r.slug in updated])
        languages = {r.slug: detect_language(r.abstract) for r in records if r.slug in added}
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            new = [r for r in batch if r.slug in added]
            changed = [r for r in batch if r.slug in updated]
            talk_ids = _insert_talks(session, new, languages, event_ids)
            talk_ids.update(_update_talks(session, changed, by_slug, event_ids))
            _replace_credits(session, new + changed, talk_ids, speaker_ids)
            _replace_links(session, new + changed, talk_ids)
            if on_progress:
                on_progress(start + len(batch))
        _remember_old_slugs(session, report.renamed, stored)
        _prune(session, [stored[slug].id for slug in report.pruned])
        session.execute(delete(Speaker).where(Speaker.id.not_in(select(TalkSpeaker.speaker_id))))
        state.content_version += 1
    return report


def _plan(records: Sequence[TalkRecord], events: Sequence[EventRecord], stored: dict[str, StoredTalk],
          known_events: dict[str, StoredEvent], prune: bool) -> _Plan:
    report = ImportReport()
    event_plan, new_events = _plan_events(records, events, known_events, report)
    event_slug_of_id = {event.id: slug for slug, event in known_events.items()}
    by_source = {(event_slug_of_id.get(talk.event_id), talk.record.source_id): talk
                 for talk in stored.values() if talk.record.source_id}
    taken = set(stored)
    counters: dict[str, int] = {}
    slugs: list[str] = []
    matches: list[StoredTalk | None] = []
    claimed: set[int] = set()
    for record in records:
        match = _match(record, stored, by_source, claimed)
        if match is not None:
            claimed.add(match.id)
            slug = match.record.slug
            if record.slug_given and record.slug != slug:
                if record.slug in taken:
                    raise ImportConflict(f"talk {record.title!r}: slug {record.slug!r} belongs to another talk")
                report.renamed.append((slug, record.slug))
                taken.add(record.slug)
                slug = record.slug
            comparable = replace(record, slug=slug, line=0, slug_given=True)
            (report.unchanged if match.record == comparable else report.updated).append(slug)
        else:
            if record.slug_given:
                if record.slug in taken:
                    raise ImportConflict(f"talk {record.title!r}: slug {record.slug!r} belongs to another talk")
                slug = record.slug
                taken.add(slug)
            else:
                slug = _free_slug(record.slug, record.event, taken, counters)
            report.added.append(slug)
        slugs.append(slug)
        matches.append(match)
    if prune:
        # A file of one event's talks speaks for that event; a file with talks of no event, for the whole archive.
        scope = {record.event for record in records}
        everything = None in scope or not records
        kept = {match.id for match in matches if match is not None}
        report.pruned = sorted(slug for slug, talk in stored.items()
                               if (everything or talk.record.event in scope) and talk.id not in kept)
    return _Plan(report, slugs, matches, event_plan, new_events)


def _match(record: TalkRecord, stored: dict[str, StoredTalk], by_source: dict, claimed: set[int]) -> StoredTalk | None:
    """Return the stored talk this record is, or None for a new talk."""
    candidates: list[StoredTalk | None] = []
    if record.source_id:
        candidates.append(by_source.get((record.event, record.source_id)))
    if record.slug_given:
        candidates.append(stored.get(record.slug))
    elif not record.source_id:
        same = stored.get(record.slug)
        if same is not None and same.record.event == record.event and _same_title(same.record.title, record.title):
            candidates.append(same)
    else:
        # A talk stored before its source's ids were kept: the same title and date, and no event or id yet.
        same = stored.get(record.slug)
        if (same is not None and same.record.event is None and same.record.source_id is None
                and _same_title(same.record.title, record.title) and same.record.date == record.date):
            candidates.append(same)
    for candidate in candidates:
        if candidate is not None and candidate.id not in claimed:
            return candidate
    return None


def _same_title(first: str, second: str) -> bool:
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def _free_slug(base: str, event: str | None, taken: set[str], counters: dict[str, int]) -> str:
    """Return the slug a new talk gets: its own, else with its event's appended, else numbered."""
    candidates = [base]
    if event and not base.endswith(event):
        limit = LIMITS["slug"] - len(event) - 1
        candidates.append(f"{slugify(base, max(limit, 1))}-{event}" if limit > 0 else event)
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    return _numbered(candidates[-1], taken, counters)


def _numbered(base: str, taken: set[str], counters: dict[str, int]) -> str:
    """Return base-2, base-3 ... the first free; counting on where the last search for this base stopped."""
    n = counters.get(base, 1)
    while True:
        n += 1
        suffix = f"-{n}"
        slug = f"{base[: LIMITS['slug'] - len(suffix)].rstrip('-')}{suffix}"
        if slug not in taken:
            counters[base] = n
            taken.add(slug)
            return slug


def _same_events_by_source(records: Sequence[TalkRecord], events: Sequence[EventRecord],
                           known: dict[str, StoredEvent]) -> tuple[list[TalkRecord], list[EventRecord]]:
    """Give an event the archive knows by its tool's id the slug it has here, in the file's events and talks."""
    by_source = {(event.record.source, event.record.source_id): slug for slug, event in known.items()
                 if event.record.source and event.record.source_id}
    renamed = {event.slug: by_source[(event.source, event.source_id)] for event in events
               if (event.source, event.source_id) in by_source and by_source[(event.source, event.source_id)] != event.slug}
    if not renamed:
        return list(records), list(events)
    events = [replace(event, slug=renamed.get(event.slug, event.slug)) for event in events]
    records = [replace(record, event=renamed[record.event]) if record.event in renamed else record for record in records]
    return records, events


def _plan_events(records: Sequence[TalkRecord], events: Sequence[EventRecord], known: dict[str, StoredEvent],
                 report: ImportReport) -> tuple[dict[str, EventRecord], set[str]]:
    """Decide which events to add or update; an event a talk names but no file describes must be stored."""
    plan: dict[str, EventRecord] = {}
    new: set[str] = set()
    for event in events:
        stored = known.get(event.slug)
        if stored is not None and not event.described:
            continue  # only named by talks: the stored event stays as it was described
        if stored is None:
            plan[event.slug] = event
            new.add(event.slug)
            report.events_added.append(event.slug)
        elif stored.record != replace(event, line=0):
            plan[event.slug] = event
            report.events_updated.append(event.slug)
    described = {event.slug for event in events}
    missing = sorted({r.event for r in records if r.event and r.event not in described and r.event not in known})
    if missing:
        raise ImportConflict(f"no event {missing[0]!r} in the file or the archive; describe it under `events:`"
                             + (f" ({len(missing) - 1} more)" if len(missing) > 1 else ""))
    return plan, new


def _event_row(event: EventRecord) -> dict[str, object]:
    return {
        "slug": event.slug, "name": event.name, "kind": event.kind,
        "starts_year": event.starts.year, "starts_month": event.starts.month, "starts_day": event.starts.day,
        "ends_year": event.ends.year, "ends_month": event.ends.month, "ends_day": event.ends.day,
        "place": event.place, "url": event.url, "source": event.source, "source_id": event.source_id,
    }


def _store_events(session: Session, plan: _Plan, known: dict[str, StoredEvent]) -> dict[str, int]:
    table = Event.__table__
    for slug, event in plan.events.items():
        if slug in plan.new_events:
            session.execute(insert(table).values(_event_row(event)))
        else:
            session.execute(update(table).where(table.c.id == known[slug].id).values(_event_row(event)))
    return dict(session.execute(select(Event.slug, Event.id)).all())


def _row(record: TalkRecord, event_ids: dict[str, int]) -> dict[str, object]:
    return {**{name: getattr(record, name) for name in PLAIN_FIELDS},
            "year": record.date.year, "month": record.date.month, "day": record.date.day,
            "event_id": event_ids[record.event] if record.event else None}


def _insert_talks(session: Session, records: list[TalkRecord], languages: dict[str, str | None],
                  event_ids: dict[str, int]) -> dict[str, int]:
    if not records:
        return {}
    rows = [{**_row(r, event_ids), "abstract_language": languages[r.slug]} for r in records]
    session.execute(insert(Talk.__table__), rows)
    slugs = [r.slug for r in records]
    return dict(session.execute(select(Talk.slug, Talk.id).where(Talk.slug.in_(slugs))).all())


def _update_talks(session: Session, records: list[TalkRecord], by_slug: dict[str, tuple[TalkRecord, StoredTalk | None]],
                  event_ids: dict[str, int]) -> dict[str, int]:
    if not records:
        return {}
    table = Talk.__table__
    columns = list(_row(records[0], event_ids)) + ["abstract_language"]
    statement = (update(table).where(table.c.id == bindparam("talk_id"))
                 .values({**{name: bindparam(f"new_{name}") for name in columns}, "updated_at": func.now()}))
    rows = []
    ids = {}
    for record in records:
        old = by_slug[record.slug][1]
        row = {f"new_{name}": value for name, value in _row(record, event_ids).items()}
        # Detecting a language costs; only a changed abstract needs it.
        changed = old.record.abstract != record.abstract
        language = detect_language(record.abstract) if changed else old.abstract_language
        row.update(talk_id=old.id, new_abstract_language=language)
        rows.append(row)
        ids[record.slug] = old.id
    session.execute(statement, rows)
    return ids


def _replace_credits(session: Session, records: list[TalkRecord], talk_ids: dict[str, int], speaker_ids: dict[str, int]) -> None:
    if not records:
        return
    ids = [talk_ids[r.slug] for r in records]
    session.execute(delete(TalkSpeaker).where(TalkSpeaker.talk_id.in_(ids)))
    rows = [
        {"talk_id": talk_ids[r.slug], "position": position, "speaker_id": speaker_ids[credit.name], "role": credit.role}
        for r in records for position, credit in enumerate(r.speakers, start=1)
    ]
    if rows:
        session.execute(insert(TalkSpeaker.__table__), rows)


def _replace_links(session: Session, records: list[TalkRecord], talk_ids: dict[str, int]) -> None:
    if not records:
        return
    session.execute(delete(TalkLink).where(TalkLink.talk_id.in_([talk_ids[r.slug] for r in records])))
    rows = [
        {"talk_id": talk_ids[r.slug], "position": position, "kind": link.kind, "url": link.url, "title": link.title}
        for r in records for position, link in enumerate(r.links, start=1)
    ]
    if rows:
        session.execute(insert(TalkLink.__table__), rows)


def _remember_old_slugs(session: Session, renamed: list[tuple[str, str]], stored: dict[str, StoredTalk]) -> None:
    """Keep each old address of a renamed talk answering; a new talk that took an old address owns it now."""
    taken_now = select(Talk.slug)
    session.execute(delete(SlugRedirect).where(SlugRedirect.slug.in_(taken_now)))
    rows = [{"slug": old, "talk_id": stored[old].id} for old, _new in renamed]
    if rows:
        session.execute(delete(SlugRedirect).where(SlugRedirect.slug.in_([row["slug"] for row in rows])))
        session.execute(insert(SlugRedirect.__table__), rows)


def _speaker_ids(session: Session, records: list[TalkRecord]) -> dict[str, int]:
    """Return the id of every speaker these records name, creating each new one once with a unique slug."""
    known = {name: (speaker_id, slug) for speaker_id, name, slug in session.execute(select(Speaker.id, Speaker.name, Speaker.slug))}
    taken = {slug for _, slug in known.values()}
    counters: dict[str, int] = {}
    new: dict[str, str] = {}
    for record in records:
        for credit in record.speakers:
            if credit.name not in known and credit.name not in new:
                base = slugify(credit.name) or "speaker"
                if base in taken:
                    new[credit.name] = _numbered(base, taken, counters)
                else:
                    taken.add(base)
                    new[credit.name] = base
    if new:
        session.execute(insert(Speaker.__table__), [{"name": name, "slug": slug} for name, slug in new.items()])
    ids = {name: speaker_id for name, (speaker_id, _) in known.items()}
    names = list(new)
    for start in range(0, len(names), BATCH):
        batch = names[start : start + BATCH]
        ids.update(session.execute(select(Speaker.name, Speaker.id).where(Speaker.name.in_(batch))).all())
    return ids


def _prune(session: Session, talk_ids: list[int]) -> None:
    for start in range(0, len(talk_ids), BATCH):
        batch = talk_ids[start : start + BATCH]
        session.execute(delete(TalkSpeaker).where(TalkSpeaker.talk_id.in_(batch)))
        session.execute(delete(TalkLink).where(TalkLink.talk_id.in_(batch)))
        session.execute(delete(Talk).where(Talk.id.in_(batch)))
