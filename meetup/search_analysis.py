"""Text analysis shared by indexing, querying and highlighting of talks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from whoosh.analysis import Filter, NgramFilter, RegexTokenizer, StemFilter, Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language

# Letters/digits plus combining marks, so decomposed "n\u0303" stays one word;
# underscores, apostrophes, dashes, slashes and dots all split words.
WORD_PATTERN = r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])*"

PREFIX_MIN = 2
PREFIX_MAX = 15

TEXT_FIELDS = ("title", "speakers", "abstract")
PREFIX_FIELDS = ("prefix_title", "prefix_abstract")

# Letters NFKD does not decompose but readers expect to fold to plain Latin.
_EXTRA_FOLDS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Return the word lowercased with accents removed (ñ→n), letters and digits only."""
    lowered = word.casefold().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


_stem_english = stemmer_for_language("en")
_stem_spanish = stemmer_for_language("es")


@lru_cache(maxsize=100_000)
def stem_en(folded: str) -> str:
    """Return the English snowball stem of an already folded word."""
    return _stem_english(folded)


@lru_cache(maxsize=100_000)
def stem_es(folded: str) -> str:
    """Return the Spanish snowball stem of an already folded word."""
    return _stem_spanish(folded)


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


# Stems are taken from folded words, so accents never block a stem match.
FOLDED_ANALYZER = _folding()
ENGLISH_ANALYZER = _folding() | StemFilter(lang="en")
SPANISH_ANALYZER = _folding() | StemFilter(lang="es")
PREFIX_ANALYZER = _folding() | NgramFilter(PREFIX_MIN, PREFIX_MAX, at="start")


@dataclass(frozen=True)
class WordToken:
    """One word of a text: its folded form and its span in the original."""

    folded: str
    start: int
    end: int


_WORD_RE = re.compile(WORD_PATTERN)


def word_tokens(text: str) -> list[WordToken]:
    """Split text into folded words with offsets, exactly as FOLDED_ANALYZER does."""
    # The same regex and fold as the analyzer, minus its per-token object overhead.
    tokens = []
    for match in _WORD_RE.finditer(text):
        folded = fold(match.group())
        if folded:
            tokens.append(WordToken(folded, match.start(), match.end()))
    return tokens


def build_schema() -> Schema:
    """Build the schema: each text field folded, English-stemmed and Spanish-stemmed."""
    fields: dict[str, object] = {
        "slug": ID(unique=True, stored=True),
        "lang": ID(stored=True),
        "date_key": NUMERIC(numtype=int, sortable=True),
        "fingerprint": STORED(),
    }
    boosts = {"title": 3.0, "speakers": 2.0, "abstract": 1.0}
    for name, boost in boosts.items():
        fields[name] = TEXT(analyzer=FOLDED_ANALYZER, stored=True, field_boost=boost)
        # Stem fields never serve phrases, so skip their positions.
        fields[f"{name}_en"] = TEXT(analyzer=ENGLISH_ANALYZER, phrase=False, field_boost=boost)
        fields[f"{name}_es"] = TEXT(analyzer=SPANISH_ANALYZER, phrase=False, field_boost=boost)
    fields["prefix_title"] = TEXT(analyzer=PREFIX_ANALYZER, phrase=False, field_boost=2.5)
    fields["prefix_abstract"] = TEXT(analyzer=PREFIX_ANALYZER, phrase=False, field_boost=1.0)
    return Schema(**fields)
