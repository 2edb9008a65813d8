"""Read and validate the organisers' talk files (YAML or CSV) and write the YAML form back.

Every record is checked before anything is stored; each problem names the file, the line,
the talk, the field and the reason, so an organiser can fix all of them in one pass.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .models import LANGUAGES, LINK_KINDS
from .talkdate import BadDate, TalkDate

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TALKS = 20_000
LIMITS = {"slug": 100, "title": 300, "abstract": 20_000, "name": 200, "role": 100, "url": 500}
CSV_COLUMNS = ("slug", "title", "date", "language", "speakers", "abstract", "slides", "video", "event")
RECORD_FIELDS = {"slug", "title", "date", "language", "speakers", "abstract", "links"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ROLE_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class SpeakerCredit:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class TalkRecord:
    """One talk as the organisers wrote it, validated and normalised."""

    slug: str
    title: str
    abstract: str
    language: str
    date: TalkDate
    speakers: tuple[SpeakerCredit, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported, with where it is."""

    line: int | None
    reason: str
    talk: str | None = None
    field: str | None = None

    def describe(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        if self.talk is None:
            return f"{where}: {self.reason}"
        return f'{where}: talk "{self.talk}": {self.field}: {self.reason}'


class TalkFileError(Exception):
    """A talk file that cannot be imported; `problems` lists every reason found."""

    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(problem.describe(filename) for problem in problems))


def slugify(text: str, max_length: int = LIMITS["slug"]) -> str:
    """Turn a title or a name into a lowercase ASCII slug: "Tamaño de CI/CD" -> "tamano-de-ci-cd"."""
    text = re.sub(r"['’]", "", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug


def parse_speaker(text: str) -> SpeakerCredit:
    """Read "Name (Role)" or "Name" into a credit."""
    text = " ".join(text.split())
    match = _ROLE_SUFFIX.match(text)
    if match and match.group("name"):
        return SpeakerCredit(match.group("name"), match.group("role").strip() or None)
    return SpeakerCredit(text)


def format_speaker(credit: SpeakerCredit) -> str:
    return f"{credit.name} ({credit.role})" if credit.role else credit.name


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Raw:
    """A record before validation: its values and the line of each field."""

    line: int
    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_talk_file(path: str | Path) -> list[TalkRecord]:
    """Read and validate a whole talk file; raise TalkFileError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise TalkFileError(name, [Problem(None, f"cannot read the file: {error.strerror}")]) from None
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise TalkFileError(name, [Problem(None, f"the file is {size:,} bytes; the limit is {limit} MiB")])
    return parse_talk_text(path.read_bytes(), name, fmt=path.suffix.lower().lstrip("."))


def parse_talk_text(data: bytes, name: str, fmt: str) -> list[TalkRecord]:
    """Validate the bytes of a talk file in the given format ("yaml", "yml" or "csv")."""
    if fmt not in {"yaml", "yml", "csv"}:
        raise TalkFileError(name, [Problem(None, "unknown format: name the file .yaml, .yml or .csv")])
    if len(data) > MAX_FILE_BYTES:
        raise TalkFileError(name, [Problem(None, f"the file is over the {MAX_FILE_BYTES:,}-byte limit")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise TalkFileError(
            name, [Problem(line, f"not UTF-8 text (byte 0x{byte}); save the file as UTF-8")]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TalkFileError(name, [Problem(line, "the file contains a NUL character; is it a binary file?")])
    if not text.strip():
        raise TalkFileError(name, [Problem(None, "the file is empty: it holds no talks")])
    raws = _yaml_records(text, name) if fmt in {"yaml", "yml"} else _csv_records(text, name)
    if not raws:
        raise TalkFileError(name, [Problem(None, "the file holds no talks")])
    if len(raws) > MAX_TALKS:
        raise TalkFileError(name, [Problem(None, f"the file holds {len(raws):,} talks; the limit is {MAX_TALKS:,}")])
    records, problems = validate(raws)
    if problems:
        raise TalkFileError(name, problems)
    return records


def _yaml_records(text: str, name: str) -> list[_Raw]:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise TalkFileError(name, [Problem(None, "the file is empty: it holds no talks")])
        if not isinstance(root, yaml.SequenceNode):
            raise TalkFileError(name, [Problem(root.start_mark.line + 1, "expected a list of talks (lines starting with '- ')")])
        return [_yaml_record(loader, node) for node in root.value]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise TalkFileError(name, [Problem(line, f"malformed YAML: {reason}")]) from None
    except yaml.YAMLError as error:
        raise TalkFileError(name, [Problem(None, f"malformed YAML: {error}")]) from None
    finally:
        loader.dispose()


def _yaml_record(loader: yaml.SafeLoader, node: yaml.Node) -> _Raw:
    raw = _Raw(line=node.start_mark.line + 1)
    if not isinstance(node, yaml.MappingNode):
        raw.problems.append(Problem(raw.line, "each talk must be a mapping of fields (title: ..., date: ...)", "?", "record"))
        return raw
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in raw.values:
            raw.problems.append(Problem(line, f"given twice (first at line {raw.lines[key]})", None, key))
            continue
        raw.lines[key] = line
        raw.values[key] = _yaml_value(loader, key, value_node)
    return raw


def _yaml_value(loader: yaml.SafeLoader, key: str, node: yaml.Node) -> object:
    """Construct a field's value, keeping scalars of text fields as the text written."""
    if isinstance(node, yaml.ScalarNode):
        # The text as written: "1984" stays a title, and dates are checked by TalkDate, not YAML.
        return None if node.tag == _NULL_TAG else node.value
    if isinstance(node, yaml.SequenceNode) and key == "speakers":
        return [_yaml_value(loader, "speaker", item) for item in node.value]
    if isinstance(node, yaml.MappingNode) and key in {"links", "speaker"}:
        return {str(k.value): _yaml_value(loader, "link", v) for k, v in node.value}
    return loader.construct_object(node, deep=True)


def _csv_records(text: str, name: str) -> list[_Raw]:
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, strict=True)
    raws: list[_Raw] = []
    try:
        header = [column.strip().lower() for column in next(reader)]
        unknown = [column for column in header if column not in CSV_COLUMNS]
        if unknown or "title" not in header or len(set(header)) != len(header):
            expected = ", ".join(CSV_COLUMNS)
            reason = f"unknown columns {unknown}" if unknown else "the header needs a title column, once"
            raise TalkFileError(name, [Problem(1, f"bad CSV header: {reason}; columns are: {expected}")])
        line = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                line = reader.line_num + 1
                continue
            raw = _Raw(line=line)
            if len(row) != len(header):
                raw.problems.append(
                    Problem(line, f"expected {len(header)} columns, found {len(row)}", row[header.index('title')] if len(row) > header.index("title") else "?", "row")
                )
            for column, cell in zip(header, row):
                raw.lines[column] = line
                cell = cell.strip() if column != "abstract" else cell
                if not cell.strip():
                    continue
                if column == "speakers":
                    raw.values[column] = [part for part in (p.strip() for p in cell.split(";")) if part]
                elif column in LINK_KINDS:
                    raw.values.setdefault("links", {})[column] = cell
                    raw.lines["links"] = line
                else:
                    raw.values[column] = cell
            raws.append(raw)
            line = reader.line_num + 1
    except StopIteration:
        raise TalkFileError(name, [Problem(None, "the file is empty: it holds no talks")]) from None
    except csv.Error as error:
        raise TalkFileError(name, [Problem(reader.line_num or None, f"malformed CSV: {error}")]) from None
    return raws


# --- validation ----------------------------------------------------------------------------


def validate(raws: Iterable[_Raw]) -> tuple[list[TalkRecord], list[Problem]]:
    """Check every raw record; return the valid records and every problem found."""
    records: list[TalkRecord] = []
    problems: list[Problem] = []
    first_line_of_slug: dict[str, int] = {}
    for raw in raws:
        found, record = _validate_one(raw)
        problems.extend(found)
        if record is None:
            continue
        if record.slug in first_line_of_slug:
            problems.append(
                Problem(raw.lines.get("slug", raw.line), f"duplicate slug {record.slug!r} (first used at line {first_line_of_slug[record.slug]})", record.title, "slug")
            )
            continue
        first_line_of_slug[record.slug] = raw.line
        records.append(record)
    return records, problems


def _text(value: object, field_name: str, limit: int, *, required: bool = False) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("is required")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"must be text, not a {type(value).__name__}")
    if len(value) > limit:
        raise ValueError(f"is {len(value):,} characters; the limit is {limit:,}")
    if any(unicodedata.category(char) == "Cs" for char in value):
        raise ValueError("contains invalid characters")
    return value


def _validate_one(raw: _Raw) -> tuple[list[Problem], TalkRecord | None]:
    values = raw.values
    label = values.get("title") if isinstance(values.get("title"), str) and values["title"].strip() else None
    label = " ".join(label.split()) if label else (str(values.get("slug") or f"record at line {raw.line}"))
    problems = [Problem(p.line, p.reason, p.talk or label, p.field) for p in raw.problems]
    if problems and problems[0].field == "record":
        return problems, None

    def fail(field_name: str, reason: str) -> None:
        problems.append(Problem(raw.lines.get(field_name, raw.line), reason, label, field_name))

    for unknown in sorted(set(values) - RECORD_FIELDS):
        fail(unknown, f"unknown field; fields are: {', '.join(sorted(RECORD_FIELDS))}")

    def checked(field_name: str, parse):
        try:
            return parse(values.get(field_name))
        except (ValueError, BadDate) as error:
            fail(field_name, str(error))
            return None

    title = checked("title", lambda v: " ".join(_text(v, "title", LIMITS["title"], required=True).split()))
    abstract = checked("abstract", lambda v: _text(v, "abstract", LIMITS["abstract"]).replace("\r\n", "\n").strip())
    language = checked("language", _language)
    date = checked("date", TalkDate.parse)
    speakers = checked("speakers", _speakers)
    links = checked("links", _links)
    slug = checked("slug", lambda v: _slug(v, title))
    if problems or None in (title, abstract, language, date, speakers, links, slug):
        return problems, None
    return [], TalkRecord(slug, title, abstract, language, date, speakers, links, raw.line)


def _language(value: object) -> str:
    code = _text(value, "language", 10, required=True).strip().lower()
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
    slug = _text(value, "slug", LIMITS["slug"]).strip()
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
    credits: list[SpeakerCredit] = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, dict):
            unknown = set(item) - {"name", "role"}
            if unknown:
                raise ValueError(f"speaker {position}: unknown keys {sorted(unknown)}; use name and role")
            name = _text(item.get("name"), "name", LIMITS["name"], required=True)
            role = _text(item.get("role"), "role", LIMITS["role"])
            credit = SpeakerCredit(" ".join(name.split()), " ".join(role.split()) or None)
        elif isinstance(item, str) and item.strip():
            credit = parse_speaker(_text(item, "name", LIMITS["name"] + LIMITS["role"]))
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
        url = _text(url, kind, LIMITS["url"]).strip()
        if not _URL.match(url):
            raise ValueError(f"{kind}: {url!r} is not an http(s) URL")
        links.append((kind, url))
    return tuple(sorted(links, key=lambda pair: LINK_KINDS.index(pair[0])))


# --- writing -------------------------------------------------------------------------------


class _Block(str):
    """Text to write as a literal block, one paragraph a line, so abstracts stay readable."""


class _ExportDumper(yaml.SafeDumper):
    pass


def _represent_block(dumper: yaml.SafeDumper, value: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_ExportDumper.add_representer(_Block, _represent_block)


def record_to_mapping(record: TalkRecord) -> dict[str, object]:
    """Return the file form of a record, fields in a fixed, readable order."""
    mapping: dict[str, object] = {"slug": record.slug, "title": record.title, "date": record.date.iso(), "language": record.language}
    if record.speakers:
        mapping["speakers"] = [
            {"name": c.name, "role": c.role} if c.name.endswith(")") else format_speaker(c) for c in record.speakers
        ]
    if record.links:
        mapping["links"] = dict(record.links)
    mapping["abstract"] = _Block(record.abstract)
    return mapping


def dump_talks(records: Iterable[TalkRecord]) -> str:
    """Return the YAML text of these records, the same format import-talks reads."""
    header = "# Talks of the meetup, in the format `flask import-talks` reads (see README, Data format).\n"
    body = yaml.dump(
        [record_to_mapping(record) for record in records],
        Dumper=_ExportDumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False,
    )
    return header + body
