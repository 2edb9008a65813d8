"""Check raw records from any format against the archive's rules and turn them into talk records."""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..languages import LANGUAGES
from ..models import LINK_KINDS
from ..slugs import SLUG_PATTERN, slugify
from ..talkdate import BadDate, TalkDate
from .records import LIMITS, MAX_SPEAKERS, Problem, RawRecord, SpeakerCredit, TalkRecord, parse_speaker

RECORD_FIELDS = {"slug", "title", "date", "language", "speakers", "abstract", "links"}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Control characters (NUL included: PostgreSQL refuses it) and lone surrogates; tab and newlines are text.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def validate(raws: Iterable[RawRecord]) -> tuple[list[TalkRecord], list[Problem]]:
    """Check every raw record; return the valid records and every problem found, in file order."""
    records: list[TalkRecord] = []
    problems: list[Problem] = []
    first_of_slug: dict[str, tuple[RawRecord, bool]] = {}
    for raw in raws:
        found, record = _validate_one(raw)
        problems.extend(found)
        if record is None:
            continue
        explicit = raw.values.get("slug") not in (None, "")
        earlier = first_of_slug.get(record.slug)
        if earlier is not None:
            problems.append(_duplicate(raw, record, explicit, *earlier))
            continue
        first_of_slug[record.slug] = (raw, explicit)
        records.append(record)
    return records, problems


def _duplicate(raw: RawRecord, record: TalkRecord, explicit: bool, first: RawRecord, first_explicit: bool) -> Problem:
    where = raw.lines.get("slug", raw.line)
    first_at, this_at = _position(first), _position(raw)
    if explicit and first_explicit:
        reason = f"duplicate slug {record.slug!r} (first used at {first_at})"
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

    title = checked("title", lambda v: " ".join(check_text(v, LIMITS["title"], required=True).split()))
    abstract = checked("abstract", lambda v: check_text(v, LIMITS["abstract"]).replace("\r\n", "\n").strip())
    language = checked("language", _language)
    date = checked("date", _date)
    speakers = checked("speakers", _speakers)
    links = checked("links", _links)
    slug = checked("slug", lambda v: _slug(v, title))
    if problems:
        # Fields are checked in a fixed order; organisers read them in the file's order.
        problems.sort(key=lambda problem: problem.line or 0)
        return problems, None
    if None in (title, abstract, language, date, speakers, links, slug):
        return problems, None  # a field of a record that has no title: its problem is the title's
    return [], TalkRecord(slug, title, abstract, language, date, speakers, links, raw.line or 0)


def _date(value: object) -> TalkDate:
    if isinstance(value, str):
        check_text(value, 40)
    return TalkDate.parse(value)


def _language(value: object) -> str:
    code = check_text(value, 10, required=True).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"{code!r} is not a known language; use 'en' (English) or 'es' (Spanish)")
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
            credit = parse_speaker(check_text(item, LIMITS["name"] + LIMITS["role"]))
        else:
            raise ValueError(f"speaker {position} must be a name")
        if any(credit.name == other.name for other in credits):
            raise ValueError(f"{credit.name!r} is listed twice")
        credits.append(credit)
    return tuple(credits)


def _links(value: object) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping of {', '.join(LINK_KINDS)} to URLs")
    links = []
    for kind, url in value.items():
        if kind not in LINK_KINDS:
            raise ValueError(f"unknown link {kind!r}; links are: {', '.join(LINK_KINDS)}")
        if url is None or (isinstance(url, str) and not url.strip()):
            continue
        try:
            url = check_text(url, LIMITS["url"]).strip()
        except ValueError as error:
            raise ValueError(f"{kind}: {error}") from None
        if not _URL.match(url):
            raise ValueError(f"{kind}: {url!r} is not an http(s) URL")
        links.append((kind, url))
    return tuple(sorted(links, key=lambda pair: LINK_KINDS.index(pair[0])))
