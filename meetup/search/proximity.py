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

    def members(self, stream: np.ndarray) -> np.ndarray:
        """Return, for each searched word, which entries of a stream of word numbers (-1 for none) stand for it.

        A lookup table over word numbers per searched word, not a sort of the stream: 30 µs for a page
        of 20 talks, where finding the stream's distinct words with np.unique took 190 µs.
        """
        size = len(NUMBERING.words) + 1  # the last entry, never set, is where -1 looks
        found = np.zeros((len(self.forms), len(stream)), dtype=bool)
        present = None
        for index, (forms, prefix) in enumerate(zip(self.forms, self.prefixes)):
            table = np.zeros(size, dtype=bool)
            table[[number for form in forms if (number := word_number(form)) is not None]] = True
            if prefix is not None:
                if present is None:
                    seen = np.zeros(size, dtype=bool)
                    seen[stream] = True
                    present = np.flatnonzero(seen[:-1]).tolist()
                every = NUMBERING.words
                table[[number for number in present if every[number].startswith(prefix)]] = True
            found[index] = table[stream]
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
    member = words.members(stream)
    bonus = np.zeros(len(rows), dtype=np.float64)
    for first, second in combinations(range(count), 2):
        if not member[first].any() or not member[second].any():
            continue
        at, distance = close_pairs(member[first], member[second])
        per_row = np.bincount(rows_at[at], weights=factors[at] / (distance * distance), minlength=len(rows))
        bonus += PROXIMITY_WEIGHT * min(idfs[first], idfs[second]) * saturated(per_row)
    return bonus


def close_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return where a word of one mask stands 1 to WINDOW words before one of the other, and how far.

    Each (position, distance) counts once, whichever word comes first. Looking up the few matching
    positions shifted by each distance takes 60 µs for a page of 20 talks, where comparing the whole
    masks at each distance took 240 µs. The stream ends with a gap of WINDOW, so no shift runs past it.
    """
    keys = []
    for before, after in ((first, second), (second, first)):
        positions = np.flatnonzero(before)
        for distance in range(1, WINDOW + 1):
            hit = positions[after[positions + distance]]
            keys.append(hit * (WINDOW + 1) + distance)
    found = np.unique(np.concatenate(keys))
    return found // (WINDOW + 1), (found % (WINDOW + 1)).astype(np.float64)


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
