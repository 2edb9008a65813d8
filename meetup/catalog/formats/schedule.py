"""Read conference schedules in the Schedule JSON/XML format (pretalx, frab, pentabarf, wafer, c3voc hub).

JSON: schedule.conference.days[].rooms{room: [event]}, or a flat list of events (c3voc's
schema 2, /schedule/events); XML: <schedule><day><room><event>. The file is one event (its
conference) and each slot's title, abstract and description (Markdown from pretalx, frab and the
hub, HTML from pentabarf and wafer), persons, date, language, type, slug, id, links and attachments
are mapped to the archive's fields. A slot is left out only for its type (break, lunch ...),
named for the dry run; a talk scheduled in two slots (its id twice) is read once.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..slugs import slugify
from .external import ExternalTalk, Reading, is_non_talk, to_raw
from .records import MAX_TALKS, Problem, RawRecord, refuse
from .xmltree import Element, parse_xml

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
                      r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$")
_HTML_TOOLS = {"pentabarf", "wafer"}
# Every slot read counts, breaks too: a room of millions of empty slots is refused, not walked.
MAX_SLOTS = MAX_TALKS


@dataclass
class Schedule:
    """What a schedule file holds: its talks' raw records, its conference as a raw event, its tool."""

    raws: list[RawRecord] = field(default_factory=list)
    event: RawRecord | None = None
    tool: str = ""


def is_schedule_json(document: object) -> bool:
    """Tell a Schedule JSON document by its top-level "schedule" object."""
    return isinstance(document, dict) and isinstance(document.get("schedule"), dict)


def is_pretalx_api(document: object) -> bool:
    """Tell pretalx's API answer for a schedule (slots and breaks, no "schedule") from an export."""
    return isinstance(document, dict) and "schedule" not in document and (
        isinstance(document.get("slots"), list) or (isinstance(document.get("talks"), list) and "breaks" in document))


def read_schedule_json(document: dict, name: str, reading: Reading) -> Schedule:
    """Return the talks and the conference of a Schedule JSON document."""
    schedule = document["schedule"]
    conference = schedule.get("conference")
    if not isinstance(conference, dict):
        raise refuse(name, "expected conference to be an object", place="/schedule/conference")
    result = Schedule(tool=_json_tool(document))
    base = _text(schedule.get("base_url")) or _text(conference.get("base_url"))
    result.event = _json_conference(conference, result.tool, schedule.get("url"))
    event_slug = result.event.values["slug"] if result.event else None
    reader = _Reader(name, reading, result, event_slug, "html" if result.tool in _HTML_TOOLS else "markdown")
    days = conference.get("days")
    flat = schedule.get("events", conference.get("events"))
    if isinstance(flat, list) and not (isinstance(days, list) and any(isinstance(d, dict) and d.get("rooms") for d in days)):
        where = "/schedule/events" if "events" in schedule else "/schedule/conference/events"
        for number, slot in enumerate(flat):
            reader.json_slot(slot, f"{where}/{number}", base, {})
        return result
    if not isinstance(days, list):
        raise refuse(name, "expected a list of days (or, in schema 2, a list of events)", place="/schedule/conference/days")
    for day_number, day in enumerate(days):
        day_path = f"/schedule/conference/days/{day_number}"
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            raise refuse(name, "expected a day object with rooms", place=day_path)
        for room, slots in rooms.items():
            room_path = f"{day_path}/rooms/{_pointer(room)}"
            if not isinstance(slots, list):
                raise refuse(name, "expected a list of events", place=room_path)
            for number, slot in enumerate(slots):
                reader.json_slot(slot, f"{room_path}/{number}", base, day)
    return result


def read_schedule_xml(data: bytes, name: str, reading: Reading) -> Schedule:
    """Return the talks and the conference of a Schedule XML document."""
    root = parse_xml(data, name)
    if root.tag != "schedule":
        raise refuse(name, f"an XML file must be a conference schedule (<schedule>), not <{root.tag}>", root.line)
    conference = root.find("conference")
    result = Schedule(tool=_xml_tool(root, conference))
    # pretalx writes base_url inside <conference>; other tools beside it.
    base_element = root.find("base_url") or (conference.find("base_url") if conference is not None else None)
    base = base_element.text.strip() if base_element is not None else ""
    url_element = root.find("url")
    result.event = _xml_conference(conference, result.tool, url_element.text.strip() if url_element is not None else None)
    event_slug = result.event.values["slug"] if result.event else None
    reader = _Reader(name, reading, result, event_slug, "html" if result.tool in _HTML_TOOLS else "markdown")
    for day in root.findall("day"):
        for room in day.findall("room"):
            for slot in room.findall("event"):
                reader.xml_slot(slot, base, day.attrib.get("date"))
    return result


class _Reader:
    """Map each slot of a schedule to a raw record, skipping non-talks and repeated slots."""

    def __init__(self, name: str, reading: Reading, result: Schedule, event: str | None, syntax: str):
        self.name, self.reading, self.result, self.event, self.syntax = name, reading, result, event, syntax
        self.slots = 0
        self.seen: set[str] = set()

    def _place(self, path: str = "") -> str:
        return f"event {self.slots} ({path})" if path else f"event {self.slots}"

    def _count(self, line: int | None = None) -> None:
        self.slots += 1
        if self.slots > MAX_SLOTS:
            raise refuse(self.name, f"the schedule holds more than {MAX_SLOTS:,} slots; split it into several files", line)

    def _skip(self, kind: object, title: object, date: object, source_id: object) -> bool:
        """Tell (and note) a slot that is not a talk, or a talk already read from an earlier slot."""
        label = " ".join(title.split()) if isinstance(title, str) and title.strip() else "untitled"
        if is_non_talk(kind, title):
            day = f", {date}" if date else ""
            kind = kind.strip() if isinstance(kind, str) and kind.strip() else "no type"
            self.reading.skipped.slots.append(f"{label} ({kind}{day})")
            return True
        key = str(source_id).strip() if isinstance(source_id, (str, int)) and str(source_id).strip() else None
        if key is not None:
            if key in self.seen:
                self.reading.skipped.repeats.append(f"{label} (id {key})")
                return True
            self.seen.add(key)
        return False

    def _keep(self, talk: ExternalTalk) -> None:
        talk.event = self.event
        raw = to_raw(talk, self.reading)
        if raw is not None:
            self.result.raws.append(raw)

    def json_slot(self, slot: object, path: str, base: str, day: dict) -> None:
        self._count()
        talk = ExternalTalk(place=self._place(path))
        if not isinstance(slot, dict):
            talk.fail("record", "each event must be an object")
            self.result.raws.append(RawRecord(None, talk.place, problems=talk.problems))
            return
        source_id = slot.get("guid") or slot.get("code") or slot.get("id")
        if self._skip(slot.get("type"), slot.get("title"), _text(slot.get("date"))[:10], source_id):
            return
        talk.title = slot.get("title")
        talk.abstract_parts = [(slot.get("abstract"), self.syntax), (slot.get("description"), self.syntax)]
        talk.language = slot.get("language")
        talk.slug = slot.get("slug")
        talk.source_id = source_id if isinstance(source_id, (str, int)) and not isinstance(source_id, bool) else None
        persons = slot.get("persons")
        if persons is not None and not isinstance(persons, list):
            talk.fail("persons", "must be a list of people")
            persons = []
        for person in persons or []:
            talk.add_speaker((person.get("public_name") or person.get("name")) if isinstance(person, dict) else person)
        talk.date = _day_of(slot.get("date") or (day.get("date") if isinstance(day, dict) else None), talk)
        talk.add_link(slot.get("url"), "", "event", base)
        for key in ("links", "attachments"):
            items = slot.get(key)
            if items is not None and not isinstance(items, list):
                talk.fail("links", f"{key} must be a list")
                continue
            for item in items or []:
                if isinstance(item, str):
                    talk.add_link(item, "", "", base)
                elif isinstance(item, dict):
                    talk.add_link(item.get("url") or item.get("href"), item.get("title") or item.get("name") or "",
                                  _source_kind(item.get("type")), base)
        recording = slot.get("recording")
        talk.add_link(recording.get("url") if isinstance(recording, dict) else recording, "", "video", base)
        talk.add_link(slot.get("video_download_url"), "", "video", base)
        self._keep(talk)

    def xml_slot(self, slot: Element, base: str, day_date: str | None) -> None:
        self._count(slot.line)

        def text(tag: str) -> str | None:
            child = slot.find(tag)
            return child.text if child is not None else None

        source_id = slot.attrib.get("guid") or slot.attrib.get("id")
        if self._skip(text("type"), text("title"), (text("date") or day_date or "")[:10], source_id):
            return
        talk = ExternalTalk(place=self._place(), line=slot.line)
        talk.lines = {tag: child.line for tag in ("title", "abstract", "language", "date", "slug", "links")
                      if (child := slot.find(tag)) is not None}
        persons_element = slot.find("persons")
        if persons_element is not None:
            talk.lines["speakers"] = talk.lines["persons"] = persons_element.line
        talk.title = text("title")
        talk.abstract_parts = [(text("abstract"), self.syntax), (text("description"), self.syntax)]
        talk.language = text("language")
        talk.slug, talk.source_id = text("slug"), source_id
        for person in persons_element.findall("person") if persons_element is not None else []:
            talk.add_speaker(person.text)
        talk.date = _day_of(text("date") or day_date, talk)
        talk.add_link(text("url"), "", "event", base)
        links_element = slot.find("links")
        for link in links_element.findall("link") if links_element is not None else []:
            talk.add_link(link.attrib.get("href", ""), link.text, "", base)
        attachments = slot.find("attachments")
        for attachment in attachments.findall("attachment") if attachments is not None else []:
            talk.add_link(attachment.attrib.get("href", ""), attachment.text, _source_kind(attachment.attrib.get("type")), base)
        talk.add_link(text("video_download_url"), "", "video", base)
        self._keep(talk)


def _source_kind(kind: object) -> str:
    """Return the link kind a source's attachment type names, or "" to judge by title and host."""
    kind = kind.strip().lower() if isinstance(kind, str) else ""
    return kind if kind in {"slides", "paper", "video", "media", "recording"} else ""


def _json_tool(document: dict) -> str:
    generator = document.get("generator")
    name = generator.get("name") if isinstance(generator, dict) else None
    return _tool_named(name) or ("c3voc hub" if "events" in document["schedule"] else "frab")


def _xml_tool(root: Element, conference: Element | None) -> str:
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


def _json_conference(conference: dict, tool: str, url: object) -> RawRecord | None:
    return _event_raw("/schedule/conference", None, tool, {
        key: _text(conference.get(key)) for key in ("acronym", "title", "start", "end", "venue", "city", "url")
    }, url)


def _xml_conference(conference: Element | None, tool: str, url: str | None) -> RawRecord | None:
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
        "starts": _day_of(values["start"], probe, "starts"), "ends": _day_of(values["end"], probe, "ends"),
        "place": where or None, "url": site.strip() or None, "source": tool, "source_id": acronym or slugify(title),
    }
    raw.problems = [Problem(problem.line, f"event: {problem.field}: {problem.reason}", None, None, place)
                    for problem in probe.problems]
    return raw


def _day_of(value: object, talk: ExternalTalk, field_name: str = "date") -> str | None:
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


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
