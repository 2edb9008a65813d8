"""What a search returns: pages of hits with highlight segments and the counts a result page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .highlight import Segment
from .query import ParsedQuery, parse_query

MAX_PER_PAGE = 100


@dataclass
class Hit:
    """One search result with its title and snippet split for highlighting."""

    slug: str
    title: list[Segment]
    snippet: list[Segment]


@dataclass
class SearchPage:
    """One page of search results plus the counts the page header needs."""

    hits: list[Hit]
    total: int
    lang_counts: dict[str, int]
    matched_all: bool
    suggestion: str | None
    words: list[str] = field(default_factory=list)
    # Matches per known year, newest first, ignoring the year filter (respecting the language one).
    year_counts: dict[int, int] = field(default_factory=dict)
    # Synonyms that found talks too, e.g. ["incident"] for "incidente".
    expansions: list[str] = field(default_factory=list)
    # The suggestion replaces rare words by far more frequent near ones: show its results instead
    # (unless asked for exactly) even though this search found talks.
    corrects: bool = False
    # When fewer talks than a page have every word: how many do; the talks after them have only some.
    full_matches: int | None = None


def query_words(text: str) -> tuple[list[str], list[str]]:
    """Return the bounded folded words and quoted phrases searched for text."""
    parsed = parse_query(text)
    return list(parsed.words), [" ".join(phrase) for phrase in parsed.phrases]


@dataclass
class Ranked:
    """Stored text of the hits of one page and the counts, read while holding the searcher."""

    rows: list[tuple[str, str, str]]
    total: int
    lang_counts: dict[str, int]
    matched_all: bool = True
    suggestion: str | None = None
    # The query minus misspelt words: what highlighting should mark.
    searched: ParsedQuery | None = None
    year_counts: dict[int, int] = field(default_factory=dict)
    expansions: list[str] = field(default_factory=list)
    corrects: bool = False
    # The indexed forms of the searched words and their synonyms, for highlighting.
    forms: frozenset[str] | None = None
    full_matches: int | None = None
