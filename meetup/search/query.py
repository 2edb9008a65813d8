"""Turn untrusted visitor text into bounded words, a typed prefix and quoted phrases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from .analysis import PREFIX_MIN, word_tokens

# The longest search text read, in characters: the site, the API and the feeds refuse or cut longer ones.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8
# Quoted phrases honoured per query; further quotes are searched as plain words.
MAX_PHRASES = 2

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
            if phrase not in phrases and len(phrases) < MAX_PHRASES:
                phrases.append(phrase)
    return ParsedQuery(words=words, phrases=tuple(phrases), prefix=prefix)
