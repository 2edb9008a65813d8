"""Rank matching talks with BM25F over title, speakers and abstract, newest first among equals.

BM25F as in Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond"
(Foundations and Trends in IR 3(4), 2009, §3.5): each field's term frequency is normalised by
the field's length against its average (b per field) and weighted (title above speakers above
abstract); the weighted sum saturates once per query term (k1) and is multiplied by the term's
idf. A word's forms (its English and Spanish inflections, a typed prefix) count as the word;
a synonym counts as the word too, its frequencies scaled by the synonym's weight, so a strong
cross-language match in a title can outrank a passing literal mention in an abstract.
Only the talks that match are scored, with numpy over their postings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .analysis import LANGS
from .postings import Postings, WordMasks
from .reader import OpenGeneration

# (field, weight, length normalisation b): titles are short and say what a talk is about.
FIELDS = (("title", 4.0, 0.5), ("speakers", 2.5, 0.3), ("abstract", 1.0, 0.75))
# How much a synonym or translation counts in an abstract, against its full weight in a title.
TRANSLATED_ABSTRACT = 0.7
# Term frequency saturation: the third mention of a word adds far less than the first.
K1 = 1.2
# Scores are compared as integers of this resolution, so near-equal floats tie and dates decide.
SCORE_STEPS = 1000
# Above any sum of word scores: when every required word is a speaker's name, that speaker's talks come first.
SPEAKER_BONUS = 500.0
# Above any other score: when fewer than FILL_BELOW talks (the site's page) have every word, they come
# before the partial matches that fill the page. A fixed count, so every page size sees the same order.
FULL_MATCH_BONUS = 10_000.0
FILL_BELOW = 20
# What a function word counts for in a query with other words, against its full weight alone.
FUNCTION_WORD_WEIGHT = 0.2


@dataclass(frozen=True)
class QueryTerm:
    """One searched word: where it occurs (None for a misspelling), its synonyms and their weights."""

    literal: WordMasks | None
    synonyms: tuple[tuple[WordMasks, float], ...] = ()
    # Function words ("de", "the") need not match for a talk to have all the words.
    required: bool = True
    # The word being typed: a talk having only its prefix does not fill a short page.
    typing: bool = False

    def masks(self) -> list[tuple[WordMasks, float]]:
        """Return the word's own masks (weight 1) and its synonyms' masks with their weights."""
        own = [(self.literal, 1.0)] if self.literal is not None else []
        return own + list(self.synonyms)


@dataclass
class Matches:
    """The matching docnums in rank order up to one page, with exact counts."""

    ordered: np.ndarray
    scores: np.ndarray
    idfs: list[float]
    total: int
    lang_counts: dict[str, int]
    matched_all: bool
    year_counts: dict[int, int]
    # When a short page was filled with talks having only some of the words: how many have them all.
    full_matches: int | None = None


def matching(opened: OpenGeneration, terms: list[QueryTerm]) -> tuple[np.ndarray, bool]:
    """Return the talks having every required word (or, when none has them all, any word)."""
    present = [_anywhere(opened, term) for term in terms]
    required = [mask for mask, term in zip(present, terms) if term.required]
    # A query of function words only ("the of") still asks for them.
    if not required:
        required = present
    found = _combine(required, opened.size, require_all=True)
    if found.any():
        return found, True
    return _combine(present, opened.size, require_all=False), False


def partial_matches(opened: OpenGeneration, terms: list[QueryTerm]) -> np.ndarray | None:
    """Return the talks having at least one required word typed in full, or None for a query of fewer than two.

    A half-typed last word ("se" of "autoescalado de se") would bring in every talk with a word that starts
    so: those talks are not partial matches of what the visitor is asking.
    """
    if sum(term.required for term in terms) < 2:
        return None
    complete = [_anywhere(opened, term) for term in terms if term.required and not term.typing]
    if not complete:
        return None
    return _combine(complete, opened.size, require_all=False)


def rank(opened: OpenGeneration, terms: list[QueryTerm], lang: str | None, depth: int, *,
         year: np.ndarray | None = None, fill_below: int = 0, within: np.ndarray | None = None,
         speaking: np.ndarray | None | bool = True) -> Matches:
    """Match the terms and return the best `depth` talks in rank order, with exact counts.

    `within` (one event's talks) restricts everything, counts included; `year` restricts the matches
    and the year counts ignore it; the language counts ignore the language filter. When fewer than `fill_below` talks (in the filters) have every word, the talks
    having some of the required words follow them, ranked among themselves, and are counted too.
    `speaking` is speaker_mask's answer when the caller has it already.
    """
    found, matched_all = matching(opened, terms)
    if within is not None:
        found = found & within  # one event's talks: every count and the filling keep to them
    if speaking is True:  # not found by the caller already
        speaking = speaker_mask(opened, terms)
    full = None
    if matched_all and fill_below:
        shown = found & opened.lang_mask(lang) if lang else found
        full_count = int(np.count_nonzero(shown & year if year is not None else shown))
        # A query that is a speaker's name asks for that speaker's talks, not for talks sharing one of the names.
        few = full_count < fill_below and speaking is None
        partial = partial_matches(opened, terms) if few else None
        if partial is not None and within is not None:
            partial = partial & within
        if partial is not None and (partial & ~found).any():
            full, found = found, found | partial
    year_counts = opened.year_counts(found & opened.lang_mask(lang) if lang else found)
    if year is not None:
        found = found & year
    lang_counts = {code: int(np.count_nonzero(found & opened.lang_mask(code))) for code in LANGS}
    total = lang_counts[lang] if lang else int(np.count_nonzero(found))
    candidates = np.flatnonzero(found & opened.lang_mask(lang) if lang else found)
    idfs = [idf(opened, term) for term in terms]
    if any(term.required for term in terms):
        # Beside a word with a topic, a function word ("un", "why") says little about the talks: its
        # rarity in one language's talks ("un" in English ones) must not make it rank them.
        idfs = [weight if term.required else FUNCTION_WORD_WEIGHT * weight for term, weight in zip(terms, idfs)]
    scores = np.zeros(len(candidates), dtype=np.float64)
    for term, weight in zip(terms, idfs):
        scores += weight * saturated(pseudo_frequency(opened, term, candidates))
    if speaking is not None:
        scores += SPEAKER_BONUS * speaking[candidates]
    full_matches = None
    if full is not None:
        scores += FULL_MATCH_BONUS * full[candidates]
        full_matches = int(np.count_nonzero(full[candidates]))
    top = top_in_order(opened, candidates, scores, depth)
    return Matches(candidates[top], scores[top], idfs, total, lang_counts, matched_all, year_counts, full_matches)


def speaker_mask(opened: OpenGeneration, terms: list[QueryTerm]) -> np.ndarray | None:
    """Return the talks whose speakers hold every required word as typed, or None when there are none."""
    required = [term for term in terms if term.required] or terms
    if not required or any(term.literal is None or not term.literal.speakers.any() for term in required):
        return None
    found = opened.unpack(required[0].literal.speakers)
    for term in required[1:]:
        found = found & opened.unpack(term.literal.speakers)
    return found if found.any() else None


def top_in_order(opened: OpenGeneration, docnums: np.ndarray, scores: np.ndarray, depth: int) -> np.ndarray:
    """Return the positions of the best `depth` scores, higher first, then newest first."""
    # One integer key: higher score first, then newest first (the date rank is unique).
    key = -np.rint(scores * SCORE_STEPS).astype(np.int64) * (opened.size + 1) + opened.date_rank()[docnums]
    wanted = min(depth, len(docnums))
    if wanted <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(key, wanted - 1)[:wanted] if wanted < len(docnums) else np.arange(len(docnums))
    return top[np.argsort(key[top])]


def idf(opened: OpenGeneration, term: QueryTerm) -> float:
    """Return the term's inverse document frequency, its synonyms' talks counted with its own."""
    masks = term.masks()
    if not masks:
        return 0.0
    if len(masks) == 1:
        count = masks[0][0].count
    else:
        anywhere = np.zeros(opened.size, dtype=bool)
        for where, _weight in masks:
            anywhere |= opened.unpack(where.anywhere)
        count = int(np.count_nonzero(anywhere))
    live = int(np.count_nonzero(opened.live()))
    # Lucene's non-negative form of the Robertson/Spärck Jones weight.
    return math.log(1 + (live - count + 0.5) / (count + 0.5))


def pseudo_frequency(opened: OpenGeneration, term: QueryTerm, docnums: np.ndarray) -> np.ndarray:
    """Return the term's weighted, length-normalised frequency summed over fields, per docnum.

    A synonym or translation found only in an abstract counts TRANSLATED_ABSTRACT of its weight: a talk
    saying the searched word itself ranks above one that only uses a translation in passing, while a
    translation in a title still counts in full.
    """
    total = np.zeros(len(docnums), dtype=np.float64)
    for number, (where, weight) in enumerate(term.masks()):
        own = number == 0 and term.literal is not None
        postings = {"title": where.title_tf, "speakers": where.speakers_tf, "abstract": where.abstract_tf}
        for fieldname, field_weight, _b in FIELDS:
            field_postings: Postings = postings[fieldname]
            if len(field_postings):
                norms = length_norms(opened, fieldname)
                scale = 1.0 if own or fieldname != "abstract" else TRANSLATED_ABSTRACT
                total += scale * weight * field_weight * field_postings.at(docnums) / norms[docnums]
    return total


def saturated(frequency: np.ndarray) -> np.ndarray:
    """Return BM25's saturation of a (pseudo) term frequency, between 0 and k1 + 1."""
    return frequency * (K1 + 1) / (K1 + frequency)


def length_norms(opened: OpenGeneration, fieldname: str) -> np.ndarray:
    """Return (1 - b) + b * length / average length of one field, per docnum, cached per searcher."""
    return opened.cached(("norms", fieldname), lambda: _length_norms(opened, fieldname))


def _length_norms(opened: OpenGeneration, fieldname: str) -> np.ndarray:
    b = next(b for name, _weight, b in FIELDS if name == fieldname)
    lengths = opened.field_lengths(fieldname)
    live = opened.live()
    average = float(lengths[live].mean()) if live.any() else 0.0
    if average <= 0:
        return np.ones(len(lengths), dtype=np.float64)
    return (1 - b) + b * lengths.astype(np.float64) / average


def _anywhere(opened: OpenGeneration, term: QueryTerm) -> np.ndarray | None:
    """Return where a word or its synonyms occur (None when none can match)."""
    masks = term.masks()
    if not masks:
        return None
    found = opened.unpack(masks[0][0].anywhere)
    for where, _weight in masks[1:]:
        found = found | opened.unpack(where.anywhere)
    return found


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
