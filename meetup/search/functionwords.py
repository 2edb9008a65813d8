"""Words that say nothing of a topic: a talk need not contain them to have all the searched words, nor do they make talks alike."""

from __future__ import annotations

from whoosh.lang import stopwords_for_language

from .analysis import LANGS, fold

# Articles, prepositions, conjunctions, pronouns, question words and auxiliaries (a question typed as
# one: "how do I ...", "¿cuándo ...?") that carry no topic. Kept short on purpose: a word here still
# counts for phrases, and for ranking at a fifth of its weight beside other words (rank.FUNCTION_WORD_WEIGHT);
# it is not required.
FUNCTION_WORDS = frozenset(fold(word) for word in """
    a an the and or nor but of in on at to for from with by as into onto about over under
    is are was were be been it its this that these those our your their my we you they i
    y e o u ni pero de del la el lo los las al en con sin para por un una unos unas que
    se su sus mi tu como es son sobre entre hacia desde hasta ante tras
    how what why when where who which whom whose do does did can could should would will shall
    me us him her them
    cual cuales cuando donde quien quienes cuanto cuanta cuantos cuantas
""".split())


# Left out of the key words that make talks related: the function words and the talk languages' stop
# words as Whoosh lists them (longer: "also", "very", "muy", "está").
STOP_WORDS = FUNCTION_WORDS | frozenset(fold(word) for code in LANGS for word in stopwords_for_language(code))


def is_function_word(folded: str) -> bool:
    """Return whether a folded word is a function word of any talk language."""
    return folded in FUNCTION_WORDS
