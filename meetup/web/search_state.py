"""What a visitor asked the talk list for, cleaned and bounded: shared by the pages and the feeds."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import url_for

from ..catalog.languages import LANGUAGES
from ..catalog.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN
from ..catalog.talkdate import MAX_YEAR, MIN_YEAR
from ..search import MAX_QUERY_CHARS

# The deepest page the site and the API serve: deeper pages of a search are not worth their cost.
MAX_PAGE = 500


def bounded_whole_number(text: str, low: int, high: int) -> int | None:
    """Return text as a whole number from low to high, or None (a number too long to convert is out of bounds)."""
    digits = text.lstrip("0") or "0"
    if not (text.isascii() and text.isdigit()) or len(digits) > len(str(high)):
        return None
    number = int(digits)
    return number if low <= number <= high else None


@dataclass
class SearchState:
    """What the visitor asked for, cleaned: the query text, the language, year and event filters, the page."""

    q: str = ""
    lang: str = ""
    page: int = 1
    exact: bool = False  # search as typed, without correcting misspellings
    year: int | None = None
    event: str = ""  # an event's slug; pages check that it names one

    @classmethod
    def from_args(cls, args) -> SearchState:
        q = " ".join(args.get("q", "", type=str)[:MAX_QUERY_CHARS].split())
        lang = args.get("lang", "", type=str)
        page = args.get("page", 1, type=int) or 1
        exact = args.get("exact", "") == "1"
        year = args.get("year", 0, type=int)
        event = args.get("event", "", type=str)
        return cls(q=q, lang=lang if lang in LANGUAGES else "", page=min(max(page, 1), MAX_PAGE), exact=exact,
                   year=year if MIN_YEAR <= year <= MAX_YEAR else None,
                   event=event if len(event) <= MAX_SLUG_LENGTH and SLUG_PATTERN.match(event) else "")

    def url(self, **changes) -> str:
        """Return the canonical URL of this state (with changes), leaving out empty parameters."""
        values = {"q": self.q, "lang": self.lang, "year": self.year, "event": self.event, "page": self.page,
                  "exact": "1" if self.exact else "", **changes}
        query = {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}
        return url_for("talks.index") + (f"?{urlencode(query)}" if query else "")

    def feed_url(self, **url_options) -> str:
        """Return the URL of the Atom feed that follows this search and its filters."""
        values = {"q": self.q, "lang": self.lang, "year": self.year, "event": self.event,
                  "exact": "1" if self.exact and self.q else ""}
        return url_for("feeds.feed", **{key: value for key, value in values.items() if value}, **url_options)
