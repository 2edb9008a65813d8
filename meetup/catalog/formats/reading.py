"""Read a talk file of any accepted format, told by its content, and validate every record in it.

Accepted: the archive's YAML list and CSV table, Schedule JSON and XML (pretalx, frab, pentabarf,
wafer, the c3voc hub), PyVideo JSON, any of them gzip-compressed, and folders of them. Only
regular files and folders are read (never a device or a FIFO), and bounds protect the machine.
"""
from __future__ import annotations

import codecs
import gzip
import io
import os
import stat
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..languages import LANGUAGES
from .csvfile import read_csv_records
from .external import Reading, Skipped
from .jsontext import JsonBudget
from .pyvideo import is_pyvideo, read_pyvideo
from .records import MAX_FILE_BYTES, MAX_PROBLEMS, EventRecord, Problem, RawRecord, TalkFileError, TalkRecord, refuse
from .schedule import Schedule, is_pretalx_api, is_schedule_json, read_schedule_json, read_schedule_xml
from .validation import named_events, validate, validate_events
from .yamlfile import read_yaml_file

_DECODE_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class TalkFile:
    """The valid records and events of a file, its format, and what the import should report.

    `languages_set` lists (talk, code, how) for talks whose language was missing: "given" by
    --language or "detected" from the text; `invalid` the problems of talks left out by
    --skip-invalid; `unreadable` (file, reason) for the files of a folder that could not be read;
    `cut` (talk, length) for abstracts cut to the limit.
    """

    records: list[TalkRecord]
    format: str
    skipped: Skipped = field(default_factory=Skipped)
    events: list[EventRecord] = field(default_factory=list)
    languages_set: list[tuple[str, str, str]] = field(default_factory=list)
    invalid: list[Problem] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    cut: list[tuple[str, int]] = field(default_factory=list)

    def notes(self) -> str:
        """Return the summary's notes: format, what was skipped, languages set, talks left out."""
        parts = [self.format, self.skipped.describe()]
        for how in ("given", "detected"):
            counts = Counter(LANGUAGES[code] for _, code, way in self.languages_set if way == how)
            if counts:
                named = ", ".join(f"{language} {count}" for language, count in sorted(counts.items()))
                parts.append(f"language {'from --language' if how == 'given' else 'detected'} for "
                             f"{sum(counts.values())} talk(s) ({named})")
        if self.cut:
            parts.append(f"{len(self.cut)} abstract(s) cut to the limit")
        if self.invalid:
            parts.append(f"{len({(p.talk, p.place, p.line) for p in self.invalid if p.talk})} invalid talk(s) left out")
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} file(s) not read")
        return "; ".join(part for part in parts if part)


def read_talk_file(path: str | Path, *, skip_other_languages: bool = False) -> list[TalkRecord]:
    """Read and validate a whole talk file; raise TalkFileError listing every problem."""
    return load_talk_file(path, skip_other_languages=skip_other_languages).records


def load_talk_file(path: str | Path, *, skip_other_languages: bool = False, language: str | None = None,
                   skip_invalid: bool = False) -> TalkFile:
    """Read and validate a talk file or folder, and say which format it was and what was left out."""
    path = Path(path)
    name = str(path)
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise refuse(name, f"cannot read the file: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        from .folder import read_folder

        return read_folder(path, Reading(skip_other_languages, language), skip_invalid)
    data = read_regular_file(path, name, mode)
    return parse_talk_bytes(data, name, path.suffix.lower().lstrip("."), skip_other_languages=skip_other_languages,
                            language=language, skip_invalid=skip_invalid)


def read_regular_file(path: Path, name: str, mode: int | None = None) -> bytes:
    """Return a regular file's bytes within the bound; refuse devices, FIFOs and sockets before reading."""
    try:
        status = path.stat()
    except OSError as error:
        raise refuse(name, f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(mode if mode is not None else status.st_mode):
        raise refuse(name, "not a regular file or a folder (a device, a FIFO or a socket?); give a talk file")
    if status.st_size > MAX_FILE_BYTES:
        raise refuse(name, f"the file is {status.st_size:,} bytes; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    try:
        # O_NONBLOCK: should the path have turned into a FIFO since, opening it does not wait.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise refuse(name, "not a regular file or a folder (a device, a FIFO or a socket?); give a talk file")
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise refuse(name, f"cannot read the file: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise refuse(name, f"the file holds more than {MAX_FILE_BYTES:,} bytes; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    return data


def parse_talk_text(data: bytes, name: str, fmt: str = "") -> list[TalkRecord]:
    """Validate the bytes of a talk file ("csv" reads CSV; anything else is told by its content)."""
    return parse_talk_bytes(data, name, fmt).records


def parse_talk_bytes(data: bytes, name: str, suffix: str = "", *, skip_other_languages: bool = False,
                     language: str | None = None, skip_invalid: bool = False, budget: JsonBudget | None = None) -> TalkFile:
    """Validate the bytes of a talk file, telling its format by its content first and its name second."""
    reading = Reading(skip_other_languages, language)
    fmt, raws, events = read_raw(data, name, suffix, reading, budget or JsonBudget())
    return validated(raws, events, name, fmt, reading, skip_invalid)


def read_raw(data: bytes, name: str, suffix: str, reading: Reading, budget: JsonBudget) -> tuple[str, list[RawRecord], list[RawRecord]]:
    """Return a file's format, its talks' raw records and its raw events, before validation."""
    compressed = data[:2] == _GZIP_MAGIC
    if compressed:
        data = _gunzip(data, name)
        suffix = suffix if suffix != "gz" else Path(name[:-3]).suffix.lower().lstrip(".")
    if len(data) > MAX_FILE_BYTES:
        raise refuse(name, f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    _check_utf8(data, name)
    head = data[:64].lstrip(codecs.BOM_UTF8).lstrip()
    if not head:
        raise refuse(name, "the file is empty: it holds no talks")
    fmt, raws, events = _read_by_content(data, head, name, suffix, reading, budget)
    return (f"{fmt} in gzip" if compressed else fmt), raws, events


def _read_by_content(data: bytes, head: bytes, name: str, suffix: str, reading: Reading, budget: JsonBudget):
    if head.startswith(b"{"):
        document = budget.loads(data.decode("utf-8-sig"), name)
        if is_schedule_json(document):
            return _schedule("Schedule JSON", read_schedule_json(document, name, reading))
        if is_pyvideo(document):
            slug = document.get("slug")  # a lone file's id: its own slug, when it gives one
            return "PyVideo JSON", read_pyvideo(document, "", reading, None, slug if isinstance(slug, str) else None), []
        if is_pretalx_api(document):
            raise refuse(name, "this is pretalx's API output (/api/events/…/schedules/…); export the schedule "
                         "as /schedule/export/schedule.json (or schedule.xml) instead")
        raise refuse(name, 'a JSON file must be a conference schedule (Schedule JSON, with "schedule") '
                     'or a PyVideo talk (with "title", "speakers", "videos" ...)')
    if head.startswith(b"<"):
        return _schedule("Schedule XML", read_schedule_xml(data, name, reading))
    if suffix == "csv":
        return "CSV", read_csv_records(data.decode("utf-8-sig"), name), []
    raw_events, raws, reading.sections = read_yaml_file(data, name)
    return "YAML", raws, raw_events


def _schedule(fmt: str, schedule: Schedule):
    return f"{fmt} ({schedule.tool})", schedule.raws, [schedule.event] if schedule.event else []


def validated(raws: list[RawRecord], raw_events: list[RawRecord], name: str, fmt: str, reading: Reading,
              skip_invalid: bool) -> TalkFile:
    """Validate raw talks and events into a TalkFile; refuse every problem unless invalid talks are skipped.

    An event a talk names but the file does not describe (`event: devopsdays Cuba 2017`) is added as one
    the talks only name (see validation.named_events).
    """
    if not raws and reading.sections:
        events, event_problems = validate_events(raw_events)
        if event_problems:
            raise TalkFileError(name, _bounded(event_problems))
        return TalkFile([], fmt, reading.skipped, events)  # events alone, or an empty archive's export
    if not raws:
        if reading.skipped.total:
            raise refuse(name, f"the file holds no talks to import ({reading.skipped.describe()})")
        raise refuse(name, "the file holds no talks")
    events, event_problems = validate_events(raw_events)
    if event_problems:
        raise TalkFileError(name, _bounded(event_problems))
    records, problems = validate(raws)
    if problems and not (skip_invalid and records):
        raise TalkFileError(name, _bounded(problems))
    events = events + named_events(raws, records, events)
    talk_file = TalkFile(records, fmt, reading.skipped, events, reading.languages_set, problems)
    talk_file.cut = reading.cut
    return talk_file


def _bounded(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [Problem(None, f"... and {more:,} more problems")]


def _gunzip(data: bytes, name: str) -> bytes:
    """Return a gzip file's content, reading no more than the bound allows."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise refuse(name, f"a gzip file that cannot be decompressed ({error})") from None
    if len(content) > MAX_FILE_BYTES:
        raise refuse(name, f"the gzip file expands to more than {MAX_FILE_BYTES // 2**20} MiB, the limit")
    return content


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
