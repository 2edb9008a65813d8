"""Spelling: the indexed word a visitor probably meant, from edit distance and word frequency."""

from __future__ import annotations

from whoosh.support.levenshtein import damerau_levenshtein

from .analysis import PREFIX_MAX
from .reader import OpenGeneration

# One edit in a shorter word is too likely to be another real word to call it a typo.
MIN_TYPO_LENGTH = 5


def neighbours(opened: OpenGeneration, word: str, max_distance: int) -> list[str]:
    """List indexed unstemmed words within max_distance edits, nearest then most frequent first."""
    ranked = []
    # Sharing the first letter keeps the walk over the vocabulary small.
    for candidate in opened.vocabulary.near(word, max_distance):
        frequency = opened.word_frequency(candidate)
        # The vocabulary keeps the words of removed talks until the next rebuild.
        if frequency:
            ranked.append((damerau_levenshtein(word, candidate), -frequency, candidate))
    return [candidate for _, _, candidate in sorted(ranked)]


def closest_word(opened: OpenGeneration, word: str) -> str | None:
    """Return the indexed unstemmed word nearest to word, by edit distance then frequency."""
    if len(word) < 3 or word.isdigit():
        return None
    found = neighbours(opened, word, 1 if len(word) <= 4 else 2)
    return found[0] if found else None


def misspelling_of(opened: OpenGeneration, word: str, as_prefix: bool) -> str | None:
    """Return the indexed word this unknown word is one typo away from, if any.

    Stems alone would let "kubernets" match "kubernetes" (both stem to "kubernet"),
    hiding the typo; an edit that is an inflection (see is_inflection) is not a typo.
    """
    if len(word) < MIN_TYPO_LENGTH or opened.is_indexed(word):
        return None
    if as_prefix and opened.is_indexed_prefix(word[:PREFIX_MAX]):
        return None
    found = neighbours(opened, word, 1)
    if not found or any(is_inflection(word, neighbour) for neighbour in found):
        return None
    return found[0]


def is_inflection(word: str, other: str) -> bool:
    """Return whether two words one edit apart differ only by a plural -s, a feminine -a or an a/e/o ending."""
    shorter, longer = sorted((word, other), key=len)
    if longer in (shorter + "s", shorter + "a"):
        return True
    if len(word) != len(other) or not word:
        return False
    # The vowel before a shared plural -s counts too: escalados/escaladas.
    position = len(word) - (2 if word.endswith("s") and other.endswith("s") else 1)
    return (word[:position] == other[:position] and word[position + 1:] == other[position + 1:]
            and word[position] in "aeo" and other[position] in "aeo")
