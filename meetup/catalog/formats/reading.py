"""Read a talk file of any accepted format, told by its content, and validate every record in it.

Accepted: the archive's YAML list and CSV table, Schedule JSON and XML (frab, pretalx) and PyVideo
JSON (a file, or a folder of them). Bounds protect the machine, not the archive's size.
"""
from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from pathlib import Path

from .csvfile import read_csv_records
from .external import Skipped
from .pyvideo import is_pyvideo, read_pyvideo, read_pyvideo_folder
from .records import MAX_FILE_BYTES, MAX_PROBLEMS, EventRecord, Problem, RawRecord, TalkFileError, TalkRecord, refuse
from .schedule import is_schedule_json, read_schedule_json, read_schedule_xml
from .validation import named_events, validate, validate_events
from .yamlfile import read_yaml_file

_DECODE_CHUNK = 1 << 20


@dataclass
class TalkFile:
    """The valid records of a file, its format, and what was skipped on purpose."""

    records: list[TalkRecord]
    format: str
    skipped: Skipped = field(default_factory=Skipped)
    events: list[EventRecord] = field(default_factory=list)


def read_talk_file(path: str | Path, *, skip_other_languages: bool = False) -> list[TalkRecord]:
    """Read and validate a whole talk file; raise TalkFileError listing every problem."""
    return load_talk_file(path, skip_other_languages=skip_other_languages).records


def load_talk_file(path: str | Path, *, skip_other_languages: bool = False) -> TalkFile:
    """Read and validate a talk file or PyVideo folder, and say which format it was and what was skipped."""
    path = Path(path)
    name = str(path)
    if path.is_dir():
        skipped = Skipped()
        raws = read_pyvideo_folder(path, skipped, skip_other_languages)
        return _validated(raws, name, "PyVideo folder", skipped)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise refuse(name, f"cannot read the file: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise refuse(name, f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise refuse(name, f"cannot read the file: {error.strerror}") from None
    return parse_talk_bytes(data, name, path.suffix.lower().lstrip("."), skip_other_languages=skip_other_languages)


def parse_talk_text(data: bytes, name: str, fmt: str = "") -> list[TalkRecord]:
    """Validate the bytes of a talk file ("csv" reads CSV; anything else is told by its content)."""
    return parse_talk_bytes(data, name, fmt).records


def parse_talk_bytes(data: bytes, name: str, suffix: str = "", *, skip_other_languages: bool = False) -> TalkFile:
    """Validate the bytes of a talk file, telling its format by its content (CSV by its .csv name)."""
    if len(data) > MAX_FILE_BYTES:
        raise refuse(name, f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    _check_utf8(data, name)
    head = data[:64].lstrip(codecs.BOM_UTF8).lstrip()
    if not head:
        raise refuse(name, "the file is empty: it holds no talks")
    skipped = Skipped()
    if suffix == "csv":
        raws = read_csv_records(data.decode("utf-8-sig"), name)
        talk_file = _validated(raws, name, "CSV", skipped)
        talk_file.events = named_events(raws, talk_file.records, [])
        return talk_file
    if head.startswith(b"<"):
        raws = read_schedule_xml(data, name, skipped, skip_other_languages)
        return _validated(raws, name, "Schedule XML", skipped)
    if head.startswith(b"{"):
        document = _json(data, name)
        if is_schedule_json(document):
            return _validated(read_schedule_json(document, name, skipped, skip_other_languages), name, "Schedule JSON", skipped)
        if is_pyvideo(document):
            return _validated(read_pyvideo(document, "", skipped, skip_other_languages), name, "PyVideo JSON", skipped)
        raise refuse(name, 'a JSON file must be a conference schedule (Schedule JSON, with "schedule") '
                     'or a PyVideo talk (with "title", "speakers", "videos" ...)')
    event_raws, talk_raws, sections = read_yaml_file(data, name)
    events, event_problems = validate_events(event_raws)
    if not talk_raws and sections:
        if event_problems:
            raise TalkFileError(name, event_problems)
        return TalkFile([], "YAML", skipped, events)  # an export of an empty archive, or events alone
    talk_file = _validated(talk_raws, name, "YAML", skipped, event_problems)
    talk_file.events = events + named_events(talk_raws, talk_file.records, events)
    return talk_file


def _validated(raws: list[RawRecord], name: str, fmt: str, skipped: Skipped, problems_before: list[Problem] = ()) -> TalkFile:
    if not raws:
        if skipped.total:
            raise refuse(name, f"the file holds no talks to import ({skipped.describe()})")
        raise refuse(name, "the file holds no talks")
    records, problems = validate(raws)
    problems = list(problems_before) + problems
    if problems:
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [Problem(None, f"... and {more:,} more problems")]
        raise TalkFileError(name, problems)
    return TalkFile(records, fmt, skipped)


def _check_utf8(data: bytes, name: str) -> None:
    """Refuse bytes that are not UTF-8 text, or hold NUL, naming the line; decode in chunks to bound memory."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise refuse(name, "the file contains a NUL character; is it a binary file?", line)
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), _DECODE_CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start : start + _DECODE_CHUNK], final=start + _DECODE_CHUNK >= len(data))
        except UnicodeDecodeError as error:
            offset = start - pending + error.start
            line = data.count(b"\n", 0, offset) + 1
            byte = data[offset : offset + 1].hex()
            raise refuse(name, f"not UTF-8 text (byte 0x{byte}); save the file as UTF-8", line) from None


def _json(data: bytes, name: str) -> object:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except json.JSONDecodeError as error:
        raise refuse(name, f"malformed JSON: {error.msg} (column {error.colno})", error.lineno) from None
    except RecursionError:
        raise refuse(name, "JSON nested too deeply; a schedule needs a few levels") from None
