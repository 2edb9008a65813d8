"""Write talk records in the archive's YAML format, the one import-talks reads, a batch at a time."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

import yaml

from ..fields import links_by_kind
from .records import EventRecord, SpeakerCredit, TalkRecord, format_speaker, parse_speaker

HEADER = "# Events and talks of the meetup, in the format `flask import-talks` reads (see README, Data format).\n"
_PLAIN_LINK_KINDS = ("slides", "video", "event")
BATCH = 500
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Block(str):
    """Text to write as a literal block, one paragraph a line, so abstracts stay readable."""


class _ExportDumper(_Dumper):
    pass


def _represent_block(dumper, value: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_ExportDumper.add_representer(_Block, _represent_block)


def record_to_mapping(record: TalkRecord) -> dict[str, object]:
    """Return the file form of a record, fields in a fixed, readable order."""
    mapping: dict[str, object] = {"slug": record.slug, "title": record.title, "date": record.date.iso(), "language": record.language}
    if record.event:
        mapping["event"] = record.event
    if record.source_id:
        mapping["source_id"] = record.source_id
    if record.speakers:
        mapping["speakers"] = [_speaker(credit) for credit in record.speakers]
    if record.links:
        by_kind = links_by_kind(record.links)
        plain = all(link.title is None and link.kind in _PLAIN_LINK_KINDS for link in record.links)
        if plain and len(by_kind) == len(record.links):
            mapping["links"] = by_kind
        else:
            mapping["links"] = [{"kind": link.kind, "url": link.url, **({"title": link.title} if link.title else {})}
                                for link in record.links]
    mapping["abstract"] = _Block(record.abstract)
    if record.abstract_html:
        mapping["abstract_html"] = _Block(record.abstract_html)
    return mapping


def event_to_mapping(event: EventRecord) -> dict[str, object]:
    """Return the file form of an event, the fields it has in a fixed order."""
    mapping: dict[str, object] = {"slug": event.slug, "name": event.name, "kind": event.kind, "starts": event.starts.iso()}
    optional = {"ends": event.ends.iso(), "place": event.place, "url": event.url, "source": event.source,
                "source_id": event.source_id}
    mapping.update({key: value for key, value in optional.items() if value})
    return mapping


def _speaker(credit: SpeakerCredit) -> object:
    """Write a credit as "Name (Role)" when that reads back the same, else as its name and role."""
    written = format_speaker(credit)
    if parse_speaker(written) == credit and ";" not in written:
        return written
    return {"name": credit.name, "role": credit.role} if credit.role else {"name": credit.name}


def write_talks(records: Iterable[TalkRecord], stream: TextIO, on_progress: Callable[[int], None] | None = None,
                events: Iterable[EventRecord] = ()) -> int:
    """Write the events and then the talks to a text stream in the file's two sections; return how many talks."""
    stream.write(HEADER)
    events = [event_to_mapping(event) for event in events]
    stream.write("events:\n" if events else "events: []\n")
    if events:
        _write_batch(events, stream)
    written = 0
    batch: list[dict[str, object]] = []
    for record in records:
        batch.append(record_to_mapping(record))
        if len(batch) == BATCH:
            stream.write("" if written else "talks:\n")
            written += _write_batch(batch, stream)
            batch = []
            if on_progress:
                on_progress(written)
    if batch:
        stream.write("" if written else "talks:\n")
        written += _write_batch(batch, stream)
    if not written:
        stream.write("talks: []\n")
    if on_progress:
        on_progress(written)
    return written


def _write_batch(batch: list[dict[str, object]], stream: TextIO) -> int:
    # Each batch is written as a list of its own; consecutive lists at column 0 read as one list.
    stream.write(yaml.dump(batch, Dumper=_ExportDumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False))
    return len(batch)
