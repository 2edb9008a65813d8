"""Talks like a given one, in either language: its key words, their forms and translations, ranked by BM25F."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .analysis import word_tokens
from .find import synonyms_found
from .functionwords import STOP_WORDS
from .rank import QueryTerm, idf, pseudo_frequency, saturated, top_in_order
from .reader import OpenGeneration
from .synonyms import SynonymTable

# The talk's words that say most about it: frequent in it, rare in the archive.
KEY_WORDS = 12
MIN_KEY_LENGTH = 3


def related_docnums(opened: OpenGeneration, synonyms: SynonymTable, docnum: int, text: str,
                    limit: int) -> list[int]:
    """Return the docnums of the talks most like docnum, best first, found through its key words.

    A key word counts in its forms and through its synonyms and translations, so a Spanish abstract about
    "contenedores" finds English talks about containers.
    """
    counts = Counter(token.folded for token in word_tokens(text)
                     if len(token.folded) >= MIN_KEY_LENGTH and not token.folded.isdigit()
                     and token.folded not in STOP_WORDS)
    live = max(int(np.count_nonzero(opened.live())), 1)
    weighted = []
    for word, count in counts.items():
        masks = opened.word_masks(word, False)
        # A word found only in this talk links it to nothing.
        if masks.count > 1 or synonyms_found(opened, synonyms, word):
            weighted.append((count * math.log(1 + live / (masks.count + 0.5)), word))
    keys = [word for _, word in sorted(weighted, key=lambda pair: (-pair[0], pair[1]))[:KEY_WORDS]]
    if not keys:
        return []
    terms = [QueryTerm(opened.word_masks(word, False),
                       tuple((masks, weight) for _other, masks, weight in synonyms_found(opened, synonyms, word)))
             for word in keys]
    anywhere = np.zeros(opened.size, dtype=bool)
    for term in terms:
        for masks, _weight in term.masks():
            anywhere |= opened.unpack(masks.anywhere)
    anywhere[docnum] = False
    candidates = np.flatnonzero(anywhere & opened.live())
    if not len(candidates):
        return []
    scores = np.zeros(len(candidates), dtype=np.float64)
    # A word the talk repeats says more about it (more_like_this boosts its query terms the same way).
    for word, term in zip(keys, terms):
        scores += counts[word] * idf(opened, term) * saturated(pseudo_frequency(opened, term, candidates))
    return [int(number) for number in candidates[top_in_order(opened, candidates, scores, limit)]]
