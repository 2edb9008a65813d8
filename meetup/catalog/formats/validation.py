"""Check raw records from any format against the archive's rules and turn them into talk records."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import fields

from ..fields import DIRECTION_CONTROLS, ZERO_WIDTH
from ..languages import LANGUAGES
from ..markup import html_to_text, sanitize_html
from ..slugs import SLUG_PATTERN, slugify
from ..talkdate import BadDate, TalkDate
from .links import link_kind
from .records import (
    EVENT_KINDS, LIMITS, LINK_KINDS, MAX_SPEAKERS, EventRecord, Link, Problem, RawRecord, SpeakerCredit, TalkRecord, parse_speaker,
)

# The fields a file may give a talk: the record's, less where it was read and how its slug was chosen.
RECORD_FIELDS = {field.name for field in fields(TalkRecord)} - {"line", "slug_given"}
EVENT_FIELDS = {"slug", "name", "kind", "date", "starts", "ends", "place", "url", "source", "source_id"}
MAX_LINKS = 50
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Control characters (NUL included: PostgreSQL refuses it), lone surrogates, and the bidi embeddings and
# overrides (U+202A-U+202E) that make text display in another order than it reads; tab and newlines are text.
_FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ud800-\\udfff{DIRECTION_CONTROLS}]")
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")


def validate(raws: Iterable[RawRecord]) -> tuple[list[TalkRecord], list[Problem]]:
    """Check every raw record; return the valid records and every problem found, in file order."""
    records: list[TalkRecord] = []
    problems: list[Problem] = []
    by_id: dict[tuple, RawRecord] = {}
    by_slug: dict[str, list[tuple[RawRecord, TalkRecord]]] = {}
    for raw in raws:
        found, record = _validate_one(raw)
        problems.extend(found)
        if record is None:
            continue
        # A talk is the same talk as an earlier one of the file by its source's id within its event; without
        # ids, two talks of a file may share a slug only when both were made from titles in different events.
        if record.source_id:
            key = (record.event, record.source_id)
            if key in by_id:
                problems.append(_duplicate(raw, record, "id", by_id[key]))
                continue
            by_id[key] = raw
        else:
            earlier = next(((first, other) for first, other in by_slug.get(record.slug, ())
                            if record.slug_given or other.slug_given or other.event == record.event), None)
            if earlier is not None:
                both_given = record.slug_given and earlier[1].slug_given
                problems.append(_duplicate(raw, record, "slug" if both_given else "title", earlier[0]))
                continue
            by_slug.setdefault(record.slug, []).append((raw, record))
        records.append(record)
    return records, problems


def validate_events(raws: Iterable[RawRecord]) -> tuple[list[EventRecord], list[Problem]]:
    """Check the events a file describes; return the valid ones and every problem, in file order."""
    events: list[EventRecord] = []
    problems: list[Problem] = []
    seen: dict[str, RawRecord] = {}
    for raw in raws:
        found, event = _validate_event(raw)
        problems.extend(found)
        if event is None:
            continue
        if event.slug in seen:
            problems.append(Problem(raw.lines.get("slug", raw.line), f"duplicate event slug {event.slug!r} (first used at "
                                    f"{_position(seen[event.slug])})", None, None, raw.place))
            continue
        seen[event.slug] = raw
        events.append(event)
    return events, problems


def named_events(raws: Iterable[RawRecord], records: Iterable[TalkRecord], described: Iterable[EventRecord]) -> list[EventRecord]:
    """Return an event for each one the talks name but the file does not describe, named as first written.

    Its dates are those of its talks; the store adds it when the archive has no such event yet.
    """
    names: dict[str, str] = {}
    for raw in raws:
        value = raw.values.get("event")
        if isinstance(value, str) and value.strip():
            names.setdefault(slugify(value), " ".join(value.split())[: LIMITS["event"]])
    known = {event.slug for event in described}
    days: dict[str, list[TalkDate]] = {}
    for record in records:
        if record.event and record.event not in known:
            days.setdefault(record.event, [])
            if record.date.day is not None:
                days[record.event].append(record.date)
    events = []
    for slug, dates in days.items():
        dates.sort(key=TalkDate.iso)
        starts, ends = (dates[0], dates[-1]) if dates else (TalkDate(), TalkDate())
        events.append(EventRecord(slug, names.get(slug, slug), "conference", starts, ends, described=False))
    return events


def _duplicate(raw: RawRecord, record: TalkRecord, by: str, first: RawRecord) -> Problem:
    """Return the problem of a talk that repeats an earlier one's id or slug."""
    where = raw.lines.get("slug", raw.line)
    first_at, this_at = _position(first), _position(raw)
    if by == "id":
        return Problem(raw.lines.get("source_id", raw.line), f"the id {record.source_id!r} is given to two talks "
                       f"({_both(first_at, this_at)})", record.title, "source_id", raw.place)
    if by == "slug":
        reason = f"duplicate slug {record.slug!r} (first used at {first_at})"
    elif raw.place and not raw.line:
        reason = f"two talks of one event have the title's slug {record.slug!r} and no id of their own ({_both(first_at, this_at)})"
    else:
        reason = f"two talks would get the slug {record.slug!r} ({_both(first_at, this_at)}): give one of them a `slug:`"
    return Problem(where, reason, record.title, "slug", raw.place)


def _position(raw: RawRecord) -> str:
    return f"line {raw.line}" if raw.line else (raw.place or "an earlier talk")


def _both(first: str, second: str) -> str:
    if first.startswith("line ") and second.startswith("line "):
        return f"lines {first[5:]} and {second[5:]}"
    return f"{first} and {second}"


def check_text(value: object, limit: int, *, required: bool = False) -> str:
    """Return a text field's value, refusing other types, overlong text and control characters."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("is required")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"must be text, not a {type(value).__name__}")
    value = _ZERO_WIDTH.sub("", value)
    if len(value) > limit:
        raise ValueError(f"is {len(value):,} characters; the limit is {limit:,}")
    bad = _FORBIDDEN.search(value)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        raise ValueError(f"contains the control character {code} at character {bad.start() + 1}; remove it")
    return value


def _validate_one(raw: RawRecord) -> tuple[list[Problem], TalkRecord | None]:
    values = raw.values
    title_value = values.get("title")
    label = " ".join(title_value.split()) if isinstance(title_value, str) and title_value.strip() else None
    if label and _FORBIDDEN.search(label):
        label = _FORBIDDEN.sub("\N{REPLACEMENT CHARACTER}", label)
    label = label or str(values.get("slug") or (f"record at line {raw.line}" if raw.line else "untitled"))
    label = label[:LIMITS["title"]]
    problems = [Problem(p.line, p.reason, p.talk or label, p.field, p.place or raw.place) for p in raw.problems]
    if problems and problems[0].field == "record":
        return problems, None

    def fail(field_name: str, reason: str) -> None:
        problems.append(Problem(raw.lines.get(field_name, raw.line), reason, label, field_name, raw.place))

    for unknown in sorted(set(values) - RECORD_FIELDS):
        fail(unknown, f"unknown field; fields are: {', '.join(sorted(RECORD_FIELDS))}")

    already_failed = {problem.field for problem in problems}

    def checked(field_name: str, parse):
        if field_name in already_failed:
            return None
        try:
            return parse(values.get(field_name))
        except (ValueError, BadDate) as error:
            fail(field_name, str(error))
            return None

    title = checked("title", _title)
    abstract_html = checked("abstract_html", _html)
    abstract = checked("abstract", lambda v: _abstract(v, abstract_html))
    language = checked("language", _language)
    date = checked("date", _date)
    speakers = checked("speakers", _speakers)
    links = checked("links", _links)
    slug = checked("slug", lambda v: _slug(v, title))
    event = checked("event", _event)
    source_id = checked("source_id", lambda v: " ".join(check_text(v, LIMITS["source_id"]).split()) or None)
    if problems:
        # Fields are checked in a fixed order; organisers read them in the file's order.
        problems.sort(key=lambda problem: problem.line or 0)
        return problems, None
    if None in (title, abstract, language, date, speakers, links, slug):
        return problems, None  # a field of a record that has no title: its problem is the title's
    slug_given = raw.slug_given and values.get("slug") not in (None, "")
    return [], TalkRecord(slug, title, abstract, language, date, speakers, links, raw.line or 0,
                          event or None, source_id, abstract_html or None, slug_given)


def _title(value: object) -> str:
    title = " ".join(check_text(value, LIMITS["title"], required=True).split())
    if not any(unicodedata.category(character)[0] not in "CZM" for character in title):
        raise ValueError("has no visible characters (only zero-width or format characters)")
    return title


def _validate_event(raw: RawRecord) -> tuple[list[Problem], EventRecord | None]:
    values = raw.values
    problems = [Problem(p.line, p.reason, p.talk, p.field, p.place or raw.place) for p in raw.problems]
    name_value = values.get("name")
    label = " ".join(name_value.split()) if isinstance(name_value, str) and name_value.strip() else "event"

    def fail(field_name: str, reason: str) -> None:
        problems.append(Problem(raw.lines.get(field_name, raw.line), f"event {label!r}: {field_name}: {reason}", None, None, raw.place))

    for unknown in sorted(set(values) - EVENT_FIELDS):
        fail(unknown, f"unknown field; an event's fields are: {', '.join(sorted(EVENT_FIELDS))}")

    def checked(field_name: str, parse, value=None):
        try:
            return parse(values.get(field_name) if value is None else value)
        except (ValueError, BadDate) as error:
            fail(field_name, str(error))
            return None

    def short(limit: str):
        return lambda v: " ".join(check_text(v, LIMITS[limit]).split()) or None

    name = checked("name", lambda v: " ".join(check_text(v, LIMITS["event"], required=True).split()))
    slug = checked("slug", lambda v: _slug(v, name))
    kind = checked("kind", _event_kind)
    starts = checked("starts", _date, values.get("starts", values.get("date")))
    ends = checked("ends", _date)
    place = checked("place", short("place"))
    url = checked("url", lambda v: _url(v) if v not in (None, "") else None)
    source = checked("source", short("source"))
    source_id = checked("source_id", short("source_id"))
    if problems or name is None or slug is None or kind is None or starts is None or ends is None:
        return problems, None
    if ends.year is not None and starts.year is not None and ends.iso() < starts.iso():
        fail("ends", f"{ends.iso()} is before the start, {starts.iso()}")
        return problems, None
    return [], EventRecord(slug, name, kind, starts, ends, place, url, source, source_id, raw.line or 0)


def _event_kind(value: object) -> str:
    kind = check_text(value, 20).strip().lower() or "conference"
    if kind not in EVENT_KINDS:
        raise ValueError(f"{kind!r} is not a kind of event; use {' or '.join(EVENT_KINDS)}")
    return kind


def _event(value: object) -> str:
    """Return the slug of the event a talk names (by its slug or its name), or "" for none."""
    if isinstance(value, dict):
        raise ValueError("must name an event (its slug or name); describe events under `events:`")
    text = check_text(value, LIMITS["event"]).strip()
    if not text:
        return ""
    slug = slugify(text)
    if not slug:
        raise ValueError(f"{text!r} cannot name an event (no letters or digits)")
    return slug


def _html(value: object) -> str:
    text = check_text(value, LIMITS["abstract"] * 2)
    return sanitize_html(text) if text.strip() else ""


def _abstract(value: object, html: str | None) -> str:
    text = check_text(value, LIMITS["abstract"]).replace("\r\n", "\n").strip()
    return text or (html_to_text(html)[: LIMITS["abstract"]] if html else "")


def _date(value: object) -> TalkDate:
    if isinstance(value, str):
        check_text(value, 40)
        if not value.isascii():
            raise ValueError(f"{value.strip()!r} is not a date: write it in ASCII digits, as YYYY-MM-DD")
    return TalkDate.parse(value)


def _language(value: object) -> str:
    code = check_text(value, 10, required=True).strip().lower()
    if code not in LANGUAGES:
        known = " or ".join(f"{other!r} ({name})" for other, name in LANGUAGES.items())
        raise ValueError(f"{code!r} is not a known language; use {known}")
    return code


def _slug(value: object, title: str | None) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if title is None:
            return ""
        slug = slugify(title)
        if not slug:
            raise ValueError("cannot be made from the title (no letters or digits); give one")
        return slug
    slug = check_text(value, LIMITS["slug"]).strip()
    if not SLUG_PATTERN.match(slug):
        raise ValueError(f"{slug!r} must be lowercase letters, digits and single hyphens (e.g. 'incident-analysis')")
    return slug


def _speakers(value: object) -> tuple[SpeakerCredit, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in (p.strip() for p in value.split(";")) if part]
    if not isinstance(value, list):
        raise ValueError("must be a list of names, e.g. - Omar López (SRE)")
    if len(value) > MAX_SPEAKERS:
        raise ValueError(f"lists {len(value):,} speakers; a talk has at most {MAX_SPEAKERS}")
    credits: list[SpeakerCredit] = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, dict):
            unknown = set(item) - {"name", "role"}
            if unknown:
                raise ValueError(f"speaker {position}: unknown keys {sorted(unknown)}; use name and role")
            name = check_text(item.get("name"), LIMITS["name"], required=True)
            role = check_text(item.get("role"), LIMITS["role"])
            credit = SpeakerCredit(" ".join(name.split()), " ".join(role.split()) or None)
        elif isinstance(item, str) and item.strip():
            credit = parse_speaker(check_text(item, LIMITS["name"] + LIMITS["role"] + 3))
            # "Name (Role)" is split before it is stored: each part must fit its own column.
            if len(credit.name) > LIMITS["name"]:
                raise ValueError(f"speaker {position}: the name is {len(credit.name):,} characters; the limit is {LIMITS['name']:,}")
            if credit.role and len(credit.role) > LIMITS["role"]:
                raise ValueError(f"speaker {position}: the role is {len(credit.role):,} characters; the limit is {LIMITS['role']:,}")
        else:
            raise ValueError(f"speaker {position} must be a name")
        if any(credit.name == other.name for other in credits):
            raise ValueError(f"{credit.name!r} is listed twice")
        credits.append(credit)
    return tuple(credits)


def _url(value: object) -> str:
    url = check_text(value, LIMITS["url"]).strip()
    if not _URL.match(url):
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url


def _links(value: object) -> tuple[Link, ...]:
    """Read links as a mapping of kind to URL, or a list of URLs or of {url, title, kind}, in order."""
    if value is None:
        return ()
    if isinstance(value, dict):
        items = [{"kind": kind, "url": url} for kind, url in value.items()]
    elif isinstance(value, list):
        items = [item if isinstance(item, dict) else {"url": item} for item in value]
    else:
        raise ValueError(f"must be a mapping of {', '.join(LINK_KINDS)} to URLs, or a list of links")
    if len(items) > MAX_LINKS:
        raise ValueError(f"lists {len(items):,} links; a talk has at most {MAX_LINKS}")
    links: list[Link] = []
    for position, item in enumerate(items, start=1):
        unknown = set(item) - {"kind", "url", "title"}
        if unknown:
            raise ValueError(f"link {position}: unknown keys {sorted(unknown)}; use url, title and kind")
        kind = item.get("kind")
        name = kind if isinstance(kind, str) and isinstance(value, dict) else f"link {position}"
        if isinstance(value, dict) and kind not in LINK_KINDS:
            raise ValueError(f"unknown link {kind!r}; links are: {', '.join(LINK_KINDS)}")
        if kind is not None and (not isinstance(kind, str) or kind.strip().lower() not in LINK_KINDS):
            raise ValueError(f"{name}: unknown kind {kind!r}; kinds are: {', '.join(LINK_KINDS)}")
        url = item.get("url")
        if url is None or (isinstance(url, str) and not url.strip()):
            if isinstance(value, dict):
                continue
            raise ValueError(f"{name}: url is required")
        try:
            url = _url(url)
            title = " ".join(check_text(item.get("title"), LIMITS["link_title"]).split()) or None
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
        link = Link(link_kind(url, title or "", kind or ""), url, title)
        if all(link.url != other.url for other in links):
            links.append(link)
    return tuple(links)
