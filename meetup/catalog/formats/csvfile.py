"""Read the archive's CSV talk table: a header row naming the columns, then one talk a row."""
from __future__ import annotations

import csv
import io

from ..fields import LINK_KINDS
from .records import MAX_TALKS, Problem, RawRecord, refuse

CSV_COLUMNS = ("slug", "title", "date", "language", "speakers", "abstract", "slides", "video", "event", "source_id")
_URL_START = ("http://", "https://")


def read_csv_records(text: str, name: str) -> list[RawRecord]:
    """Return the raw records of a CSV talk table; raise TalkFileError for a file that is not one."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    raws: list[RawRecord] = []
    try:
        header = [column.strip().lower() for column in next(reader)]
        unknown = [column for column in header if column not in CSV_COLUMNS]
        if unknown or "title" not in header or len(set(header)) != len(header):
            reason = f"unknown columns {unknown}" if unknown else "the header needs a title column, once"
            raise refuse(name, f"bad CSV header: {reason}; columns are: {', '.join(CSV_COLUMNS)}", 1)
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(raws) == MAX_TALKS:
                    raise refuse(name, f"the file holds more than {MAX_TALKS:,} talks; split it into several files", line)
                raws.append(_row_record(header, row, line))
            line = reader.line_num + 1
    except StopIteration:
        raise refuse(name, "the file is empty: it holds no talks") from None
    except csv.Error as error:
        raise refuse(name, f"malformed CSV: {error}", reader.line_num or None) from None
    return raws


def _row_record(header: list[str], row: list[str], line: int) -> RawRecord:
    raw = RawRecord(line=line)
    if len(row) != len(header):
        title_at = header.index("title")
        title = row[title_at] if len(row) > title_at else "?"
        raw.problems.append(Problem(line, f"expected {len(header)} columns, found {len(row)}", title, "row"))
    for column, cell in zip(header, row):
        raw.lines[column] = line
        cell = cell.strip() if column != "abstract" else cell
        if not cell.strip():
            continue
        if column == "speakers":
            raw.values[column] = [part for part in (p.strip() for p in cell.split(";")) if part]
        elif column == "event" and not cell.strip().lower().startswith(_URL_START):
            raw.values["event"] = cell  # the event's name or slug; a URL is the talk's page on the event's site
        elif column in LINK_KINDS:
            raw.values.setdefault("links", {})[column] = cell
            raw.lines["links"] = line
        else:
            raw.values[column] = cell
    return raw
