"""Rank matching talks: where each word occurs (title above speakers above abstract), how rare it is,
quoted phrases first, newest first among equals. Plain numpy over the masks of search_reader."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meetup.search_reader import LANGS, OpenGeneration, WordMasks

TITLE_WEIGHT = 3.0
SPEAKERS_WEIGHT = 2.0
ABSTRACT_WEIGHT = 1.0
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


def rank(opened: OpenGeneration, words: list[WordMasks | None], phrase: np.ndarray | None,
         lang: str | None, offset: int, limit: int) -> Matches:
    """Match all words (or, when no talk has them all, any) and return one page in rank order.

    A word given as None (a misspelling) matches nothing, so the search falls back to any word.
    """
    present = [opened.unpack(masks.anywhere) if masks else None for masks in words]
    matching = _combine(present, opened.size, require_all=True)
    matched_all = bool(matching.any())
    if not matched_all:
        matching = _combine(present, opened.size, require_all=False)
    lang_counts = {code: int(np.count_nonzero(matching & opened.lang_mask(code))) for code in LANGS}
    total = lang_counts[lang] if lang else int(np.count_nonzero(matching))
    if offset >= total:
        return Matches([], total, lang_counts, matched_all)
    candidates = matching & opened.lang_mask(lang) if lang else matching
    docnums = np.flatnonzero(candidates)
    scores = np.zeros(len(docnums), dtype=np.float64)
    live_count = max(1, int(np.count_nonzero(opened.live())))
    title_words = None
    for masks, anywhere in zip(words, present):
        if masks is None:
            continue
        rarity = np.log1p(live_count / (1 + masks.count))
        in_title = opened.unpack(masks.title)[docnums]
        if title_words is None:
            title_words = np.maximum(opened.title_words()[docnums], 1)
        # A shorter title is more about the word than a longer one.
        level = np.where(
            in_title, TITLE_WEIGHT + 1.0 / title_words,
            np.where(opened.unpack(masks.speakers)[docnums], SPEAKERS_WEIGHT,
                     np.where(anywhere[docnums], ABSTRACT_WEIGHT, 0.0)),
        )
        scores += rarity * level
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
                   matched_all)


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
