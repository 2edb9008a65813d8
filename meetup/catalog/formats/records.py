"""Talk records as the organisers' files describe them, the problems found in files, and their bounds."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fields import EVENT_KINDS, LIMITS, LINK_KINDS  # noqa: F401  (the formats' names for them)
from ..talkdate import TalkDate

# Bounds that protect the machine rather than limit the archive: a 20,000-talk export is about
# 19 MB, so 200 MiB leaves room for ten times that; memory for this many records stays under 2 GB.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TALKS = 200_000
MAX_SPEAKERS = 50
MAX_PROBLEMS = 1_000

_ROLE_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)$")


@dataclass(frozen=True)
class SpeakerCredit:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Link:
    """One of a talk's links: its kind (LINK_KINDS), the URL, and its title as the source wrote it."""

    kind: str
    url: str
    title: str | None = None


@dataclass(frozen=True)
class EventRecord:
    """One event (a meetup night, a conference) as a file describes it, validated.

    `source` names the tool that wrote the file (pretalx, frab, pentabarf, wafer, pyvideo ...) and
    `source_id` the tool's own id of the event (its acronym, a PyVideo category's slug).
    """

    slug: str
    name: str
    kind: str = "conference"
    starts: TalkDate = TalkDate()
    ends: TalkDate = TalkDate()
    place: str | None = None
    url: str | None = None
    source: str | None = None
    source_id: str | None = None
    line: int = 0
    # False for an event that talks only name (`event: devopsdays Cuba 2017`): stored when new, never changed.
    described: bool = True


@dataclass(frozen=True)
class TalkRecord:
    """One talk as the organisers wrote it, validated and normalised.

    A talk belongs to at most one event (`event` is its slug). `source_id` is the source's own id of
    the talk within its event (a pretalx code, a frab guid, a PyVideo file); with the event it is
    the talk's identity on a second import. `slug_given` tells a slug the file chose (kept as the
    address) from one made from the title or the tool's slug (a preference: another event may hold it).
    `abstract` is plain text (searched, quoted); `abstract_html`, when the source wrote markup, is its
    sanitised HTML (shown on the talk's page).
    """

    slug: str
    title: str
    abstract: str
    language: str
    date: TalkDate
    speakers: tuple[SpeakerCredit, ...] = ()
    links: tuple[Link, ...] = ()
    line: int = 0
    event: str | None = None
    source_id: str | None = None
    abstract_html: str | None = None
    slug_given: bool = True


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported, with where it is (a line, or a place such as a JSON path)."""

    line: int | None
    reason: str
    talk: str | None = None
    field: str | None = None
    place: str | None = None

    def describe(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        if self.place:
            where = f"{where}: {self.place}"
        if self.talk is None:
            return f"{where}: {self.reason}"
        return f'{where}: talk "{self.talk}": {self.field}: {self.reason}'


class TalkFileError(Exception):
    """A talk file that cannot be imported; `problems` lists every reason found."""

    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(problem.describe(filename) for problem in problems))


def refuse(filename: str, reason: str, line: int | None = None, place: str | None = None) -> TalkFileError:
    """Return the error for a file refused as a whole for one reason."""
    return TalkFileError(filename, [Problem(line, reason, place=place)])


@dataclass
class RawRecord:
    """A record before validation: its values in the archive's fields and where each was written."""

    line: int | None
    place: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # False when values["slug"] is another tool's slug: a preference for the address, not an identity.
    slug_given: bool = True


def parse_speaker(text: str) -> SpeakerCredit:
    """Read "Name (Role)" or "Name" into a credit."""
    text = " ".join(text.split())
    match = _ROLE_SUFFIX.match(text)
    if match and match.group("name"):
        return SpeakerCredit(match.group("name"), match.group("role").strip() or None)
    return SpeakerCredit(text)


def format_speaker(credit: SpeakerCredit) -> str:
    """Write a credit as "Name (Role)" or "Name"."""
    return f"{credit.name} ({credit.role})" if credit.role else credit.name
