"""iCalendar (RFC 5545) text for a talk or an event: all-day events, escaped and folded as the RFC asks."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

PRODUCT_ID = "-//Meetup talk archive//Talks//EN"
LINE_OCTETS = 75
# TEXT may not hold control characters other than tab; newlines are escaped before this applies.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

CALENDAR_MAX_AGE = 3600


def uid_host(host: str) -> str:
    """Return a Host header without its port, for UIDs: `[::1]:8000` gives `[::1]`, `example.org:80` `example.org`."""
    name = urlsplit(f"//{host}").hostname or host
    return f"[{name}]" if ":" in name else name


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma, and newlines as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold_line(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # Continuation lines begin with a space, which counts towards their 75 octets.
            current, size, limit = char, width, LINE_OCTETS - 1
        else:
            current += char
            size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc_stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def talk_event(*, uid: str, day: dt.date, summary: str, description: str, url: str,
               updated: dt.datetime, language: str) -> str:
    """Return a VCALENDAR holding one all-day VEVENT for a talk, with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        # Without a METHOD, DTSTAMP is when the event's information was last revised.
        f"DTSTAMP:{_utc_stamp(updated)}",
        f"LAST-MODIFIED:{_utc_stamp(updated)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY;LANGUAGE={language}:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL;VALUE=URI:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold_line(line) + "\r\n" for line in lines)


def event_calendar(event, talks, *, host: str, event_url: str, talk_url) -> str:
    """Return a VCALENDAR with the event (all days it lasted) and each of its talks whose day is known."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape_text(event.name)}"]
    updated = max((talk.updated_at for talk in talks), default=None) or dt.datetime.now(dt.timezone.utc)
    first, last = event.starts.as_date(), event.ends.as_date() or event.starts.as_date()
    if first is not None:
        lines += [
            "BEGIN:VEVENT", f"UID:{escape_text(f'event-{event.slug}@{host}')}", f"DTSTAMP:{_utc_stamp(updated)}",
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}", f"DTEND;VALUE=DATE:{max(first, last) + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.name)}", *([f"LOCATION:{escape_text(event.place)}"] if event.place else []),
            f"URL;VALUE=URI:{event_url}", "TRANSP:TRANSPARENT", "END:VEVENT",
        ]
    for talk in talks:
        day = talk.date.as_date()
        if day is None:
            continue
        lines += [
            "BEGIN:VEVENT", f"UID:{escape_text(f'talk-{talk.slug}@{host}')}", f"DTSTAMP:{_utc_stamp(talk.updated_at)}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY;LANGUAGE={talk.language}:{escape_text(talk.title)}", f"DESCRIPTION:{escape_text(talk.abstract)}",
            f"URL;VALUE=URI:{talk_url(talk)}", "TRANSP:TRANSPARENT", "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
