"""Turn untrusted visitor text into bounded words and Whoosh queries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from whoosh.query import And, AndMaybe, Or, Phrase, Query, Term

from meetup.search_analysis import (
    PREFIX_FIELDS,
    PREFIX_MAX,
    PREFIX_MIN,
    TEXT_FIELDS,
    stem_en,
    stem_es,
    word_tokens,
)

MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8

_QUOTES = "\"“”„«»"
_QUOTED = re.compile(f"[{_QUOTES}]([^{_QUOTES}]*)[{_QUOTES}]")


@dataclass(frozen=True)
class ParsedQuery:
    """The bounded, folded form of a visitor's search text."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    # The last word when the text ends inside it, i.e. it is still being typed.
    prefix: str | None

    def without(self, dropped: Iterable[str]) -> ParsedQuery:
        """Return this query minus some words and the phrases that contain them."""
        removed = set(dropped)
        if not removed:
            return self
        return ParsedQuery(
            words=tuple(word for word in self.words if word not in removed),
            phrases=tuple(phrase for phrase in self.phrases if removed.isdisjoint(phrase)),
            prefix=None if self.prefix in removed else self.prefix,
        )


def clean_text(text: str) -> str:
    """Cut text to the first MAX_QUERY_CHARS characters and blank out control characters."""
    if not isinstance(text, str):
        return ""
    kept: list[str] = []
    for ch in text[:MAX_QUERY_CHARS]:
        category = unicodedata.category(ch)
        if category == "Cf":
            # Format characters (soft hyphen, zero-width joiner) sit inside words.
            continue
        # NUL, controls, lone surrogates, private-use and unassigned become separators.
        kept.append(" " if category.startswith("C") else ch)
    return "".join(kept)


def parse_query(text: str) -> ParsedQuery:
    """Parse visitor text into at most MAX_QUERY_WORDS folded words, phrases and a prefix."""
    cleaned = clean_text(text)
    tokens = word_tokens(cleaned)
    kept = tokens[:MAX_QUERY_WORDS]
    prefix: str | None = None
    if kept and kept[-1].end == len(cleaned):
        # Prefix lookups below PREFIX_MIN letters would match almost everything.
        if len(kept[-1].folded) < PREFIX_MIN:
            kept = kept[:-1]
        else:
            prefix = kept[-1].folded
    words = tuple(dict.fromkeys(token.folded for token in kept))

    phrases: list[tuple[str, ...]] = []
    for quoted in _QUOTED.finditer(cleaned):
        inside = [
            index
            for index, token in enumerate(tokens)
            if quoted.start(1) <= token.start and token.end <= quoted.end(1)
        ]
        # A phrase cut by the word bound would ask for words we no longer search.
        if len(inside) >= 2 and inside[-1] < len(kept):
            phrase = tuple(tokens[index].folded for index in inside)
            if phrase not in phrases:
                phrases.append(phrase)
    return ParsedQuery(words=words, phrases=tuple(phrases), prefix=prefix)


def word_terms(word: str, as_prefix: bool) -> list[tuple[str, str]]:
    """List the (field, term) pairs any one of which makes a talk match the word."""
    english, spanish = stem_en(word), stem_es(word)
    # A talk containing the folded word always contains its stems, so the folded
    # fields would add no matches, only more posting lists to merge per hit.
    terms = [(f"{field}_en", english) for field in TEXT_FIELDS]
    terms += [(f"{field}_es", spanish) for field in TEXT_FIELDS]
    if as_prefix and len(word) >= PREFIX_MIN:
        # Grams stop at PREFIX_MAX letters, so longer prefixes match on their start.
        terms += [(field, word[:PREFIX_MAX]) for field in PREFIX_FIELDS]
    return terms


def word_query(word: str, as_prefix: bool) -> Query:
    """Build the query matching one word in any form in any text field."""
    return Or([Term(field, text) for field, text in word_terms(word, as_prefix)])


def build_query(parsed: ParsedQuery, *, require_all: bool) -> Query:
    """Build the ranked query: all (or any) words, with quoted phrases as a bonus."""
    per_word = [word_query(word, word == parsed.prefix) for word in parsed.words]
    main: Query = And(per_word) if require_all else Or(per_word)
    if not parsed.phrases:
        return main
    bonus = Or(
        [Phrase(field, list(phrase)) for phrase in parsed.phrases for field in TEXT_FIELDS]
    )
    return AndMaybe(main, bonus)
