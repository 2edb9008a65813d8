"""Visitors who type: realistic keystroke sequences over an archive's own words, no two visitors alike.

Each visitor makes one to three searches of one to three words, drawn by how often the archive
uses them (titles count more than abstracts), in the language of a talk picked at random, or a
speaker's name. Words are typed one character at a time (each prefix is a request, as htmx sends
them); Spanish words often lose their accents; some words get a typo (a dropped, doubled, swapped
or wrong letter), sometimes noticed and erased back to where it began; some searches carry a
language filter, a few a year.
"""
from __future__ import annotations

import itertools
import random
import re
import unicodedata
from bisect import bisect
from collections import Counter
from itertools import accumulate
from typing import Iterable, Iterator
from urllib.parse import urlencode

from meetup.search import IndexedTalk

WORD = re.compile(r"[^\W\d_]{3,}")
NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"
# Words every language uses that nobody searches for alone (at most a tenth of a small vocabulary).
TOO_COMMON = 60
LANG_FILTER_SHARE = 0.25
YEAR_FILTER_SHARE = 0.08
TYPO_SHARE = 0.12
NOTICED_TYPO_SHARE = 0.5
SPEAKER_SHARE = 0.1
UNACCENTED_SHARE = 0.5


class WeightedWords:
    """Words drawn in proportion to their counts."""

    def __init__(self, counts: Counter) -> None:
        self.words = list(counts)
        self.bounds = list(accumulate(counts[word] for word in self.words))

    def draw(self, rng: random.Random) -> str:
        return self.words[bisect(self.bounds, rng.random() * self.bounds[-1])]


class VisitorSource:
    """The words of an archive, per language, and the visitors who search it."""

    def __init__(self, talks: Iterable[IndexedTalk], seed: int = 0) -> None:
        counts = {"en": Counter(), "es": Counter()}
        surnames: Counter = Counter()
        years: set[int] = set()
        for talk in talks:
            language = counts.get(talk.lang)
            if language is not None:
                for word in WORD.findall(talk.title.lower()):
                    language[word] += 3
                for word in WORD.findall(talk.abstract.lower()):
                    language[word] += 1
            for name in talk.speakers:
                surnames.update(WORD.findall(name.lower())[-1:])
            if talk.date_key:
                years.add(talk.date_key // 10000)
        self.words = {}
        for lang, found in counts.items():
            common = {word for word, _ in found.most_common(min(TOO_COMMON, len(found) // 10))}
            self.words[lang] = WeightedWords(Counter({word: n for word, n in found.items() if word not in common}))
        self.surnames = WeightedWords(surnames) if surnames else None
        self.years = sorted(years)
        self.seed = seed

    def visitor(self, number: int) -> list[str]:
        """Return the site paths one visitor requests, keystroke by keystroke, in order."""
        rng = random.Random(f"{self.seed}/{number}")
        paths = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            lang = rng.choice(("en", "es"))
            words = [self._word(rng, lang) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
            filters = {}
            if rng.random() < LANG_FILTER_SHARE:
                filters["lang"] = lang
            if self.years and rng.random() < YEAR_FILTER_SHARE:
                filters["year"] = rng.choice(self.years)
            paths += ["/?" + urlencode({"q": text, **filters}) for text in typed(" ".join(words), rng)]
        return paths

    def visitors(self) -> Iterator[list[str]]:
        """Yield visitors endlessly, leaving out any who would type exactly what an earlier one typed."""
        seen: set[tuple[str, ...]] = set()
        for number in itertools.count():
            paths = self.visitor(number)
            if tuple(paths) not in seen:
                seen.add(tuple(paths))
                yield paths

    def _word(self, rng: random.Random, lang: str) -> str:
        if self.surnames is not None and rng.random() < SPEAKER_SHARE:
            return self.surnames.draw(rng)
        word = self.words[lang].draw(rng)
        if rng.random() < UNACCENTED_SHARE:
            word = without_accents(word)
        return word


def typed(text: str, rng: random.Random) -> list[str]:
    """Return what the search box holds after each keystroke while text is typed, typos and erasing included."""
    held, boxes = "", []
    for position, character in enumerate(text):
        if character != " " and rng.random() < TYPO_SHARE / 6:
            mistake = typo(text[position:position + 2], rng)
            wrong = held + mistake
            for length in range(len(held) + 1, len(wrong) + 1):
                boxes.append(wrong[:length])
            if rng.random() >= NOTICED_TYPO_SHARE:
                return boxes  # a visitor who never noticed keeps reading what the typo found
            # Erased back to before the mistake, one backspace a request.
            boxes += [wrong[:length] for length in range(len(wrong) - 1, len(held) - 1, -1)]
        held += character
        boxes.append(held)
    return [box for box in boxes if box.strip()]


def typo(text: str, rng: random.Random) -> str:
    """Return text (one or two characters) typed wrong: a letter dropped, doubled, swapped or replaced."""
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return text[1:] or text
    if kind == "double":
        return text[0] + text
    if kind == "swap" and len(text) == 2 and text[1] != " ":
        return text[1] + text[0]
    return rng.choice(NEIGHBOURS) + text[1:]


def without_accents(word: str) -> str:
    """Return word without its accents, as many visitors type Spanish."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
