"""Words a search also finds for one another (incidente ↔ incident, k8s ↔ kubernetes)."""

from __future__ import annotations

from collections.abc import Iterable

from .analysis import fold, stem_en, stem_es


class SynonymTable:
    """Look up a folded query word's synonyms by the word itself or either of its stems."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._by_key: dict[str, set[str]] = {}
        for group in groups:
            words = {fold(word) for word in group if fold(word)}
            for word in words:
                for key in _keys(word):
                    self._by_key.setdefault(key, set()).update(words)

    def knows(self, word: str) -> bool:
        """Tell whether the word itself is listed (a listed word is never taken for a typo)."""
        return f"w:{word}" in self._by_key

    def synonyms_of(self, word: str) -> list[str]:
        """Return the other words of every group the word belongs to, in a stable order."""
        found: set[str] = set()
        for key in _keys(word):
            found |= self._by_key.get(key, set())
        same = set(_keys(word))
        return sorted(other for other in found if other != word and not same & set(_keys(other)))


def _keys(word: str) -> tuple[str, ...]:
    return (f"w:{word}", f"en:{stem_en(word)}", f"es:{stem_es(word)}")
