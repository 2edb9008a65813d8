"""Text analysis shared by indexing, querying and highlighting of talks: words, folding, stems, prefixes."""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache
from itertools import accumulate
from typing import Iterable, NamedTuple

import numpy as np

from whoosh.lang import stemmer_for_language

# Letters/digits plus combining marks, so decomposed "n\u0303" stays one word;
# underscores, apostrophes, dashes, slashes and dots all split words.
COMBINING_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
# A letter or digit, then letters, digits and marks: written as runs of letters between marks
# rather than one choice per character, the same words are found in 26 µs instead of 35 for an
# abstract of 130 words (tests/search/test_analysis.py holds the two spellings equal).
WORD_PATTERN = rf"[^\W_]+(?:{COMBINING_MARKS}[^\W_]*)*"

PREFIX_MIN = 2
PREFIX_MAX = 15
ABSTRACT_GRAM_MAX = 3

TEXT_FIELDS = ("title", "speakers", "abstract")
# Stored texts whose words are kept split, per cache: the titles and abstracts of the last 3,000 or so
# talks shown, about 36 MB per worker (11.7 KB per talk, measured with tracemalloc at 10,000 talks).
# A benchmark run shows 2,000 talks, and pages filled with partial matches and quoted phrases' 100
# rows read more: with 4,096 texts they were prepared again on every run (engine typing p95 3.1 ms
# against 2.3-2.8 with 6,144; with 2,048, the same with fewer talks shown).
TOKEN_CACHE_SIZE = 6144

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


# The talks' languages, each with the snowball stemmer of its already folded words (cached: words
# repeat). The search package's own table, as it imports nothing of the site; tests/test_layout.py
# checks that it names the catalogue's languages (catalog/languages.LANGUAGES).
STEMMERS = {code: lru_cache(maxsize=100_000)(stemmer_for_language(code)) for code in ("en", "es")}
LANGS = tuple(STEMMERS)


def stems(folded: str) -> tuple[str, ...]:
    """Return the stems of an already folded word in each language, in LANGS order."""
    return tuple(stem(folded) for stem in STEMMERS.values())


class WordToken(NamedTuple):
    """One word of a text: its folded form and its span in the original."""

    folded: str
    start: int
    end: int


_WORD_RE = re.compile(WORD_PATTERN)


def word_tokens(text: str) -> list[WordToken]:
    """Split text into folded words with offsets, exactly as the schema's analyzers do."""
    # The same regex and fold as the analyzer, minus its per-token object overhead.
    tokens = []
    append = tokens.append
    for match in _WORD_RE.finditer(text):
        folded = fold(match.group())
        if folded:
            start, end = match.span()
            append(WordToken(folded, start, end))
    return tokens


def folded_words(text: str) -> list[str]:
    """Return the folded words of text, exactly the `folded` of its word_tokens."""
    # One regex pass in C and a cached fold per word: no match objects or tuples per word.
    return list(filter(None, map(fold, _WORD_RE.findall(text))))


_WORD_SPLIT_RE = re.compile(f"({WORD_PATTERN})")


class TextWords(NamedTuple):
    """The words of a stored text: folded, with where each starts and ends in it."""

    folded: tuple[str, ...]
    starts: array
    ends: array


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def text_words(text: str) -> TextWords:
    """Return the words of a stored text exactly as word_tokens finds them, cached: typing shows the
    same talks keystroke after keystroke.

    Highlighting and proximity need the folded words of a whole abstract and the offsets of a
    passage. One `split` keeps the text between words, so the offsets are running sums of the
    pieces' lengths, all in C: 43 µs for an abstract of 130 words, against 73 µs for the spans of
    `finditer`'s matches and 104 µs for word_tokens with a tuple per word (all three measured with
    the earlier spelling of WORD_PATTERN). Offsets are kept as two arrays, not a tuple per word,
    which the collector would have to walk.
    """
    pieces = _WORD_SPLIT_RE.split(text)
    folded = tuple(map(fold, pieces[1::2]))
    bounds = array("q", accumulate(map(len, pieces), initial=0))
    starts, ends = bounds[1:-1:2], bounds[2::2]
    if "" in folded:  # a lone mark matches the pattern but folds to nothing: no word, as in word_tokens
        kept = [number for number, word in enumerate(folded) if word]
        folded = tuple(folded[number] for number in kept)
        starts, ends = array("q", (starts[number] for number in kept)), array("q", (ends[number] for number in kept))
    return TextWords(folded, starts, ends)


def text_folded(text: str) -> tuple[str, ...]:
    """Return the folded words of a stored text (the `folded` of its word_tokens), cached with text_words."""
    return text_words(text).folded


class _Numbering:
    """Numbers for the folded words seen in stored texts."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.numbers: dict[str, int] = {}

    def number(self, word: str) -> int:
        """Return the word's number, numbering it when new."""
        number = self.numbers.get(word)
        if number is None:
            number = self.numbers[word] = len(self.words)
            self.words.append(word)
        return number


# An archive's vocabulary is bounded, so the numbering is kept for the life of the process.
NUMBERING = _Numbering()


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def text_word_numbers(text: str) -> np.ndarray:
    """Return the numbers of a stored text's folded words, so whole texts are matched with numpy.

    Words already numbered are looked up by `map` in C (about 4 µs for an abstract, against 20 µs
    calling `number` per word); only a text with new words numbers them one by one.
    """
    words = text_folded(text)
    found = list(map(NUMBERING.numbers.get, words))
    if None in found:
        number = NUMBERING.number
        found = [number(word) for word in words]
    return np.asarray(found, dtype=np.int64)


def word_number(word: str) -> int | None:
    """Return the number of a folded word seen in some stored text, if any."""
    return NUMBERING.numbers.get(word)


def edge_grams(words: Iterable[str], longest: int) -> set[str]:
    """Return the starts of each word from PREFIX_MIN up to longest letters."""
    # Talks share most of their words: each word's starts are cut once (about half a rebuild's analysis).
    return set().union(*[_starts(word, longest) for word in words])


@lru_cache(maxsize=100_000)
def _starts(word: str, longest: int) -> tuple[str, ...]:
    """Return the starts of one word from PREFIX_MIN up to longest letters."""
    return tuple(word[:size] for size in range(PREFIX_MIN, min(len(word), longest) + 1))
