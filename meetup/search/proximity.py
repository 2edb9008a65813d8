"""Reward talks where the searched words stand close together, in the title or the abstract, or as quoted.

The bonus follows Rasolofo & Savoy, "Term Proximity Scoring for Keyword-Based Retrieval
Systems" (ECIR 2003): every pair of different query words found within a few words of each
other adds 1/d² (d the distance), the sum saturates like a BM25 term frequency and is weighted
by the rarer word's idf. It is computed on the stored text of the best-ranked talks only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .analysis import NUMBERING, text_folded, text_word_numbers, word_number
from .rank import saturated

# Words further apart than this are not "close".
WINDOW = 5
# How much a pair standing side by side adds, in units of the rarer word's idf (before saturation).
PROXIMITY_WEIGHT = 0.6
# A title holds few words: closeness there says more than in an abstract.
TITLE_FACTOR = 2.0


@dataclass(frozen=True)
class WordSets:
    """Which searched words each folded word of a talk stands for (its forms, synonyms, a prefix)."""

    forms: list[frozenset[str]]
    prefixes: list[str | None]

    def table(self, distinct: np.ndarray) -> np.ndarray:
        """Return, for each of the sorted distinct word numbers (-1 for none), which searched words it matches."""
        found = np.zeros((len(distinct), len(self.forms)), dtype=bool)
        numbers_listed = None
        for index, (forms, prefix) in enumerate(zip(self.forms, self.prefixes)):
            numbers = np.array([number for form in forms if (number := word_number(form)) is not None],
                               dtype=np.int64)
            where = np.searchsorted(distinct, numbers)
            hit = where < len(distinct)
            where = where[hit]
            found[where[distinct[where] == numbers[hit]], index] = True
            if prefix is not None:
                if numbers_listed is None:
                    numbers_listed = distinct.tolist()
                every = NUMBERING.words
                found[[position for position, number in enumerate(numbers_listed)
                       if number >= 0 and every[number].startswith(prefix)], index] = True
        return found


def proximity_bonus(rows: list[tuple[str, str, str]], words: WordSets, idfs: list[float]) -> np.ndarray:
    """Return each talk's proximity bonus from its (slug, title, abstract) row."""
    count = len(idfs)
    if count < 2 or not rows:
        return np.zeros(len(rows), dtype=np.float64)
    # All texts in one stream of word numbers, kept apart by gaps wider than the window.
    texts = [text_word_numbers(text) for _slug, title, abstract in rows for text in (title, abstract)]
    gap = np.full(WINDOW, -1, dtype=np.int64)
    stream = np.concatenate([piece for numbers in texts for piece in (numbers, gap)])
    spans = np.array([len(numbers) + WINDOW for numbers in texts])
    rows_at = np.repeat(np.arange(len(texts)) // 2, spans)
    factors = np.repeat(np.tile([TITLE_FACTOR, 1.0], len(rows)), spans)
    distinct, inverse = np.unique(stream, return_inverse=True)
    member = words.table(distinct)[inverse].T
    bonus = np.zeros(len(rows), dtype=np.float64)
    for first, second in combinations(range(count), 2):
        if not member[first].any() or not member[second].any():
            continue
        closeness = np.zeros(len(stream), dtype=np.float64)
        for distance in range(1, WINDOW + 1):
            pairs = (member[first][:-distance] & member[second][distance:]) | \
                    (member[second][:-distance] & member[first][distance:])
            closeness[:-distance] += pairs / (distance * distance)
        per_row = np.bincount(rows_at, weights=closeness * factors, minlength=len(rows))
        bonus += PROXIMITY_WEIGHT * min(idfs[first], idfs[second]) * saturated(per_row)
    return bonus


def has_phrase(row: tuple[str, str, str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Return whether a (slug, title, abstract) row holds one of the quoted phrases, word for word."""
    for text in row[1:]:
        words = text_folded(text)
        for phrase in phrases:
            size = len(phrase)
            first = phrase[0]
            for start, word in enumerate(words[: len(words) - size + 1]):
                if word == first and words[start: start + size] == phrase:
                    return True
    return False
