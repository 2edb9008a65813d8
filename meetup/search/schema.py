"""The Whoosh schema of the talk index: its fields, their analyzers, and postings handed over ready-made."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from whoosh.analysis import Filter, NgramFilter, RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from .analysis import ABSTRACT_GRAM_MAX, PREFIX_MAX, PREFIX_MIN, TEXT_FIELDS, WORD_PATTERN, fold
from .whoosh_adapter import encoded_frequency, unscored_field


class FoldFilter(Filter):
    """Fold each token with `fold`, dropping tokens that fold to nothing."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            folded = fold(token.text)
            if folded:
                token.text = folded
                yield token


def _folding() -> CompositeAnalyzer:
    return RegexTokenizer(WORD_PATTERN) | FoldFilter()


FOLDED_ANALYZER = _folding()
PREFIX_ANALYZER = _folding() | NgramFilter(PREFIX_MIN, PREFIX_MAX, at="start")
ABSTRACT_PREFIX_ANALYZER = _folding() | NgramFilter(PREFIX_MIN, ABSTRACT_GRAM_MAX, at="start")


class PreparedText(TEXT):
    """A text field that also accepts its postings ready-made (see `prepared_terms`).

    Analysing a talk once and deriving every field's terms from the same folded words costs a
    fraction of running eleven Whoosh analyzer chains over the same text.
    """

    def index(self, value, **kwargs):
        if isinstance(value, PreparedTerms):
            return value.items
        return super().index(value, **kwargs)


@dataclass(frozen=True)
class PreparedTerms:
    """One field of one document: each term with how often it occurs, and whether the field records that."""

    counts: dict[str, int]
    frequencies: bool

    @property
    def items(self) -> list[tuple[bytes, int, float, bytes]]:
        """Return the (term bytes, frequency, weight, encoded value) postings Whoosh's writer takes."""
        if self.frequencies:
            return [(word.encode("utf-8"), count, float(count), encoded_frequency(count))
                    for word, count in self.counts.items()]
        return [(word.encode("utf-8"), 1, 1.0, b"") for word in self.counts]


def prepared_terms(terms: Iterable[str]) -> PreparedTerms:
    """Return the postings of a field that records only which documents hold each term."""
    return PreparedTerms(dict.fromkeys(terms, 1), frequencies=False)


def prepared_frequencies(words: list[str]) -> PreparedTerms:
    """Return the postings of a field that records how often each word occurs."""
    return PreparedTerms(Counter(words), frequencies=True)


def _text(analyzer: CompositeAnalyzer, *, stored: bool = False, frequencies: bool = False) -> TEXT:
    """Return a text field that finds documents, with each word's frequency or without, and no positions.

    Phrases and proximity are checked on the stored text of the best talks, so nothing reads
    positions; keeping them made every posting block unpickle one position list per talk, which
    at 100,000 talks was most of the time a common word ("the", "de") took to search.
    """
    return unscored_field(PreparedText(analyzer=analyzer, stored=stored, phrase=False), frequencies=frequencies)


def build_schema() -> Schema:
    """Build the schema: folded title, speakers and abstract, plus prefix grams (stems: see vocabulary)."""
    fields: dict[str, object] = {
        "slug": ID(unique=True, stored=True),
        "lang": ID(stored=True),
        # The slug of the talk's event (meetup night, conference), for narrowing a search to one event.
        "event": ID(),
        "date_key": NUMERIC(numtype=int, sortable=True),
        # Field lengths in words, for the length normalisation of the ranking (see rank).
        "title_words": NUMERIC(numtype=int, bits=32, sortable=True),
        "speakers_words": NUMERIC(numtype=int, bits=32, sortable=True),
        "abstract_words": NUMERIC(numtype=int, bits=32, sortable=True),
        "fingerprint": STORED(),
    }
    for name in TEXT_FIELDS:
        # Folded words keep their frequency for the ranking (a speaker's name counts once).
        fields[name] = _text(FOLDED_ANALYZER, stored=name != "speakers", frequencies=name != "speakers")
    fields["prefix_title"] = _text(PREFIX_ANALYZER)
    # Abstracts hold most words: grams stop at ABSTRACT_GRAM_MAX letters, and longer prefixes
    # are looked up in the abstract vocabulary, where few words share them.
    fields["prefix_abstract"] = _text(ABSTRACT_PREFIX_ANALYZER)
    return Schema(**fields)
