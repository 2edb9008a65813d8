"""The event a schedule file describes (its conference), and which tool wrote the file.

The tool is named by the file's `generator` when it has one; else told by shape: JSON without one
is frab's (or the hub's, when its events are listed flat), XML events with a guid are frab's, a
conference with no acronym and a day change at midnight is wafer's template, the rest pentabarf's.
"""
from __future__ import annotations

import datetime as dt
import re

from ..slugs import slugify
from .external import ExternalTalk
from .records import Problem, RawRecord
from .xmltree import Element

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
                      r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$")


def json_tool(document: dict) -> str:
    generator = document.get("generator")
    name = generator.get("name") if isinstance(generator, dict) else None
    return _tool_named(name) or ("c3voc hub" if "events" in document["schedule"] else "frab")


def xml_tool(root: Element, conference: Element | None) -> str:
    generator = root.find("generator")
    named = _tool_named(generator.attrib.get("name") if generator is not None else None)
    if named:
        return named
    slots = (slot for day in root.findall("day") for room in day.findall("room") for slot in room.findall("event"))
    first = next(slots, None)
    if first is not None and "guid" in first.attrib:
        return "frab"
    acronym = conference.find("acronym") if conference is not None else None
    day_change = conference.find("day_change") if conference is not None else None
    # wafer's template writes no acronym and a day change at midnight; pentabarf writes both.
    if acronym is None and day_change is not None and day_change.text.strip() in {"00:00", "00:00:00"}:
        return "wafer"
    return "pentabarf"


def _tool_named(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        return ""
    lowered = name.strip().lower()
    for tool in ("pretalx", "frab", "pentabarf", "wafer"):
        if tool in lowered:
            return tool
    if "hub" in lowered or "c3voc" in lowered:
        return "c3voc hub"
    return " ".join(name.split())[:40]


def json_conference(conference: dict, tool: str, url: object) -> RawRecord | None:
    return _event_raw("/schedule/conference", None, tool, {
        key: _text(conference.get(key)) for key in ("acronym", "title", "start", "end", "venue", "city", "url")
    }, url)


def xml_conference(conference: Element | None, tool: str, url: str | None) -> RawRecord | None:
    if conference is None:
        return None
    values = {}
    for key in ("acronym", "title", "start", "end", "venue", "city", "url"):
        child = conference.find(key)
        values[key] = child.text.strip() if child is not None else ""
    return _event_raw("<conference>", conference.line, tool, values, url)


def _event_raw(place: str, line: int | None, tool: str, values: dict, url: object) -> RawRecord | None:
    acronym, title = values["acronym"], values["title"]
    if not (acronym or title) or not slugify(acronym or title):
        return None
    raw = RawRecord(line=line, place=place, slug_given=False)
    where = ", ".join(part for part in (values["venue"], values["city"]) if part)
    site = values["url"] or (url if isinstance(url, str) else "")
    probe = ExternalTalk(place=place, line=line)
    raw.values = {
        "slug": slugify(acronym or title), "name": title or acronym, "kind": "conference",
        "starts": day_of(values["start"], probe, "starts"), "ends": day_of(values["end"], probe, "ends"),
        "place": where or None, "url": site.strip() or None, "source": tool, "source_id": acronym or slugify(title),
    }
    raw.problems = [Problem(problem.line, f"event: {problem.field}: {problem.reason}", None, None, place)
                    for problem in probe.problems]
    return raw


def day_of(value: object, talk: ExternalTalk, field_name: str = "date") -> str | None:
    """Return the YYYY-MM-DD of an ISO date or date-time (its local day), None when absent.

    The whole value must be an ISO date-time in ASCII digits with a real offset: "…+99:99" or
    "2024-05-18garbage" is refused, not cut to its first ten characters.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or len(text) > 40 or not _ISO_DAY.match(text):
        talk.fail(field_name, f"{str(value)[:40]!r} is not an ISO date-time (such as 2024-05-17T10:00:00+02:00)")
        return None
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T")).date().isoformat()
    except ValueError as error:
        talk.fail(field_name, f"{text!r} is not an ISO date-time: {error}")
        return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
