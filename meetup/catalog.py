"""Store validated talk records in the database (upsert by slug) and read them back."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .languages import detect_language
from .models import LINK_KINDS, Speaker, Talk, TalkSpeaker, lock_content, newest_first, talks_query
from .talkfile import SpeakerCredit, TalkRecord, slugify


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), by slug."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.pruned)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.pruned)} removed"
        )


def record_of(talk: Talk) -> TalkRecord:
    """Return a stored talk in the organisers' record form."""
    return TalkRecord(
        slug=talk.slug,
        title=talk.title,
        abstract=talk.abstract,
        language=talk.language,
        date=talk.date,
        speakers=tuple(SpeakerCredit(a.speaker.name, a.role) for a in talk.appearances),
        links=tuple((kind, url) for kind, url in talk.links.items()),
    )


def same_content(talk: Talk, record: TalkRecord) -> bool:
    """Tell whether a stored talk already holds exactly what the record says."""
    return record_of(talk) == replace(record, line=0)


def all_records(session: Session) -> list[TalkRecord]:
    """Return every stored talk as a record, newest first."""
    return [record_of(talk) for talk in session.scalars(talks_query().order_by(*newest_first()))]


def import_records(
    session: Session, records: Sequence[TalkRecord], *, prune: bool = False, dry_run: bool = False
) -> ImportReport:
    """Upsert the records by slug (and with prune, delete talks absent from them) in one transaction.

    The caller's session must have no transaction of its own in progress; on error nothing is written.
    """
    with session.begin():
        state = lock_content(session)
        stored = {talk.slug: talk for talk in session.scalars(talks_query())}
        report = ImportReport()
        for record in records:
            talk = stored.get(record.slug)
            if talk is None:
                report.added.append(record.slug)
            elif same_content(talk, record):
                report.unchanged.append(record.slug)
            else:
                report.updated.append(record.slug)
        wanted = {record.slug for record in records}
        if prune:
            report.pruned = sorted(slug for slug in stored if slug not in wanted)
        if dry_run or not report.changed:
            return report
        speakers = _SpeakerDirectory(session)
        changed = set(report.added) | set(report.updated)
        for record in records:
            if record.slug in changed:
                talk = stored.get(record.slug) or Talk(slug=record.slug)
                _fill(talk, record, speakers)
                session.add(talk)
        for slug in report.pruned:
            session.delete(stored[slug])
        session.flush()
        _delete_unused_speakers(session)
        state.content_version += 1
    return report


def _fill(talk: Talk, record: TalkRecord, speakers: _SpeakerDirectory) -> None:
    talk.title = record.title
    if talk.abstract != record.abstract or talk.id is None:
        talk.abstract_language = detect_language(record.abstract)
    talk.abstract = record.abstract
    talk.language = record.language
    talk.date = record.date
    links = dict(record.links)
    for kind in LINK_KINDS:
        setattr(talk, f"{kind}_url", links.get(kind))
    if [(a.speaker.name, a.role) for a in talk.appearances] != [(c.name, c.role) for c in record.speakers]:
        talk.appearances.clear()
        if talk.id is not None:
            # Old link rows must be gone before new ones reuse their (talk, position) keys.
            speakers.session.flush()
        talk.appearances.extend(
            TalkSpeaker(position=position, speaker=speakers.get(credit.name), role=credit.role)
            for position, credit in enumerate(record.speakers, start=1)
        )


class _SpeakerDirectory:
    """Find speakers by exact name, creating each new one once with a unique slug."""

    def __init__(self, session: Session):
        self.session = session
        self.by_name = {s.name: s for s in session.scalars(select(Speaker))}
        self.slugs = {s.slug for s in self.by_name.values()}

    def get(self, name: str) -> Speaker:
        speaker = self.by_name.get(name)
        if speaker is None:
            speaker = Speaker(name=name, slug=self._free_slug(slugify(name) or "speaker"))
            self.session.add(speaker)
            self.by_name[name] = speaker
        return speaker

    def _free_slug(self, base: str) -> str:
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug


def _delete_unused_speakers(session: Session) -> None:
    used = select(TalkSpeaker.speaker_id)
    session.execute(delete(Speaker).where(Speaker.id.not_in(used)))
