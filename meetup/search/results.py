"""What the site asks a search for (a Search) and what it answers (a ResultPage), and the pages of hits behind them."""

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


@dataclass(frozen=True)
class Search:
    """One page of results asked for: the visitor's text, the filters, which page, and whether to search as typed."""

    text: str
    per_page: int
    page: int = 1
    lang: str | None = None
    year: int | None = None
    event: str | None = None  # an event's slug
    exact: bool = False  # never search the corrected words instead


@dataclass
class ResultPage:
    """The answer to a Search: slugs in rank order, counts, highlights and what explains them.

    Not searched (`searched` False) when the text holds no searchable word: the caller lists talks
    its own way (newest first) and no result was computed for it.
    """

    slugs: list[str]
    total: int
    lang_counts: dict[str, int] = field(default_factory=dict)  # matches per language, ignoring that filter
    year_counts: dict[int, int] = field(default_factory=dict)  # matches per year, ignoring that filter
    hits: dict[str, Hit] = field(default_factory=dict)  # highlight segments by slug
    searched: bool = True
    matched_all: bool = True  # False when no talk has every word and these match some of them
    suggestion: str | None = None  # a search that would match every word, offered, not run
    corrected_to: str | None = None  # the corrected search these results are for, searched instead of the text
    expansions: list[str] = field(default_factory=list)  # alternatives that brought talks onto this page
    full_matches: int | None = None  # when few talks have every word: how many; the rest have some of them

    @classmethod
    def of(cls, found: SearchPage, corrected_to: str | None = None) -> ResultPage:
        """Return the answer made of one searched page, corrected_to naming the correction it searched."""
        return cls([hit.slug for hit in found.hits], found.total, found.lang_counts, found.year_counts,
                   {hit.slug: hit for hit in found.hits}, True, found.matched_all, found.suggestion, corrected_to,
                   found.expansions, found.full_matches)

    def extend(self, later: ResultPage) -> None:
        """Add the talks of a later page of the same search."""
        self.slugs.extend(later.slugs)
        self.hits.update(later.hits)


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
