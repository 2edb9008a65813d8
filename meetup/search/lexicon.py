"""Words of the English and Spanish lexicons: a real word is never taken for a typo of an indexed one."""

from __future__ import annotations

from functools import cache

from wordfreq import top_n_list

from .analysis import fold

# wordfreq's most frequent words per language (about Zipf 2.5 and above, once in 3 million words): deep
# enough for "móviles" and "automáticos", shallow enough to leave out the typos its web sources also hold.
LEXICON_DEPTH = 60_000
LANGUAGES = ("en", "es")


@cache
def lexicon() -> frozenset[str]:
    """Return the folded words of both languages' lexicons (read once per process)."""
    return frozenset(fold(word) for language in LANGUAGES for word in top_n_list(language, LEXICON_DEPTH))


def is_real_word(folded: str) -> bool:
    """Return whether a folded word is a word of English or Spanish."""
    return bool(folded) and folded in lexicon()
