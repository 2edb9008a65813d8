"""Answer one parsed query on an open generation: match, rank, re-rank the best by proximity, explain."""

from __future__ import annotations

import numpy as np

from .abbreviations import EXPANSION_WEIGHT
from .analysis import LANGS
from .functionwords import is_function_word
from .postings import Postings, WordMasks
from .proximity import WordSets, has_phrase, proximity_bonus
from .query import ParsedQuery
from .rank import FILL_BELOW, QueryTerm, rank, speaker_mask, top_in_order
from .reader import OpenGeneration
from .results import Ranked
from .spelling import misspelling_of, popular_correction, suggestion_for
from .synonyms import SynonymTable

# The best talks by word scores (one default page, whose text is read anyway) re-ranked for words
# standing close together; with quoted phrases, the best PHRASE_DEPTH, so the work a phrase costs
# is bounded (Whoosh's phrase query read the positions of every talk holding the words). Fixed
# depths, so every page of one query sees the same order.
RERANK_DEPTH = 20
PHRASE_DEPTH = 100
# Above any sum of word and proximity scores: a talk with a quoted phrase outranks those without.
PHRASE_BONUS = 1000.0
# "Also showing matches for": at most this many alternatives, those that brought talks onto the page.
MAX_EXPLAINED = 3
# A word still being typed is taken for a whole speaker's name from this length: two letters ("ku")
# are more often the start of another word.
NAME_MIN_TYPED = 3


def newest_talks(opened: OpenGeneration, lang: str | None, in_year: np.ndarray | None,
                 offset: int, limit: int, within: np.ndarray | None = None) -> Ranked:
    """Return one page of all talks (of the `within` mask, one event's, when given), newest first, with the counts."""
    live = opened.live() if within is None else opened.live() & within
    year_counts = opened.year_counts(live & opened.lang_mask(lang) if lang else live)
    shown = live & in_year if in_year is not None else live
    lang_counts = {code: int(np.count_nonzero(shown & opened.lang_mask(code))) for code in LANGS}
    total = lang_counts[lang] if lang else int(np.count_nonzero(shown))
    ordered = opened.newest_first(lang)
    if in_year is not None:
        ordered = ordered[in_year[ordered]]
    if within is not None:
        ordered = ordered[within[ordered]]
    return Ranked(opened.stored_rows(ordered[offset: offset + limit]), total, lang_counts,
                  year_counts=year_counts)


def match_and_rank(opened: OpenGeneration, parsed: ParsedQuery, synonyms: SynonymTable, lang: str | None,
               in_year: np.ndarray | None, offset: int, limit: int, within: np.ndarray | None = None) -> Ranked:
    """Match and rank the talks for parsed (among `within`, when given), returning one page of stored text and the counts."""
    if not parsed.words:
        return newest_talks(opened, lang, in_year, offset, limit, within)
    # A function word ("con", "the") is searched as typed: never expanded, translated or corrected
    # ("con" is not "cono", nor "cone").
    function = {word for word in parsed.words if is_function_word(word)}
    alternatives = [[] if word in function else synonyms_found(opened, synonyms, word) for word in parsed.words]
    # A word one typo away from an indexed word must not hide behind a shared stem
    # (a word of the synonyms file that finds talks is no typo).
    # An unindexed word whose stem only happens to reach a synonym ("kubernets" shares "kubernet" with
    # kubernetes, so k8s) is still checked; a typo is then searched as its correction, not through synonyms.
    typos = {word: fix for word, found in zip(parsed.words, alternatives)
             if word not in function and not synonyms.knows(word) and (not found or not opened.is_indexed(word))
             and (fix := misspelling_of(opened, word, word == parsed.prefix))}
    alternatives = [[] if word in typos else found for word, found in zip(parsed.words, alternatives)]
    # A rare word next to a far more frequent one is offered as a correction, and searched as typed.
    popular = {word: fix for word, found in zip(parsed.words, alternatives)
               if word not in typos and not found and not synonyms.knows(word)
               and (fix := popular_correction(opened, word))}
    searched = parsed.without(typos)
    terms = [QueryTerm(None if word in typos else opened.word_masks(word, word == searched.prefix,
                                                                     exact=word in function),
                       tuple((masks, weight) for _other, masks, weight in found),
                       required=word not in function, typing=word == searched.prefix)
             for word, found in zip(parsed.words, alternatives)]
    speaking = speaker_mask(opened, terms)
    if not searched.phrases and speaking is not None and _is_a_name(searched):
        # A query that is a speaker's name is searched as typed: a name has no other forms, no
        # translations, and is not the start of a longer word ("chao" is not "chaos"); talks naming
        # the speaker still match.
        alternatives = [[] for _word in parsed.words]
        terms = [QueryTerm(opened.word_masks(word, False, exact=True), (), required=term.required)
                 for word, term in zip(parsed.words, terms)]
    depth = PHRASE_DEPTH if searched.phrases else RERANK_DEPTH
    # A short page is filled with the best partial matches below the full ones (quoted phrases excepted).
    found = rank(opened, terms, lang, max(offset + limit, depth), year=in_year,
                 fill_below=0 if searched.phrases else FILL_BELOW, within=within, speaking=speaking)
    rows = opened.stored_rows(found.ordered[:depth])
    order = np.arange(len(found.ordered))
    # Only talks with every word are re-ranked for words standing close: partial matches that fill a
    # short page stay below them in word-score order.
    near = len(rows) if found.full_matches is None else min(len(rows), found.full_matches)
    if (len(terms) > 1 or searched.phrases) and near:
        words = WordSets([_forms(opened, word, found_) for word, found_ in zip(parsed.words, alternatives)],
                         [word if word == searched.prefix else None for word in parsed.words])
        scores = found.scores[:near] + proximity_bonus(rows[:near], words, found.idfs)
        if searched.phrases:
            scores += PHRASE_BONUS * np.array([has_phrase(row, searched.phrases) for row in rows[:near]],
                                              dtype=float)
        head = top_in_order(opened, found.ordered[:near], scores, near)
        order = np.concatenate([head, order[near:]])
        rows = [rows[index] for index in head] + rows[near:]
    page = order[offset: offset + limit]
    if offset + limit <= len(rows):
        page_rows = rows[offset: offset + limit]
    else:
        page_rows = opened.stored_rows(found.ordered[page])
    suggestion = None
    if popular or not found.matched_all:
        suggestion = suggestion_for(opened, parsed, terms, {**typos, **popular})
    matched = _explained(alternatives, synonyms, parsed.words, opened)
    forms = frozenset(form for word in searched.words + tuple(matched) for part in word.split()
                      for form in opened.vocabulary.forms(part))
    expansions = _shown_alternatives(opened, alternatives, synonyms, parsed.words, terms, found.ordered[page])
    return Ranked(page_rows, found.total, found.lang_counts, found.matched_all, suggestion, searched,
                  found.year_counts, expansions, corrects=bool(popular) and suggestion is not None, forms=forms,
                  full_matches=found.full_matches)


def _is_a_name(searched: ParsedQuery) -> bool:
    """Tell whether a query whose words are all in one talk's speakers is taken for a name, not being typed."""
    return searched.prefix is None or len(searched.prefix) >= NAME_MIN_TYPED


def synonyms_found(opened: OpenGeneration, synonyms: SynonymTable, word: str) -> list[tuple[str, object, float]]:
    """Return the word's synonyms and expansions that occur in some talk, with their masks and weights."""
    found = []
    for other, weight in synonyms.weighted_synonyms_of(word):
        masks = opened.word_masks(other, False)
        if masks.count:
            found.append((other, masks, weight))
    named = {other for other, _masks, _weight in found}
    for words in synonyms.expansions_of(word):
        name = " ".join(words)
        if name in named or name == word:
            continue
        masks = opened.word_masks(words[0], False) if len(words) == 1 else _all_of(opened, words)
        if masks is not None and masks.count:
            found.append((name, masks, EXPANSION_WEIGHT))
            named.add(name)
    return found


def _all_of(opened: OpenGeneration, words: tuple[str, ...]) -> WordMasks | None:
    """Return where every content word of a several-word term occurs, counted by its rarest word."""
    parts = [opened.word_masks(word, False) for word in words if not is_function_word(word)]
    if not parts or any(not part.count for part in parts):
        return None
    together = opened.unpack(parts[0].anywhere)
    for part in parts[1:]:
        together = together & opened.unpack(part.anywhere)
    if not together.any():
        return None
    rarest = min(parts, key=lambda part: part.count)

    def kept(postings: Postings) -> Postings:
        inside = together[postings.ids]
        return Postings(postings.ids[inside], postings.tf[inside])

    return WordMasks.of(kept(rarest.title_tf), kept(rarest.speakers_tf), kept(rarest.abstract_tf), together)


def _forms(opened: OpenGeneration, word: str, found: list[tuple[str, object, float]]) -> frozenset[str]:
    """Return the folded words of a talk that stand for word: its forms and its synonyms' forms."""
    forms = set(opened.vocabulary.forms(word))
    for other, _masks, _weight in found:
        for part in other.split():
            forms.update(opened.vocabulary.forms(part))
    return frozenset(forms)


def _has_bit(packed: np.ndarray, docnums: np.ndarray) -> np.ndarray:
    """Return, per docnum, whether a packed mask holds it (np.packbits order: the high bit first)."""
    return ((packed[docnums >> 3] >> (7 - (docnums & 7))) & 1).astype(bool)


def _shown_alternatives(opened: OpenGeneration, alternatives: list[list[tuple[str, object, float]]],
                        synonyms: SynonymTable, words: tuple[str, ...], terms: list[QueryTerm],
                        page: np.ndarray) -> list[str]:
    """Return the alternatives that brought talks onto this page, strongest first, at most MAX_EXPLAINED.

    A synonym or translation counts for the talks of the page that have it and not the searched word;
    a listed form of the word (a synonym sharing its stem) for the talks that have it.
    """
    if not len(page):
        return []
    page = page.astype(np.int64)
    strength: dict[str, tuple[float, int]] = {}
    for word, found, term in zip(words, alternatives, terms):
        if is_function_word(word):
            continue
        own = _has_bit(term.literal.anywhere, page) if term.literal is not None else np.zeros(len(page), bool)
        candidates = [(other, masks, weight, ~own) for other, masks, weight in found]
        candidates += [(other, opened.word_masks(other, False), 1.0, None) for other in synonyms.stem_mates(word)]
        for other, masks, weight, only in candidates:
            if other in words:
                continue
            here = _has_bit(masks.anywhere, page)
            brought = int(np.count_nonzero(here if only is None else here & only))
            if brought:
                strength[other] = max(strength.get(other, (0.0, 0)), (weight, brought))
    ordered = sorted(strength, key=lambda other: (-strength[other][0], -strength[other][1], other))
    return ordered[:MAX_EXPLAINED]


def _explained(alternatives: list[list[tuple[str, object, float]]], synonyms: SynonymTable,
               words: tuple[str, ...], opened: OpenGeneration) -> list[str]:
    """Return the synonyms that found talks, including those sharing a stem with the searched word."""
    explained: list[str] = []
    for word, found in zip(words, alternatives):
        if is_function_word(word):
            continue
        for other, _masks, _weight in found:
            if other not in explained and other not in words:
                explained.append(other)
        for other in synonyms.stem_mates(word):
            if other not in explained and other not in words and opened.word_masks(other, False).count:
                explained.append(other)
    return explained
