"""What a visitor asked the talk list for, cleaned and bounded: read by one parser for pages, the API and feeds."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request, url_for

from ..catalog.languages import LANGUAGES
from ..catalog.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN
from ..catalog.talkdate import MAX_YEAR, MIN_YEAR
from ..search import MAX_PER_PAGE, MAX_QUERY_CHARS, Search

# The deepest page the site and the API serve: deeper pages of a search are not worth their cost.
MAX_PAGE = 500


class _Slugs:
    """Every well-formed slug, as a container."""

    def __contains__(self, text: str) -> bool:
        return len(text) <= MAX_SLUG_LENGTH and SLUG_PATTERN.match(text) is not None


def _choice(args, name: str, allowed, strict: bool, refusal: str) -> str:
    """Return the parameter when allowed, else "" (or raise BadParameter when strict and it is not empty)."""
    text = args.get(name, "")
    if not text or text in allowed:
        return text
    if strict:
        raise BadParameter(refusal)
    return ""


def _number(args, name: str, low: int, high: int, strict: bool, *, empty_is_none: bool = False) -> int | None:
    """Return the parameter as a whole number from low to high, or None when absent.

    Strict readers refuse anything else with BadParameter; pages read it as Werkzeug reads an int and
    take the nearest bound (a year out of bounds is no year, a word no number).
    """
    text = args.get(name)
    if text is None or (empty_is_none and text == ""):
        return None
    number = bounded_whole_number(text, low, high)
    if number is not None:
        return number
    if strict:
        raise BadParameter(f"{name}: a whole number from {low} to {high}")
    try:
        number = int(text)
    except ValueError:  # a word, or more digits than Python converts
        return None
    if name == "year":
        return number if low <= number <= high else None
    return min(max(number, low), high)


def bounded_whole_number(text: str, low: int, high: int) -> int | None:
    """Return text as a whole number from low to high, or None (a number too long to convert is out of bounds)."""
    digits = text.lstrip("0") or "0"
    if not (text.isascii() and text.isdigit()) or len(digits) > len(str(high)):
        return None
    number = int(digits)
    return number if low <= number <= high else None


class BadParameter(ValueError):
    """A query parameter that a strict reader (the API, the feeds) refuses, with a message for the client."""


@dataclass(frozen=True)
class SearchState:
    """What the visitor asked for, cleaned: the query text, the language, year and event filters, the page."""

    q: str = ""
    lang: str = ""
    page: int = 1
    exact: bool = False  # search as typed, without correcting misspellings
    year: int | None = None
    event: str = ""  # an event's slug; pages check that it names one
    per_page: int | None = None  # asked for by an API client; None: the site's page size

    @classmethod
    def from_args(cls, args, *, strict: bool = False) -> SearchState:
        """Read a search from query parameters: for pages a bad value is dropped or bounded; strict (the API
        and the feeds) refuses it with BadParameter. Whitespace is folded either way, as the search box does."""
        q = args.get("q", "")
        if strict and len(q) > MAX_QUERY_CHARS:
            raise BadParameter(f"q: at most {MAX_QUERY_CHARS} characters")
        return cls(q=" ".join(q[:MAX_QUERY_CHARS].split()),
                   lang=_choice(args, "lang", LANGUAGES, strict,
                                f"lang: one of {', '.join(LANGUAGES)}, or empty for every language"),
                   page=_number(args, "page", 1, MAX_PAGE, strict) or 1,
                   exact=_choice(args, "exact", ("0", "1"), strict,
                                 "exact: 1 to search q as typed, 0 (the default) to correct misspellings") == "1",
                   year=_number(args, "year", MIN_YEAR, MAX_YEAR, strict, empty_is_none=True),
                   event=_choice(args, "event", _Slugs(), strict, "event: an event's slug, as in /api/events"),
                   # The site's pages have one size; API clients choose theirs.
                   per_page=_number(args, "per_page", 1, MAX_PER_PAGE, strict) if strict else None)

    def search(self, per_page: int) -> Search:
        """Return the question this state asks the search package, with pages of per_page talks."""
        return Search(self.q, per_page, self.page, self.lang or None, self.year, self.event or None, self.exact)

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


def requested_search(*, strict: bool = False) -> SearchState:
    """Return the search this request's query parameters ask for (see SearchState.from_args)."""
    return SearchState.from_args(request.args, strict=strict)
