"""Write talk records in the archive's YAML format, the one import-talks reads, a batch at a time."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TextIO

import yaml

from .records import TalkRecord, format_speaker

HEADER = "# Talks of the meetup, in the format `flask import-talks` reads (see README, Data format).\n"
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
    if record.speakers:
        mapping["speakers"] = [
            {"name": c.name, "role": c.role} if c.name.endswith(")") else format_speaker(c) for c in record.speakers
        ]
    if record.links:
        mapping["links"] = dict(record.links)
    mapping["abstract"] = _Block(record.abstract)
    return mapping


def write_talks(records: Iterable[TalkRecord], stream: TextIO, on_progress: Callable[[int], None] | None = None) -> int:
    """Write the records to a text stream as one YAML list; return how many were written."""
    stream.write(HEADER)
    written = 0
    batch: list[dict[str, object]] = []
    for record in records:
        batch.append(record_to_mapping(record))
        if len(batch) == BATCH:
            written += _write_batch(batch, stream)
            batch = []
            if on_progress:
                on_progress(written)
    if batch or not written:
        written += _write_batch(batch, stream)
    if on_progress:
        on_progress(written)
    return written


def _write_batch(batch: list[dict[str, object]], stream: TextIO) -> int:
    # Each batch is written as a list of its own; consecutive lists at column 0 read as one list.
    stream.write(yaml.dump(batch, Dumper=_ExportDumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False))
    return len(batch)


def dump_talks(records: Iterable[TalkRecord]) -> str:
    """Return the YAML text of these records, the same format import-talks reads."""
    buffer = io.StringIO()
    write_talks(records, buffer)
    return buffer.getvalue()
