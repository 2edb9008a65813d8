"""Read a folder of talk files: PyVideo events (category.json and talk files), YAML, CSV and schedules.

Every file the folder holds is read if it can be, and each one that cannot is named with its
reason. A PyVideo talk belongs to the event of the nearest category.json above it, and its path
within the folder is its id there. Links are not followed out of the folder, and only regular
files are read. The folder's bytes and JSON objects count against the bounds of one file.
"""
from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

from .external import Reading
from .jsontext import JsonBudget
from .pyvideo import category_event, is_category, is_pyvideo, read_pyvideo
from .reading import TalkFile, read_raw, read_regular_file, validated
from .records import MAX_FILE_BYTES, MAX_TALKS, RawRecord, TalkFileError, TalkRecord, refuse

_TALK_SUFFIXES = {"json", "xml", "yaml", "yml", "csv", "gz"}


def read_folder(folder: Path, reading: Reading, skip_invalid: bool) -> TalkFile:
    """Return the valid talks and events of every readable file under a folder, naming the others."""
    name = str(folder)
    root = folder.resolve()
    paths, unreadable = _files(folder, root, name)
    budget = JsonBudget()
    raws: list[RawRecord] = []
    raw_events: list[RawRecord] = []
    formats: set[str] = set()
    event_of: dict[Path, str] = {}
    categories = sorted((path for path in paths if path.name == "category.json"), key=lambda p: len(p.parts))
    for path in categories:
        place = path.relative_to(folder).as_posix()
        try:
            document = budget.loads(read_regular_file(path, place).decode("utf-8-sig"), place)
        except (TalkFileError, UnicodeDecodeError) as error:
            unreadable.append((place, _reason(error)))
            continue
        if not is_category(document):
            unreadable.append((place, "not a PyVideo category (an object with a title)"))
            continue
        event = category_event(document, (path.parent if path.parent != folder else root).name, place)
        raw_events.append(event)
        event_of[path.parent] = str(event.values["slug"])
    total = 0
    for path in paths:
        place = path.relative_to(folder).as_posix()
        if path.name == "category.json":
            continue
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in _TALK_SUFFIXES:
            unreadable.append((place, f"not a talk file (.{suffix or '?'}); read are {', '.join(sorted(_TALK_SUFFIXES))}"))
            continue
        try:
            data = read_regular_file(path, place)
            total += len(data)
            if total > MAX_FILE_BYTES:
                raise refuse(name, f"the folder's files hold more than {MAX_FILE_BYTES // 2**20} MiB, the limit")
            fmt, found, events = _read_one(data, path, place, folder, reading, budget, event_of)
        except TalkFileError as error:
            if error.filename == name:
                raise
            unreadable.append((place, _reason(error)))
            continue
        formats.add(fmt)
        raws.extend(found)
        raw_events.extend(events)
        if len(raws) > MAX_TALKS:
            raise refuse(name, f"the folder holds more than {MAX_TALKS:,} talks; import it in parts")
    if not raws and unreadable:
        raise TalkFileError(name, [refuse(name, f"{place}: {reason}").problems[0] for place, reason in unreadable])
    fmt = "PyVideo folder" if formats <= {"PyVideo JSON"} else f"folder ({', '.join(sorted(formats))})"
    talk_file = validated(raws, raw_events, name, fmt, reading, skip_invalid)
    talk_file.unreadable = sorted(unreadable)
    talk_file.events = _dated(talk_file.events, talk_file.records)
    return talk_file


def _read_one(data: bytes, path: Path, place: str, folder: Path, reading: Reading, budget: JsonBudget,
              event_of: dict[Path, str]) -> tuple[str, list[RawRecord], list[RawRecord]]:
    if path.suffix.lower() == ".json" and data.lstrip()[:1] == b"{":
        document = budget.loads(data.decode("utf-8-sig", errors="strict"), place)
        if is_pyvideo(document):
            # Its id is its path within its event's folder, whichever folder above it was imported.
            home = next((parent for parent in path.parents if parent in event_of), folder)
            source_id = path.relative_to(home).as_posix()
            return "PyVideo JSON", read_pyvideo(document, place, reading, event_of.get(home), source_id), []
    fmt, raws, events = read_raw(data, place, path.suffix.lower().lstrip("."), reading, budget)
    for raw in raws + events:
        _name_file(raw, place)
    return fmt, raws, events


def _name_file(raw: RawRecord, file: str) -> None:
    """Put the file's name in a record's place, so that problems in a folder say which file they are in."""
    if raw.line:
        raw.place = f"{file}:{raw.line}" + (f": {raw.place}" if raw.place else "")
        raw.line, raw.lines = None, {}
        raw.problems = [dataclasses.replace(problem, line=None, place=raw.place) for problem in raw.problems]
    else:
        raw.place = f"{file}: {raw.place}" if raw.place else file
        raw.problems = [dataclasses.replace(problem, place=f"{file}: {problem.place}" if problem.place else raw.place)
                        for problem in raw.problems]


def _files(folder: Path, root: Path, name: str) -> tuple[list[Path], list[tuple[str, str]]]:
    """Return the folder's regular files in order, and the others named: links out of it are not followed."""
    paths: list[Path] = []
    for directory, subfolders, files in os.walk(folder, followlinks=False):
        subfolders[:] = sorted(sub for sub in subfolders if not sub.startswith("."))
        for file_name in sorted(files):
            if file_name.startswith("."):
                continue
            path = Path(directory) / file_name
            paths.append(path)
            if len(paths) > MAX_TALKS:
                raise refuse(name, f"the folder holds more than {MAX_TALKS:,} files; import it in parts")
    kept: list[Path] = []
    others: list[tuple[str, str]] = []
    for path in paths:
        place = path.relative_to(folder).as_posix()
        try:
            resolved = path.resolve(strict=True)
            mode = resolved.stat().st_mode
        except (OSError, RuntimeError):
            others.append((place, "a broken link, or a file that cannot be read"))
            continue
        if not resolved.is_relative_to(root):
            others.append((place, "a link to a file outside the folder; not followed"))
        elif not stat.S_ISREG(mode):
            others.append((place, "not a regular file (a FIFO, a device or a socket?)"))
        else:
            kept.append(path)
    if not kept:
        raise refuse(name, "the folder holds no talk files" + (f" ({others[0][0]}: {others[0][1]})" if others else ""))
    return kept, others


def _reason(error: Exception) -> str:
    if isinstance(error, TalkFileError):
        return "; ".join((f"line {problem.line}: " if problem.line else "") + problem.reason for problem in error.problems[:3])
    return str(error)


def _dated(events: list, records: list[TalkRecord]) -> list:
    """Give each event without dates the first and last day of its talks (PyVideo categories have none)."""
    result = []
    for event in events:
        if event.starts.known:
            result.append(event)
            continue
        days = sorted((record.date for record in records if record.event == event.slug and record.date.known),
                      key=lambda date: date.sort_key)
        result.append(dataclasses.replace(event, starts=days[0], ends=days[-1]) if days else event)
    return result
