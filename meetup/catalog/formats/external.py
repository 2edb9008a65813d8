"""Map talks from other tools' formats (conference schedules, PyVideo) to the archive's raw records.

Shared by the schedule and PyVideo readers: language names and codes, which links are videos or
slides, and what is skipped (non-talk slots, talks in other languages) with a count for the summary.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from babel import Locale, UnknownLocaleError

from ..slugs import slugify
from .records import Problem, RawRecord

_LANGUAGE_NAMES = {
    "en": {"en", "eng", "english", "inglés", "ingles"},
    "es": {"es", "spa", "spanish", "español", "espanol", "castellano", "castilian"},
}
_CODE_OF = {name: code for code, names in _LANGUAGE_NAMES.items() for name in names}
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "media.ccc.de", "peertube", "archive.org", "twitch.tv")
_SLIDES_WORDS = ("slides", "slide", "diapositivas", "presentation", "speakerdeck", "slideshare")
NON_TALK_TYPES = {"break", "pause", "lunch", "coffee", "coffee break", "dinner", "breakfast", "registration", "social"}
TALK_TYPES = {"talk", "lecture", "workshop", "keynote", "lightning talk", "panel", "presentation", "charla", "taller", "ponencia"}


@dataclass
class Skipped:
    """What a reader left out on purpose, counted for the summary."""

    non_talks: int = 0
    other_languages: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.non_talks + sum(self.other_languages.values())

    def describe(self) -> str:
        parts = []
        if self.non_talks:
            parts.append(f"{self.non_talks} non-talk slot(s) (breaks and the like)")
        if self.other_languages:
            languages = ", ".join(f"{name} {count}" for name, count in sorted(self.other_languages.items()))
            parts.append(f"{sum(self.other_languages.values())} talk(s) in other languages ({languages})")
        return "skipped " + " and ".join(parts) if parts else ""


def language_code(value: object) -> str | None:
    """Return "en" or "es" for a language code or name ("en-US", "eng", "Español"), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("_", "-")
    return _CODE_OF.get(text) or _CODE_OF.get(text.split("-")[0])


def language_name(value: str) -> str:
    """Return the English name of a language code ("de" -> "German"), or the value as written."""
    try:
        # Only the language: "fra" reads as French (France), and the country is not the point here.
        return Locale(Locale.parse(value.strip().replace("-", "_")).language).english_name or value
    except (UnknownLocaleError, ValueError, TypeError):
        return value.strip()


def is_non_talk(kind: object, has_persons: bool) -> bool:
    """Tell a break or other slot that is not a talk from a talk."""
    kind = kind.strip().lower() if isinstance(kind, str) else ""
    if kind in NON_TALK_TYPES:
        return True
    return not has_persons and kind not in TALK_TYPES


def link_kind(url: str, label: str = "", kind: str = "") -> str | None:
    """Return "video", "slides" or None for one of a talk's links, from its type, label and host."""
    kind, label = (kind or "").lower(), (label or "").lower()
    host = urlsplit(url).netloc.lower()
    if kind in {"slides", "paper"} or any(word in label or word in host for word in _SLIDES_WORDS):
        return "slides"
    if kind in {"media", "video", "recording"} or "video" in label or "recording" in label:
        return "video"
    if any(known in host for known in _VIDEO_HOSTS):
        return "video"
    return None


@dataclass
class ExternalTalk:
    """A talk read from another tool's format, in the archive's terms, before validation."""

    place: str
    line: int | None = None
    title: object = None
    abstract_parts: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    date: object = None
    language: object = None
    slug: object = None
    guid: object = None
    links: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    lines: dict = field(default_factory=dict)

    def add_link(self, kind: str | None, url: object, base: str = "") -> None:
        if kind and isinstance(url, str) and url.strip() and kind not in self.links:
            self.links[kind] = urljoin(base, url.strip()) if base else url.strip()

    def fail(self, field_name: str, reason: str) -> None:
        self.problems.append(Problem(self.lines.get(field_name, self.line), reason, None, field_name, self.place))


def to_raw(talk: ExternalTalk, skipped: Skipped, skip_other_languages: bool) -> RawRecord | None:
    """Return the raw record of a mapped talk, or None when it is skipped for its language."""
    raw = RawRecord(line=talk.line, place=talk.place, lines=dict(talk.lines), problems=list(talk.problems))
    code = language_code(talk.language)
    if code is None and isinstance(talk.language, str) and talk.language.strip():
        name = language_name(talk.language)
        if skip_other_languages:
            skipped.other_languages[name] += 1
            return None
        raw.problems.append(Problem(
            talk.lines.get("language", talk.line), f"the talk is in {name} ({talk.language.strip()!r}); the archive holds English and Spanish "
            "talks: pass --skip-other-languages to leave such talks out", None, "language", talk.place,
        ))
    raw.values["language"] = code or (talk.language if not isinstance(talk.language, str) else None)
    raw.values["title"] = talk.title
    texts = [part.strip() for part in talk.abstract_parts if isinstance(part, str) and part.strip()]
    raw.values["abstract"] = "\n\n".join(dict.fromkeys(texts)) or None
    raw.values["speakers"] = talk.speakers or None
    raw.values["date"] = talk.date
    raw.values["links"] = talk.links or None
    # The tool's own slug keeps a talk's address stable; else the title's, as for YAML; the guid last.
    title_slug = _slug_of(talk.title)
    raw.values["slug"] = _slug_of(talk.slug) or (None if title_slug else _slug_of(talk.guid)) or None
    return raw


def _slug_of(value: object) -> str:
    return slugify(value) if isinstance(value, str) else ""
