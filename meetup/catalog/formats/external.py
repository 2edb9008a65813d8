"""Read talks from other tools' formats (conference schedules, PyVideo) into the archive's raw records.

Shared by the schedule and PyVideo readers: language names and codes (a missing one taken from
--language or detected from the text), every link with its title, descriptions in HTML or
Markdown, over-long abstracts cut, and what is left out on purpose (non-talk slots by name, talks
in other languages, a talk scheduled twice) for the dry run and the summary.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from babel import Locale, UnknownLocaleError

from ..languages import LANGUAGES, detect_language
from ..markup import abstract_from, text_to_html
from ..slugs import slugify
from .links import link_kind
from .records import LIMITS, Problem, RawRecord

# Names of the archive's languages that Babel's locale data does not give (it names Spanish "español").
_OTHER_NAMES = {"castellano": "es", "castilian": "es"}
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;/|+&]|\band\b|\by\b)\s*", re.IGNORECASE)
# A slot is left out only for its type, never for having no speakers (a keynote may list none).
NON_TALK_TYPES = {
    "break", "pause", "lunch", "lunch break", "coffee", "coffee break", "coffeebreak", "dinner", "breakfast",
    "registration", "social", "party", "networking", "check-in", "doors open", "almuerzo", "comida", "café",
    "descanso", "receso", "registro", "acreditación", "pausa", "cena",
}
# A slot of one of these types is a talk whatever its title ("Lunch" may be a talk's name).
TALK_WORDS = ("talk", "lecture", "keynote", "workshop", "panel", "presentation", "charla", "taller", "ponencia")
ABSTRACT_CUT_NOTE = "[…]"


@dataclass
class Skipped:
    """What a reader left out on purpose, each named, for the dry run and the summary."""

    slots: list[str] = field(default_factory=list)
    other_languages: Counter = field(default_factory=Counter)
    repeats: list[str] = field(default_factory=list)

    @property
    def non_talks(self) -> int:
        return len(self.slots)

    @property
    def total(self) -> int:
        return self.non_talks + sum(self.other_languages.values())

    def describe(self) -> str:
        parts = []
        if self.slots:
            parts.append(f"{self.non_talks} non-talk slot(s) (breaks and the like)")
        if self.other_languages:
            languages = ", ".join(f"{name} {count}" for name, count in sorted(self.other_languages.items()))
            parts.append(f"{sum(self.other_languages.values())} talk(s) in other languages ({languages})")
        if self.repeats:
            parts.append(f"{len(self.repeats)} repeated slot(s) of a talk already read")
        return "skipped " + " and ".join(parts) if parts else ""


@dataclass
class Reading:
    """How a reader treats languages, and what it notes for the report while it reads."""

    skip_other_languages: bool = False
    language: str | None = None
    skipped: Skipped = field(default_factory=Skipped)
    # (talk, code, how): languages taken from --language ("given") or the text ("detected").
    languages_set: list[tuple[str, str, str]] = field(default_factory=list)
    cut: list[tuple[str, int]] = field(default_factory=list)
    # A YAML file written in sections (`events:`, `talks:`) may hold no talks: an empty archive's export.
    sections: bool = False


@lru_cache(maxsize=1)
def _code_of_name() -> dict[str, str]:
    """Return each archive language's code by its names in English and in the archive's languages, accented or not."""
    names = dict(_OTHER_NAMES)
    for code in LANGUAGES:
        for locale in ("en", *LANGUAGES):
            name = Locale.parse(locale).languages[code].lower()
            names[name] = names[unaccented(name)] = code
    return names


def language_code(value: object) -> str | None:
    """Return the archive's code of a language code or name ("en-US", "eng", "Español"), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("_", "-")
    if text in _code_of_name():
        return _code_of_name()[text]
    if text.split("-")[0] in ("und", "root"):
        return None  # undetermined: Babel would guess a likely language from the region
    for candidate in (text, text.split("-")[0]):
        try:
            code = Locale.parse(candidate.replace("-", "_")).language  # ISO 639-1 or -2: "es", "spa"
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        return code if code in LANGUAGES else None
    return None


def unaccented(text: str) -> str:
    """Return text without its accents ("inglés" -> "ingles")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def language_codes(value: str) -> list[str]:
    """Return the parts of a language list ("de, en", "English/Deutsch") as written, in order."""
    return [part for part in _LIST_SEPARATORS.split(value.strip()) if part]


def language_name(value: str) -> str:
    """Return the English name of a language code ("de" -> "German"), or the value as written."""
    try:
        # Only the language: "fra" reads as French (France), and the country is not the point here.
        return Locale(Locale.parse(value.strip().replace("-", "_")).language).english_name or value
    except (UnknownLocaleError, ValueError, TypeError):
        return value.strip()


def is_non_talk(kind: object, title: object = None) -> bool:
    """Tell a break or other slot that is not a talk by its type (or, typed as no talk, a title such as "Lunch")."""
    kind = kind.strip().lower() if isinstance(kind, str) else ""
    if kind in NON_TALK_TYPES:
        return True
    title = " ".join(title.split()).lower() if isinstance(title, str) else ""
    return title in NON_TALK_TYPES and not any(word in kind for word in TALK_WORDS)


@dataclass
class ExternalTalk(RawRecord):
    """A raw record read from another tool's format, its abstract in parts and its speakers and links added one by one.

    Readers put what the tool wrote in `values` under the archive's field names (a new field needs
    nothing here); `to_raw` then decides the abstract, language and slug.
    """

    line: int | None = None
    # (text, syntax): syntax is "html", "markdown" or "text" (see markup.abstract_from).
    abstract_parts: list = field(default_factory=list)
    # Another tool's slug is a preference for the address, not an identity.
    slug_given: bool = False

    def add_link(self, url: object, title: object = "", kind: str = "", base: str = "") -> None:
        """Keep a link with its title, in order; the same URL twice is kept once."""
        if not isinstance(url, str) or not url.strip():
            return
        url = urljoin(base, url.strip()) if base else url.strip()
        title = " ".join(title.split()) if isinstance(title, str) else ""
        links = self.values.setdefault("links", [])
        if any(link["url"] == url for link in links):
            return
        links.append({"url": url, "title": title[: LIMITS["link_title"]] or None, "kind": link_kind(url, title, kind)})

    def add_speaker(self, name: object) -> None:
        """Credit a speaker by name; an empty name is no speaker and is ignored."""
        speakers = self.values.setdefault("speakers", [])
        if isinstance(name, str) and name.strip() and all(s["name"] != name.strip() for s in speakers):
            speakers.append({"name": name.strip()})

    def fail(self, field_name: str, reason: str) -> None:
        self.problems.append(Problem(self.lines.get(field_name, self.line), reason, None, field_name, self.place))


def to_raw(talk: ExternalTalk, reading: Reading) -> RawRecord | None:
    """Decide a read talk's abstract, language and slug; return it, or None when it is skipped for its language."""
    values = talk.values
    values.setdefault("title", None)
    abstract, html = _abstract(talk, reading)
    values["abstract"] = abstract or None
    values["abstract_html"] = html
    language = _language(talk, abstract, reading)
    if language is _SKIP:
        return None
    values["language"] = language
    values["speakers"] = values.get("speakers") or None
    values.setdefault("date", None)
    values["links"] = values.get("links") or None
    # The tool's own slug is a preference for the address; else the title's, as for YAML; the id last.
    source_id = values.pop("source_id", None)
    title_slug = _slug_of(values["title"])
    values["slug"] = _slug_of(values.get("slug")) or (None if title_slug else _slug_of(source_id)) or None
    if not values.get("event"):
        values.pop("event", None)
    if source_id is not None and str(source_id).strip():
        values["source_id"] = str(source_id).strip()
    return talk


_SKIP = object()
UNSTATED_LANGUAGE = "not stated, nor told from the text"


def _label(talk: ExternalTalk) -> str:
    title = talk.values.get("title")
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else talk.place


def _language(talk: ExternalTalk, abstract: str, reading: Reading):
    value = talk.values.get("language")
    if value is not None and not isinstance(value, str):
        return value  # validation names the wrong type
    parts = language_codes(value) if value else []
    codes = [code for code in (language_code(part) for part in parts) if code]
    if codes:
        return codes[0]  # "de, en": the talk is given in a language the archive holds
    if parts:
        name = ", ".join(dict.fromkeys(language_name(part) for part in parts))
        if reading.skip_other_languages:
            reading.skipped.other_languages[name] += 1
            return _SKIP
        talk.problems.append(Problem(
            talk.lines.get("language", talk.line), f"the talk is in {name} ({value.strip()!r}); the archive holds "
            f"{' and '.join(LANGUAGES.values())} talks: pass --skip-other-languages to leave such talks out", None, "language", talk.place,
        ))
        return None
    if reading.language:
        reading.languages_set.append((_label(talk), reading.language, "given"))
        return reading.language
    title = talk.values.get("title")
    text = "\n".join(part for part in (title if isinstance(title, str) else "", abstract) if part)
    detected = detect_language(text)
    if detected:
        reading.languages_set.append((_label(talk), detected, "detected"))
        return detected
    if reading.skip_other_languages:
        # Not stated, and its text reads as neither English nor Spanish (a German talk, a test slot).
        reading.skipped.other_languages[UNSTATED_LANGUAGE] += 1
        return _SKIP
    talk.problems.append(Problem(
        talk.lines.get("language", talk.line), "no language given, and it cannot be told with confidence "
        f"from the title and abstract; pass --language {'/'.join(LANGUAGES)} for such talks, or --skip-other-languages "
        "to leave them out", None, "language", talk.place,
    ))
    return None


def _abstract(talk: ExternalTalk, reading: Reading) -> tuple[str, str | None]:
    """Join the abstract's parts (text and HTML), cutting text over the limit at a paragraph or word."""
    texts: list[str] = []
    htmls: list[str] = []
    for part, syntax in talk.abstract_parts:
        if not isinstance(part, str) or not part.strip():
            continue
        text, html = abstract_from(part, syntax)
        if text and text not in texts:
            texts.append(text)
            htmls.append(html or "")
    abstract = "\n\n".join(texts)
    html = "\n".join(h or text_to_html(t) for t, h in zip(texts, htmls)) if any(htmls) else None
    limit = LIMITS["abstract"]
    if html is not None and len(html) > 2 * limit:
        html = None  # markup beyond its bound: the text alone is kept
    if len(abstract) > limit:
        reading.cut.append((_label(talk), len(abstract)))
        abstract = cut_text(abstract, limit)
        html = None  # the page shows the cut text rather than markup that says more than the archive holds
    return abstract, html


def cut_text(text: str, limit: int) -> str:
    """Return text cut to fit limit at its last paragraph (else word) boundary, marked as cut."""
    room = limit - len(ABSTRACT_CUT_NOTE) - 2
    head = text[:room]
    paragraph = head.rfind("\n\n")
    if paragraph >= room // 2:
        return f"{head[:paragraph].rstrip()}\n\n{ABSTRACT_CUT_NOTE}"
    word = head.rfind(" ")
    return f"{(head[:word] if word > 0 else head).rstrip()} {ABSTRACT_CUT_NOTE}"


def _slug_of(value: object) -> str:
    return slugify(value) if isinstance(value, str) else ""
