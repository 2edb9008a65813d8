"""Rank matching talks: where each word occurs (title above speakers above abstract), how rare it is,
quoted phrases first, newest first among equals. Plain numpy over the masks of the reader."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .reader import LANGS, OpenGeneration, WordMasks

TITLE_WEIGHT = 3.0
SPEAKERS_WEIGHT = 2.0
ABSTRACT_WEIGHT = 1.0
# A talk found only through a synonym ranks below talks with the word itself.
SYNONYM_WEIGHT = 0.3
# Above any sum of word scores: a talk with the quoted phrase outranks every talk without it.
PHRASE_BONUS = 1000.0
# Scores are compared as integers of this resolution, so near-equal floats tie and dates decide.
SCORE_STEPS = 1000


@dataclass
class Matches:
    """One page of matching docnums in rank order, with exact counts."""

    page: list[int]
    total: int
    lang_counts: dict[str, int]
    matched_all: bool
    year_counts: dict[int, int]


def rank(opened: OpenGeneration, words: list[WordMasks | None], phrase: np.ndarray | None,
         lang: str | None, offset: int, limit: int, *, year: np.ndarray | None = None,
         synonyms: list[WordMasks | None] | None = None) -> Matches:
    """Match all words (or, when no talk has them all, any) and return one page in rank order.

    A word given as None (a misspelling) matches nothing, so the search falls back to any word.
    `synonyms[i]`, when given, also counts as word i, at SYNONYM_WEIGHT. `year` restricts the
    matches; the year counts ignore it, the language counts ignore the language filter.
    """
    synonyms = synonyms or [None] * len(words)
    present = [_either(opened, masks, other) for masks, other in zip(words, synonyms)]
    matching = _combine(present, opened.size, require_all=True)
    matched_all = bool(matching.any())
    if not matched_all:
        matching = _combine(present, opened.size, require_all=False)
    year_counts = opened.year_counts(matching & opened.lang_mask(lang) if lang else matching)
    if year is not None:
        matching = matching & year
    lang_counts = {code: int(np.count_nonzero(matching & opened.lang_mask(code))) for code in LANGS}
    total = lang_counts[lang] if lang else int(np.count_nonzero(matching))
    if offset >= total:
        return Matches([], total, lang_counts, matched_all, year_counts)
    candidates = matching & opened.lang_mask(lang) if lang else matching
    docnums = np.flatnonzero(candidates)
    scores = np.zeros(len(docnums), dtype=np.float64)
    live_count = max(1, int(np.count_nonzero(opened.live())))
    title_words = np.maximum(opened.title_words()[docnums], 1)
    for masks, other in zip(words, synonyms):
        if masks is not None:
            scores += _word_score(opened, masks, docnums, title_words, live_count)
        if other is not None:
            # Only talks without the word itself earn the synonym's lower score.
            without = ~opened.unpack(masks.anywhere)[docnums] if masks is not None else True
            scores += SYNONYM_WEIGHT * without * _word_score(opened, other, docnums, title_words, live_count)
    if phrase is not None:
        scores += np.where(phrase[docnums], PHRASE_BONUS, 0.0)
    # One integer key: higher score first, then newest first (the date rank is unique).
    key = -np.rint(scores * SCORE_STEPS).astype(np.int64) * (opened.size + 1) + opened.date_rank()[docnums]
    wanted = min(offset + limit, len(docnums))
    if wanted < len(docnums):
        top = np.argpartition(key, wanted - 1)[:wanted]
    else:
        top = np.arange(len(docnums))
    top = top[np.argsort(key[top])]
    return Matches([int(docnum) for docnum in docnums[top[offset:offset + limit]]], total, lang_counts,
                   matched_all, year_counts)


def _word_score(opened: OpenGeneration, masks: WordMasks, docnums: np.ndarray, title_words: np.ndarray,
                live_count: int) -> np.ndarray:
    """Score each docnum for one word: how rare it is times where it occurs."""
    rarity = np.log1p(live_count / (1 + masks.count))
    # A shorter title is more about the word than a longer one.
    level = np.where(
        opened.unpack(masks.title)[docnums], TITLE_WEIGHT + 1.0 / title_words,
        np.where(opened.unpack(masks.speakers)[docnums], SPEAKERS_WEIGHT,
                 np.where(opened.unpack(masks.anywhere)[docnums], ABSTRACT_WEIGHT, 0.0)),
    )
    return rarity * level


def _either(opened: OpenGeneration, masks: WordMasks | None, other: WordMasks | None) -> np.ndarray | None:
    """Return where a word or its synonyms occur (None when neither can match)."""
    if masks is None and other is None:
        return None
    if other is None:
        return opened.unpack(masks.anywhere)
    if masks is None:
        return opened.unpack(other.anywhere)
    return opened.unpack(masks.anywhere) | opened.unpack(other.anywhere)


def _combine(present: list[np.ndarray | None], size: int, *, require_all: bool) -> np.ndarray:
    """Return the intersection (or union) of the word masks, a missing word counting as empty."""
    masks = [mask for mask in present if mask is not None]
    if not masks or (require_all and len(masks) < len(present)):
        return np.zeros(size, dtype=bool)
    combined = masks[0].copy()
    for mask in masks[1:]:
        if require_all:
            combined &= mask
        else:
            combined |= mask
    return combined
