"""The vocabulary of one index generation: which indexed words share an English or Spanish stem.

Talks are indexed by their folded words only; "contenedor" finds "contenedores" because the
vocabulary lists both under the Spanish stem "contened". Looking stems up once per searched
word costs far less than indexing two stemmed copies of every word of every talk.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from meetup.search_analysis import stem_en, stem_es

VOCABULARY_FILE = "vocabulary.json"


class Vocabulary:
    """Stem -> indexed words, for English and Spanish stems."""

    def __init__(self, english: dict[str, list[str]], spanish: dict[str, list[str]]) -> None:
        self.english = english
        self.spanish = spanish

    @classmethod
    def of_words(cls, words: Iterable[str]) -> Vocabulary:
        """Group the words by their stems."""
        vocabulary = cls({}, {})
        vocabulary.add(words)
        return vocabulary

    def add(self, words: Iterable[str]) -> bool:
        """Add words (a no-op for known ones); return whether any was new."""
        added = False
        for word in words:
            forms = self.english.setdefault(stem_en(word), [])
            if word not in forms:
                forms.append(word)
                added = True
            forms = self.spanish.setdefault(stem_es(word), [])
            if word not in forms:
                forms.append(word)
                added = True
        return added

    def forms(self, word: str) -> list[str]:
        """Return the indexed words sharing word's English or Spanish stem (word itself included)."""
        found = dict.fromkeys(self.english.get(stem_en(word), ()))
        found.update(dict.fromkeys(self.spanish.get(stem_es(word), ())))
        found.setdefault(word)
        return list(found)

    @classmethod
    def read(cls, directory: Path) -> Vocabulary:
        """Read a generation's vocabulary (empty when it has none)."""
        try:
            data = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls({}, {})
        return cls(data.get("en", {}), data.get("es", {}))

    def write(self, directory: Path) -> None:
        """Replace a generation's vocabulary file atomically."""
        temporary = directory / f".{VOCABULARY_FILE}.tmp"
        temporary.write_text(json.dumps({"en": self.english, "es": self.spanish}, ensure_ascii=False,
                                        separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, directory / VOCABULARY_FILE)
