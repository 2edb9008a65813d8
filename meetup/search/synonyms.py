"""Words a search also finds for one another (incidente ↔ incident, k8s ↔ kubernetes), with weights."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .analysis import STEMMERS, fold

# How much a synonym from the organisers' file counts, against 1 for the searched word itself.
GROUP_WEIGHT = 0.85


class SynonymTable:
    """Look up a folded query word's synonyms by the word itself or either of its stems."""

    def __init__(self, groups: Iterable[Iterable[str]] = (),
                 pairs: Iterable[tuple[str, str, float] | tuple[str, str, float, float]] = (),
                 abbreviations: Mapping[str, Iterable[tuple[str, ...]]] | None = None) -> None:
        self._by_key: dict[str, dict[str, float]] = {}
        # Short form -> its expansions (tuples of folded words); a one-word expansion -> its short forms.
        self._expansions: dict[str, list[tuple[str, ...]]] = {}
        for short, expansions in (abbreviations or {}).items():
            for words in expansions:
                self._expansions.setdefault(short, []).append(tuple(words))
                if len(words) == 1 and words[0] != short:
                    for key in _keys(words[0]):
                        listed = self._expansions.setdefault(key, [])
                        if (short,) not in listed:
                            listed.append((short,))
                self._by_key.setdefault(f"w:{short}", {}).setdefault(short, 1.0)
        for group in groups:
            words = {fold(word) for word in group if fold(word)}
            for word in words:
                for other in words:
                    self._link(word, other, GROUP_WEIGHT)
        # A pair's weight, or its weights when the first word is searched and when the second is.
        for first, second, weight, *backward in pairs:
            first, second = fold(first), fold(second)
            if first and second and first != second:
                self._link(first, second, weight)
                self._link(second, first, backward[0] if backward else weight)

    def _link(self, word: str, other: str, weight: float) -> None:
        """Record that a search for word also finds other at weight (the highest weight wins)."""
        for key in _keys(word):
            linked = self._by_key.setdefault(key, {})
            linked[other] = max(weight, linked.get(other, 0.0))
        # The word itself is listed, so it is never taken for a typo.
        self._by_key.setdefault(f"w:{word}", {}).setdefault(word, 1.0)

    def knows(self, word: str) -> bool:
        """Tell whether the word itself is listed (a listed word is never taken for a typo)."""
        return f"w:{word}" in self._by_key

    def _linked(self, word: str) -> dict[str, float]:
        """Return every word linked to word through the word or its stems, with the best weight."""
        found: dict[str, float] = {}
        for key in _keys(word):
            for other, weight in self._by_key.get(key, {}).items():
                found[other] = max(weight, found.get(other, 0.0))
        found.pop(word, None)
        return found

    def weighted_synonyms_of(self, word: str) -> list[tuple[str, float]]:
        """Return the word's synonyms with their weights, leaving out its own forms, in a stable order."""
        same = set(_keys(word))
        return sorted((other, weight) for other, weight in self._linked(word).items()
                      if not same & set(_keys(other)))

    def expansions_of(self, word: str) -> list[tuple[str, ...]]:
        """Return what a short form stands for, or the short forms of a one-word expansion, as word tuples."""
        found = list(self._expansions.get(word, ()))
        for key in _keys(word):
            for words in self._expansions.get(key, ()):
                if words not in found and words != (word,):
                    found.append(words)
        return found

    def stem_mates(self, word: str) -> list[str]:
        """Return the listed synonyms that a search finds as forms of word, since they share a stem."""
        same = set(_keys(word))
        return sorted(other for other in self._linked(word) if same & set(_keys(other)))


def _keys(word: str) -> tuple[str, ...]:
    return (f"w:{word}", *(f"{code}:{stem(word)}" for code, stem in STEMMERS.items()))
