"""Read PyVideo talk files (one JSON object per talk) and the event a folder's category.json describes.

Fields used: title, summary, description, speakers, recorded, language, videos[] {url, type},
related_urls[] (a URL, or {label, url}) and slug; the file's path within its folder is the talk's
id in its event. category.json gives the event's title and slug (the folder's name when absent).
"""
from __future__ import annotations

from ..slugs import slugify
from .external import ExternalTalk, Reading, to_raw
from .records import MAX_SPEAKERS, RawRecord
from .validation import MAX_LINKS

_TALK_KEYS = {"videos", "speakers", "recorded", "related_urls"}


def is_pyvideo(document: object) -> bool:
    """Tell a PyVideo talk by its title and at least one of its talk fields."""
    return isinstance(document, dict) and "title" in document and bool(_TALK_KEYS & set(document))


def is_category(document: object) -> bool:
    """Tell a PyVideo category (an event: a title, no talk fields) from a talk."""
    return isinstance(document, dict) and isinstance(document.get("title"), str) and not (_TALK_KEYS & set(document))


def read_pyvideo(document: dict, place: str, reading: Reading, event: str | None = None,
                 source_id: str | None = None) -> list[RawRecord]:
    """Return the raw record of one PyVideo talk (none when it is skipped for its language)."""
    talk = ExternalTalk(place=place)
    talk.values.update(title=document.get("title"), language=document.get("language"), slug=document.get("slug"),
                       event=event, source_id=source_id)
    talk.abstract_parts = [(document.get("summary"), "markdown"), (document.get("description"), "markdown")]
    for name in _list(document, "speakers", MAX_SPEAKERS, talk):
        if name is not None and not isinstance(name, str):
            talk.fail("speakers", "each speaker must be a name")
            break
        talk.add_speaker(name)  # an empty name ("speakers": [""]) is no speaker
    recorded = document.get("recorded")
    if recorded is not None and not isinstance(recorded, str):
        talk.fail("date", f"recorded must be a date (YYYY-MM-DD), not a {type(recorded).__name__}")
    else:
        talk.values["date"] = recorded[:10] if recorded and len(recorded) >= 10 and recorded[10:11] in {"", "T", " "} else recorded
    for video in _list(document, "videos", MAX_LINKS, talk):
        if isinstance(video, dict):
            talk.add_link(video.get("url"), video.get("title") or "", "video")
        else:
            talk.add_link(video, "", "video")
    for related in _list(document, "related_urls", MAX_LINKS, talk):
        if isinstance(related, dict):
            talk.add_link(related.get("url"), related.get("label") or related.get("title") or "")
        else:
            talk.add_link(related)
    raw = to_raw(talk, reading)
    return [raw] if raw is not None else []


def category_event(document: dict, folder_name: str, place: str) -> RawRecord:
    """Return the raw event of a PyVideo category.json (its title, its slug or its folder's name)."""
    given = document.get("slug")
    slug = slugify(given if isinstance(given, str) and given.strip() else folder_name) or None
    return RawRecord(line=None, place=place, slug_given=False, values={
        "slug": slug, "name": document.get("title"), "kind": "conference", "source": "pyvideo", "source_id": slug,
    })


def _list(document: dict, key: str, limit: int, talk: ExternalTalk) -> list:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        talk.fail("speakers" if key == "speakers" else "links", f"{key} must be a list, not a {type(value).__name__}")
        return []
    if len(value) > limit:
        talk.fail("speakers" if key == "speakers" else "links", f"{key} lists {len(value):,} items; a talk has at most {limit}")
        return []
    return value
