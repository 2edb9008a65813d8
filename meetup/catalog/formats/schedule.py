"""Read conference schedules in the Schedule JSON/XML format of frab and pretalx (c3voc's schema).

JSON: schedule.conference.days[].rooms{room: [event]}; XML: <schedule><day><room><event>. Each
event's title, abstract and description, persons, date, language, type, url, slug, guid and
links are mapped to the archive's fields; breaks and other non-talk slots are skipped and counted.
"""
from __future__ import annotations

import datetime as dt

from .external import ExternalTalk, Skipped, is_non_talk, link_kind, to_raw
from .records import MAX_TALKS, Problem, RawRecord, TalkFileError, refuse
from .xmltree import Element, parse_xml


def is_schedule_json(document: object) -> bool:
    """Tell a Schedule JSON document by its top-level "schedule" object."""
    return isinstance(document, dict) and isinstance(document.get("schedule"), dict)


def read_schedule_json(document: dict, name: str, skipped: Skipped, skip_other_languages: bool) -> list[RawRecord]:
    """Return the raw records of the talks in a Schedule JSON document."""
    schedule = document["schedule"]
    base = schedule.get("base_url") if isinstance(schedule.get("base_url"), str) else ""
    days = _member(schedule, "conference", dict, name, "/schedule").get("days")
    if not isinstance(days, list):
        raise refuse(name, "expected a list of days", place="/schedule/conference/days")
    raws: list[RawRecord] = []
    for day_number, day in enumerate(days):
        day_path = f"/schedule/conference/days/{day_number}"
        rooms = _member(day, "rooms", dict, name, day_path) if isinstance(day, dict) else None
        if rooms is None:
            raise refuse(name, "expected a day object with rooms", place=day_path)
        for room, events in rooms.items():
            room_path = f"{day_path}/rooms/{_pointer(room)}"
            if not isinstance(events, list):
                raise refuse(name, "expected a list of events", place=room_path)
            for event_number, event in enumerate(events):
                place = f"event {len(raws) + 1 + skipped.total} ({room_path}/{event_number})"
                talk = _json_event(event, place, base, day)
                _keep(talk, raws, skipped, skip_other_languages)
    return raws


def read_schedule_xml(data: bytes, name: str, skipped: Skipped, skip_other_languages: bool) -> list[RawRecord]:
    """Return the raw records of the talks in a Schedule XML document."""
    root = parse_xml(data, name)
    if root.tag != "schedule":
        raise refuse(name, f"an XML file must be a conference schedule (<schedule>), not <{root.tag}>", root.line)
    conference = root.find("conference")
    # pretalx writes base_url inside <conference>; other tools beside it.
    base_element = root.find("base_url") or (conference.find("base_url") if conference is not None else None)
    base = base_element.text.strip() if base_element is not None else ""
    raws: list[RawRecord] = []
    for day in root.findall("day"):
        for room in day.findall("room"):
            for event in room.findall("event"):
                place = f"event {len(raws) + 1 + skipped.total}"
                _keep(_xml_event(event, place, base, day.attrib.get("date")), raws, skipped, skip_other_languages)
    return raws


def _keep(talk: ExternalTalk | None, raws: list[RawRecord], skipped: Skipped, skip_other_languages: bool) -> None:
    if len(raws) == MAX_TALKS:
        raise TalkFileError("", [Problem(None, f"the schedule holds more than {MAX_TALKS:,} talks; split it into several files")])
    if talk is None:
        skipped.non_talks += 1
        return
    raw = to_raw(talk, skipped, skip_other_languages)
    if raw is not None:
        raws.append(raw)


def _json_event(event: object, place: str, base: str, day: dict) -> ExternalTalk | None:
    talk = ExternalTalk(place=place)
    if not isinstance(event, dict):
        talk.fail("record", "each event must be an object")
        return talk
    persons = event.get("persons")
    if persons is not None and not isinstance(persons, list):
        talk.fail("persons", "must be a list of people")
        persons = []
    if is_non_talk(event.get("type"), bool(persons)):
        return None
    talk.title = event.get("title")
    talk.abstract_parts = [event.get("abstract"), event.get("description")]
    talk.language = event.get("language")
    talk.slug, talk.guid = event.get("slug"), event.get("guid")
    for number, person in enumerate(persons or [], start=1):
        name = (person.get("public_name") or person.get("name")) if isinstance(person, dict) else person
        if not isinstance(name, str) or not name.strip():
            talk.fail("persons", f"person {number} has no name (public_name or name)")
            continue
        talk.speakers.append({"name": name})
    talk.date = _day_of(event.get("date") or day.get("date"), talk)
    talk.add_link("event", event.get("url"), base)
    links = event.get("links") if isinstance(event.get("links"), list) else []
    attachments = event.get("attachments") if isinstance(event.get("attachments"), list) else []
    for link in links + attachments:
        url, label, kind = (link, "", "") if isinstance(link, str) else (
            (link.get("url") or link.get("href"), link.get("title") or "", link.get("type") or "")
            if isinstance(link, dict) else (None, "", ""))
        if isinstance(url, str):
            talk.add_link(link_kind(url, str(label), str(kind)), url, base)
    recording = event.get("recording")
    talk.add_link("video", recording.get("url") if isinstance(recording, dict) else recording, base)
    talk.add_link("video", event.get("video_download_url"), base)
    return talk


def _xml_event(event: Element, place: str, base: str, day_date: str | None) -> ExternalTalk | None:
    def text(tag: str) -> str | None:
        child = event.find(tag)
        return child.text if child is not None else None

    persons_element = event.find("persons")
    persons = persons_element.findall("person") if persons_element is not None else []
    if is_non_talk(text("type"), bool(persons)):
        return None
    talk = ExternalTalk(place=place, line=event.line)
    talk.lines = {tag: child.line for tag in ("title", "abstract", "language", "date", "slug", "links")
                  if (child := event.find(tag)) is not None}
    if persons_element is not None:
        talk.lines["speakers"] = talk.lines["persons"] = persons_element.line
    talk.title = text("title")
    talk.abstract_parts = [text("abstract"), text("description")]
    talk.language = text("language")
    talk.slug, talk.guid = text("slug"), event.attrib.get("guid")
    talk.speakers = [{"name": person.text.strip()} for person in persons if person.text.strip()]
    talk.date = _day_of(text("date") or day_date, talk)
    talk.add_link("event", text("url"), base)
    links_element = event.find("links")
    for link in links_element.findall("link") if links_element is not None else []:
        href = link.attrib.get("href", "")
        talk.add_link(link_kind(href, link.text), href, base)
    talk.add_link("video", text("video_download_url"), base)
    return talk


def _day_of(value: object, talk: ExternalTalk) -> str | None:
    """Return the YYYY-MM-DD of a slot's ISO date-time (its local day), or None when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return dt.datetime.fromisoformat(str(value).strip()).date().isoformat()
    except ValueError:
        try:
            return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            talk.fail("date", f"{value!r} is not an ISO date-time (such as 2024-05-17T10:00:00+02:00)")
            return None


def _member(parent: dict, key: str, kind: type, name: str, path: str):
    value = parent.get(key)
    if not isinstance(value, kind):
        raise refuse(name, f"expected {key} to be {'an object' if kind is dict else 'a list'}", place=f"{path}/{key}")
    return value


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
