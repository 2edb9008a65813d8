"""Read conference schedules in the Schedule JSON/XML format (pretalx, frab, pentabarf, wafer, c3voc hub).

JSON: schedule.conference.days[].rooms{room: [event]}, or a flat list of events (c3voc's
schema 2, /schedule/events); XML: <schedule><day><room><event>. The file is one event (its
conference) and each slot's title, abstract and description (Markdown from pretalx, frab and the
hub, HTML from pentabarf and wafer), persons, date, language, type, slug, id, links and attachments
are mapped to the archive's fields. A slot is left out only for its type (break, lunch ...),
named for the dry run; a talk scheduled in two slots (its id twice) is read once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .conference import day_of, json_conference, json_tool, xml_conference, xml_tool
from .external import ExternalTalk, Reading, is_non_talk, to_raw
from .records import MAX_TALKS, RawRecord, refuse
from .xmltree import Element, parse_xml

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
    result = Schedule(tool=json_tool(document))
    base = _text(schedule.get("base_url")) or _text(conference.get("base_url"))
    result.event = json_conference(conference, result.tool, schedule.get("url"))
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
    result = Schedule(tool=xml_tool(root, conference))
    # pretalx writes base_url inside <conference>; other tools beside it.
    base_element = root.find("base_url") or (conference.find("base_url") if conference is not None else None)
    base = base_element.text.strip() if base_element is not None else ""
    url_element = root.find("url")
    result.event = xml_conference(conference, result.tool, url_element.text.strip() if url_element is not None else None)
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
        talk.values["event"] = self.event
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
        talk.values.update(title=slot.get("title"), language=slot.get("language"), slug=slot.get("slug"),
                           source_id=source_id if isinstance(source_id, (str, int)) and not isinstance(source_id, bool) else None)
        talk.abstract_parts = [(slot.get("abstract"), self.syntax), (slot.get("description"), self.syntax)]
        persons = slot.get("persons")
        if persons is not None and not isinstance(persons, list):
            talk.fail("persons", "must be a list of people")
            persons = []
        for person in persons or []:
            talk.add_speaker((person.get("public_name") or person.get("name")) if isinstance(person, dict) else person)
        talk.values["date"] = day_of(slot.get("date") or (day.get("date") if isinstance(day, dict) else None), talk)
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
        talk.values.update(title=text("title"), language=text("language"), slug=text("slug"), source_id=source_id)
        talk.abstract_parts = [(text("abstract"), self.syntax), (text("description"), self.syntax)]
        for person in persons_element.findall("person") if persons_element is not None else []:
            talk.add_speaker(person.text)
        talk.values["date"] = day_of(text("date") or day_date, talk)
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


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
