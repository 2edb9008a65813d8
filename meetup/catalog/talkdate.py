"""Talk dates that may be known to the day, to the month, to the year, or not at all."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
MIN_YEAR, MAX_YEAR = 1900, 2100


class BadDate(ValueError):
    """A date the organisers wrote that is malformed or impossible."""


@dataclass(frozen=True, order=False)
class TalkDate:
    """A possibly partial date: year, year and month, or a full day; all None when unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> TalkDate:
        """Read `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, a date, or an empty value; raise BadDate otherwise."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return cls()
        if isinstance(value, dt.datetime):
            raise BadDate("give a date without a time (YYYY-MM-DD)")
        if isinstance(value, dt.date):
            return cls.checked(value.year, value.month, value.day)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise BadDate(f"expected YYYY-MM-DD, YYYY-MM or YYYY, got {type(value).__name__}")
        text = str(value).strip()
        if text.lower() in {"unknown", "null", "~"}:
            return cls()
        match = _ISO_PARTIAL.match(text)
        if not match:
            raise BadDate(f"{text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(part) if part else None for part in match.groups())
        return cls.checked(year, month, day)

    @classmethod
    def checked(cls, year: int | None, month: int | None = None, day: int | None = None) -> TalkDate:
        """Build a TalkDate, refusing impossible combinations."""
        if year is None:
            if month is not None or day is not None:
                raise BadDate("a month or day needs a year")
            return cls()
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise BadDate(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
        if month is None:
            if day is not None:
                raise BadDate("a day needs a month")
            return cls(year)
        if not 1 <= month <= 12:
            raise BadDate(f"month {month} does not exist")
        if day is None:
            return cls(year, month)
        try:
            dt.date(year, month, day)
        except ValueError:
            raise BadDate(f"{year:04d}-{month:02d}-{day:02d} does not exist") from None
        return cls(year, month, day)

    @property
    def known(self) -> bool:
        return self.year is not None

    @property
    def sort_key(self) -> int:
        """Return year*10000 + month*100 + day with missing parts 0, and 0 when unknown."""
        return (self.year or 0) * 10000 + (self.month or 0) * 100 + (self.day or 0)

    def as_date(self) -> dt.date | None:
        """Return the full date, or None unless the day is known."""
        return dt.date(self.year, self.month, self.day) if self.day else None

    def as_month_start(self) -> dt.date | None:
        """Return the first day of the month, or None unless the month is known (for formatting)."""
        return dt.date(self.year, self.month, 1) if self.month else None

    def iso(self) -> str | None:
        """Return the organisers' file form: YYYY-MM-DD, YYYY-MM, YYYY, or None."""
        if self.year is None:
            return None
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        """Return the date for people: "23 March 2018", "March 2019", "2019" or "date unknown"."""
        if self.year is None:
            return "date unknown"
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{self.day} {MONTH_NAMES[self.month - 1]} {self.year}"
