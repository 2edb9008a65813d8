"""Words of the talk languages' lexicons: a real word is never taken for a typo of an indexed one."""

from __future__ import annotations

from functools import cache

from wordfreq import top_n_list

from .analysis import LANGS, fold

# wordfreq's most frequent words per language (about Zipf 2.5 and above, once in 3 million words): deep
# enough for "móviles" and "automáticos", shallow enough to leave out the typos its web sources also hold.
LEXICON_DEPTH = 60_000


@cache
def lexicon() -> frozenset[str]:
    """Return the folded words of every talk language's lexicon (read once per process)."""
    return frozenset(fold(word) for language in LANGS for word in top_n_list(language, LEXICON_DEPTH))


def is_real_word(folded: str) -> bool:
    """Return whether a folded word is a word of one of the talk languages."""
    return bool(folded) and folded in lexicon()
