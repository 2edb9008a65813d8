"""Store validated talk records in the database: upsert by slug in one transaction, in bulk.

Rows go through Core statements on the tables with executemany: the ORM's bulk insert splits rows
into a statement per pattern of NULLs (thousands of statements for 10,000 talks).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from .formats import TalkRecord
from .languages import detect_language
from .models import LINK_KINDS, Speaker, Talk, TalkSpeaker, lock_content
from .readback import StoredTalk, all_records, stored_talks
from .slugs import slugify

__all__ = ["ImportReport", "all_records", "import_records"]
BATCH = 1_000


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


def import_records(
    session: Session, records: Sequence[TalkRecord], *, prune: bool = False, dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert the records by slug (and with prune, delete talks absent from them) in one transaction.

    The caller's session must have no transaction of its own in progress; on error nothing is written.
    on_progress is called with the number of records gone through so far.
    """
    with session.begin():
        state = lock_content(session)
        stored = stored_talks(session)
        report = _plan(records, stored, prune)
        if dry_run or not report.changed:
            return report
        added, updated = set(report.added), set(report.updated)
        speaker_ids = _speaker_ids(session, [r for r in records if r.slug in added or r.slug in updated])
        new_records = [r for r in records if r.slug in added]
        languages = {r.slug: detect_language(r.abstract) for r in new_records}
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            new = [r for r in batch if r.slug in added]
            changed = [r for r in batch if r.slug in updated]
            talk_ids = _insert_talks(session, new, languages)
            talk_ids.update(_update_talks(session, changed, stored))
            _replace_credits(session, new + changed, talk_ids, speaker_ids)
            if on_progress:
                on_progress(start + len(batch))
        _prune(session, [stored[slug].id for slug in report.pruned])
        session.execute(delete(Speaker).where(Speaker.id.not_in(select(TalkSpeaker.speaker_id))))
        state.content_version += 1
    return report


def _plan(records: Sequence[TalkRecord], stored: dict[str, StoredTalk], prune: bool) -> ImportReport:
    report = ImportReport()
    for record in records:
        talk = stored.get(record.slug)
        if talk is None:
            report.added.append(record.slug)
        elif talk.record == replace(record, line=0):
            report.unchanged.append(record.slug)
        else:
            report.updated.append(record.slug)
    if prune:
        wanted = {record.slug for record in records}
        report.pruned = sorted(slug for slug in stored if slug not in wanted)
    return report


def _row(record: TalkRecord) -> dict[str, object]:
    links = dict(record.links)
    row = {"slug": record.slug, "title": record.title, "abstract": record.abstract, "language": record.language,
           "year": record.date.year, "month": record.date.month, "day": record.date.day}
    row.update({f"{kind}_url": links.get(kind) for kind in LINK_KINDS})
    return row


def _insert_talks(session: Session, records: list[TalkRecord], languages: dict[str, str | None]) -> dict[str, int]:
    if not records:
        return {}
    rows = [{**_row(r), "abstract_language": languages[r.slug]} for r in records]
    session.execute(insert(Talk.__table__), rows)
    slugs = [r.slug for r in records]
    return dict(session.execute(select(Talk.slug, Talk.id).where(Talk.slug.in_(slugs))).all())


def _update_talks(session: Session, records: list[TalkRecord], stored: dict[str, StoredTalk]) -> dict[str, int]:
    if not records:
        return {}
    table = Talk.__table__
    columns = [name for name in _row(records[0]) if name != "slug"] + ["abstract_language"]
    statement = (update(table).where(table.c.id == bindparam("talk_id"))
                 .values({**{name: bindparam(f"new_{name}") for name in columns}, "updated_at": func.now()}))
    rows = []
    for record in records:
        old = stored[record.slug]
        row = {f"new_{name}": value for name, value in _row(record).items() if name != "slug"}
        # Detecting a language costs; only a changed abstract needs it.
        changed = old.record.abstract != record.abstract
        language = detect_language(record.abstract) if changed else old.abstract_language
        row.update(talk_id=old.id, new_abstract_language=language)
        rows.append(row)
    session.execute(statement, rows)
    return {record.slug: stored[record.slug].id for record in records}


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


def _speaker_ids(session: Session, records: list[TalkRecord]) -> dict[str, int]:
    """Return the id of every speaker these records name, creating each new one once with a unique slug."""
    known = {name: (speaker_id, slug) for speaker_id, name, slug in session.execute(select(Speaker.id, Speaker.name, Speaker.slug))}
    taken = {slug for _, slug in known.values()}
    new: dict[str, str] = {}
    for record in records:
        for credit in record.speakers:
            if credit.name not in known and credit.name not in new:
                new[credit.name] = _free_slug(slugify(credit.name) or "speaker", taken)
    if new:
        session.execute(insert(Speaker.__table__), [{"name": name, "slug": slug} for name, slug in new.items()])
    ids = {name: speaker_id for name, (speaker_id, _) in known.items()}
    names = list(new)
    for start in range(0, len(names), BATCH):
        batch = names[start : start + BATCH]
        ids.update(session.execute(select(Speaker.name, Speaker.id).where(Speaker.name.in_(batch))).all())
    return ids


def _free_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _prune(session: Session, talk_ids: list[int]) -> None:
    for start in range(0, len(talk_ids), BATCH):
        batch = talk_ids[start : start + BATCH]
        session.execute(delete(TalkSpeaker).where(TalkSpeaker.talk_id.in_(batch)))
        session.execute(delete(Talk).where(Talk.id.in_(batch)))
