"""Read PyVideo talk files (one JSON object per talk), alone or as a folder of them.

Fields used: title, description, speakers, recorded, language, videos[] {url, type},
related_urls[] (a URL, or {label, url}) and slug; the file's path names the talk in problems.
"""
from __future__ import annotations

import json
from pathlib import Path

from .external import ExternalTalk, Skipped, link_kind, to_raw
from .records import MAX_FILE_BYTES, MAX_TALKS, Problem, RawRecord, TalkFileError, refuse

_TALK_KEYS = {"videos", "speakers", "recorded", "related_urls"}


def is_pyvideo(document: object) -> bool:
    """Tell a PyVideo talk by its title and at least one of its talk fields."""
    return isinstance(document, dict) and "title" in document and bool(_TALK_KEYS & set(document))


def read_pyvideo(document: dict, place: str, skipped: Skipped, skip_other_languages: bool) -> list[RawRecord]:
    """Return the raw record of one PyVideo talk (none when it is skipped for its language)."""
    talk = ExternalTalk(place=place)
    talk.title = document.get("title")
    talk.abstract_parts = [document.get("summary"), document.get("description")]
    talk.language = document.get("language")
    talk.slug = document.get("slug")
    speakers = document.get("speakers") or []
    if not isinstance(speakers, list):
        talk.fail("speakers", "must be a list of names")
        speakers = []
    for number, speaker in enumerate(speakers, start=1):
        if isinstance(speaker, str) and speaker.strip():
            talk.speakers.append({"name": speaker})
        else:
            talk.fail("speakers", f"speaker {number} must be a name")
    recorded = document.get("recorded")
    talk.date = recorded[:10] if isinstance(recorded, str) else recorded
    for video in document.get("videos") or []:
        talk.add_link("video", video.get("url") if isinstance(video, dict) else video)
    for related in document.get("related_urls") or []:
        url, label = (related.get("url"), related.get("label") or "") if isinstance(related, dict) else (related, "")
        if isinstance(url, str):
            talk.add_link(link_kind(url, str(label)) or "event", url)
    raw = to_raw(talk, skipped, skip_other_languages)
    return [raw] if raw is not None else []


def read_pyvideo_folder(folder: Path, skipped: Skipped, skip_other_languages: bool) -> list[RawRecord]:
    """Return the raw records of every PyVideo talk file under a folder (category.json files aside)."""
    name = str(folder)
    paths = sorted(path for path in folder.rglob("*.json") if path.name != "category.json" and path.is_file())
    if not paths:
        raise refuse(name, "the folder holds no .json talk files")
    if len(paths) > MAX_TALKS:
        raise refuse(name, f"the folder holds {len(paths):,} files; the limit is {MAX_TALKS:,} talks")
    total = sum(path.stat().st_size for path in paths)
    if total > MAX_FILE_BYTES:
        raise refuse(name, f"the folder's files hold {total:,} bytes; the limit is {MAX_FILE_BYTES // 2**20} MiB")
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    for path in paths:
        place = str(path.relative_to(folder))
        try:
            document = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            problems.append(Problem(None, f"not a JSON talk file: {error}", place=place))
            continue
        if not is_pyvideo(document):
            problems.append(Problem(None, "not a PyVideo talk (an object with title, speakers, videos ...)", place=place))
            continue
        raws.extend(read_pyvideo(document, place, skipped, skip_other_languages))
    if problems:
        raise TalkFileError(name, problems)
    return raws
