"""Spelling: the indexed word a visitor probably meant, from edit distance and word frequency."""

from __future__ import annotations

from .analysis import PREFIX_MAX
from .query import ParsedQuery
from .functionwords import is_function_word
from .lexicon import is_real_word
from .rank import QueryTerm, matching
from .reader import OpenGeneration
from .vocabulary import edit_distance

# One edit in a shorter word is too likely to be another real word to call it a typo.
MIN_TYPO_LENGTH = 5
# Words this long may be two edits from their correction.
LONG_WORD = 8
# "Popular" corrections: the near word is found in at least POPULAR_RATIO times as many talk
# fields, and in at least POPULAR_MIN; a word found in COMMON_WORD fields or more is never corrected.
POPULAR_RATIO = 8
POPULAR_MIN = 5
COMMON_WORD = 5


def neighbours(opened: OpenGeneration, word: str, max_distance: int) -> list[str]:
    """List indexed unstemmed words within max_distance edits, nearest then most frequent first."""
    ranked = []
    # Sharing the first letter keeps the walk over the vocabulary small.
    for candidate in opened.vocabulary.near(word, max_distance):
        frequency = opened.word_frequency(candidate)
        # The vocabulary keeps the words of removed talks until the next rebuild.
        if frequency:
            ranked.append((edit_distance(word, candidate, max_distance), -frequency, candidate))
    return [candidate for _, _, candidate in sorted(ranked)]


def misspelling_of(opened: OpenGeneration, word: str, as_prefix: bool) -> str | None:
    """Return the indexed word this unknown word is one typo away from, if any.

    Stems alone would let "kubernets" match "kubernetes" (both stem to "kubernet"),
    hiding the typo; an edit that is an inflection (see is_inflection) is not a typo.
    """
    if len(word) < MIN_TYPO_LENGTH or opened.is_indexed(word) or is_real_word(word):
        return None
    if as_prefix and opened.is_indexed_prefix(word[:PREFIX_MAX]):
        return None
    found = neighbours(opened, word, 1)
    if not found or any(is_inflection(word, neighbour) for neighbour in found):
        return None
    # A short word one edit from a rare one is as likely another word ("flask", "flash").
    if len(word) < LONG_WORD - 1 and opened.word_frequency(found[0]) < POPULAR_MIN:
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


def popular_correction(opened: OpenGeneration, word: str) -> str | None:
    """Return a near word far more frequent in the index than this rare indexed word, if any.

    Lucene's "popular" suggest mode: a word found in one or two talks (often an abstract's own
    typo) is corrected to the near word found in many. A common word is never corrected, nor a
    word into one of its own forms ("contenedor" → "contenedores").
    """
    if len(word) < MIN_TYPO_LENGTH or word.isdigit() or is_function_word(word) or is_real_word(word):
        return None
    frequency = opened.word_frequency(word)
    if not 0 < frequency < COMMON_WORD:
        return None
    forms = set(opened.vocabulary.forms(word))
    for candidate in neighbours(opened, word, _max_edits(word)):
        if candidate in forms or is_inflection(word, candidate) or is_function_word(candidate):
            continue
        popularity = opened.word_frequency(candidate)
        if popularity >= POPULAR_MIN and popularity >= POPULAR_RATIO * frequency:
            return candidate
    return None


def plausible_correction(opened: OpenGeneration, word: str) -> str | None:
    """Return the closest indexed word to a word no talk has, if near enough to be its misspelling."""
    if len(word) < 4 or word.isdigit() or is_function_word(word) or is_real_word(word):
        return None
    for candidate in neighbours(opened, word, _max_edits(word)):
        # A function word ("pero" for "perez") is never what someone misspelt into a name.
        if not is_function_word(candidate):
            return candidate
    return None


def _max_edits(word: str) -> int:
    """Return how many edits a correction may make: one below LONG_WORD letters, else two."""
    return 1 if len(word) < LONG_WORD else 2


def suggestion_for(opened: OpenGeneration, parsed: ParsedQuery, terms: list[QueryTerm],
                   corrections: dict[str, str]) -> str | None:
    """Return the query with misspelt or unmatched words replaced, when its words occur together.

    Each replaced word is a plausible correction (see plausible_correction). Unless every
    replacement is a sure one (`corrections`: a typo one edit from an indexed word, or a rare
    word next to a popular one), the suggested words must also be found together in some talk,
    so a suggestion never assembles unrelated words of the index ("python flash").
    """
    corrected, masks, sure = [], [], True
    for word, term in zip(parsed.words, terms):
        fix = corrections.get(word)
        if fix is None and not (term.literal is not None and term.literal.count) and not term.synonyms:
            fix = plausible_correction(opened, word)
            sure = sure and fix is None
        if fix is None:
            corrected.append(word)
            masks.append(term)
        else:
            corrected.append(fix)
            masks.append(QueryTerm(opened.word_masks(fix, False), required=term.required))
    if tuple(corrected) == parsed.words:
        return None
    if not sure and not matching(opened, masks)[1]:
        return None
    return " ".join(corrected)
