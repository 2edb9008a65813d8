"""Split stored talk text into matched and unmatched segments for highlighting."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .analysis import (
    PREFIX_MAX,
    STEMMERS,
    TOKEN_CACHE_SIZE,
    text_folded,
    text_words,
)
from .query import ParsedQuery

Segment = tuple[str, bool]

SNIPPET_WORDS = 35
ELLIPSIS: Segment = ("…", False)


@dataclass(frozen=True)
class MatchRule:
    """Decide whether a folded word of a talk matches the searched words."""

    words: frozenset[str]
    # The searched words' stems in each language, in LANGS order.
    stems: tuple[frozenset[str], ...]
    prefix: str | None
    # The indexed words sharing a stem with a searched word, when the index listed them: then
    # membership decides without stemming (every word of a stored text is indexed).
    forms: frozenset[str] | None = None
    # Words repeat within and across the talks of a page: decide each folded word once.
    _decided: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def for_query(cls, parsed: ParsedQuery, forms: frozenset[str] | None = None) -> MatchRule:
        """Build the rule mirroring the words, forms and prefix a search looks for."""
        return cls(
            words=frozenset(parsed.words),
            stems=tuple(frozenset(stem(word) for word in parsed.words) for stem in STEMMERS.values()),
            prefix=parsed.prefix[:PREFIX_MAX] if parsed.prefix else None,
            forms=forms,
        )

    def matches(self, folded: str) -> bool:
        """Return whether the folded word matches as word, stem or typed prefix."""
        decided = self._decided.get(folded)
        if decided is None:
            if self.forms is not None:
                found = folded in self.forms
            else:
                found = folded in self.words or any(
                    stem(folded) in searched for stem, searched in zip(STEMMERS.values(), self.stems))
            prefixed = self.prefix is not None and folded.startswith(self.prefix)
            decided = self._decided[folded] = bool(self.words) and (found or prefixed)
        return decided


def _marked(text: str, start: int, end: int, spans: Iterable[tuple[int, int]]) -> list[Segment]:
    """Split text[start:end] into segments, marking the given (start, end) spans of matching words, in order."""
    segments: list[Segment] = []
    cursor = start
    for word_start, word_end in spans:
        if word_start > cursor:
            segments.append((text[cursor:word_start], False))
        segments.append((text[word_start:word_end], True))
        cursor = word_end
    if end > cursor:
        segments.append((text[cursor:end], False))
    return segments


def title_segments(title: str, rule: MatchRule) -> list[Segment]:
    """Segment the whole title."""
    folded, starts, ends = text_words(title)
    return _marked(title, 0, len(title), [(start, end) for word, start, end in zip(folded, starts, ends)
                                          if rule.matches(word)])


@dataclass(frozen=True)
class _Words:
    """Where each distinct word of a text is, found by word and by prefix."""

    positions: dict[str, tuple[int, ...]]  # folded word -> its token numbers
    ordered: tuple[str, ...]  # the distinct words, sorted, for prefixes


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _words(text: str) -> _Words:
    """Return the word positions of a stored text, cached like its tokens."""
    positions: dict[str, list[int]] = {}
    for number, word in enumerate(text_folded(text)):
        positions.setdefault(word, []).append(number)
    return _Words({word: tuple(found) for word, found in positions.items()}, tuple(sorted(positions)))


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _stems(text: str) -> tuple[dict[str, tuple[str, ...]], ...]:
    """Return each language's stems of a stored text's distinct words (LANGS order), each with the words having it.

    Only a rule without the index's list of forms needs them: stemming every distinct word of an
    abstract costs about 70 µs, nearly as much as splitting it.
    """
    words = _words(text).positions
    by_language = []
    for stem in STEMMERS.values():
        having: dict[str, list[str]] = {}
        for word in words:
            having.setdefault(stem(word), []).append(word)
        by_language.append({stemmed: tuple(found) for stemmed, found in having.items()})
    return tuple(by_language)


def matching_positions(text: str, rule: MatchRule) -> list[int]:
    """Return the token numbers of text's words that match, in order, looking up only the searched words."""
    if not rule.words:
        return []
    words = _words(text)
    if rule.forms is not None:
        # The index listed the searched words' forms: membership decides, as in MatchRule.matches.
        smaller, larger = sorted((rule.forms, words.positions), key=len)
        found = {word for word in smaller if word in larger}
    else:
        found = {word for word in rule.words if word in words.positions}
        for having, searched in zip(_stems(text), rule.stems):
            for stem in searched:
                found.update(having.get(stem, ()))
    if rule.prefix:
        at = bisect_left(words.ordered, rule.prefix)
        while at < len(words.ordered) and words.ordered[at].startswith(rule.prefix):
            found.add(words.ordered[at])
            at += 1
    return sorted(number for word in found for number in words.positions[word])


def _best_window(matched: list[int], length: int) -> int:
    """Return the first token of the SNIPPET_WORDS window centred on the densest matches.

    matched holds the matching token numbers in order, so the time follows the matches, not the text:
    the first window (of those that fit in the text) holding the most matches is found among those
    starting at a match, and then centred on the matches it holds.
    """
    if not matched:
        return 0
    latest = max(0, length - SNIPPET_WORDS)
    best_count, best_start = 0, 0
    for at in range(len(matched)):
        start = min(matched[at], latest)
        # The matches in [start, start + SNIPPET_WORDS): none before `at` unless the window was pulled back.
        count = bisect_left(matched, start + SNIPPET_WORDS) - bisect_left(matched, start)
        if count > best_count:
            best_count, best_start = count, start
    inside = matched[bisect_left(matched, best_start): bisect_left(matched, best_start + SNIPPET_WORDS)]
    first, last = inside[0], inside[-1]
    # Centre the cluster so the reader sees context on both sides of it.
    centred = first - (SNIPPET_WORDS - (last - first + 1)) // 2
    return max(0, min(centred, length - SNIPPET_WORDS))


def snippet_segments(abstract: str, rule: MatchRule) -> list[Segment]:
    """Segment the ~SNIPPET_WORDS-word passage of the abstract around the best matches."""
    folded, starts, ends = text_words(abstract)
    length = len(folded)
    if not length:
        stripped = abstract.strip()
        return [(stripped, False)] if stripped else []
    matched = matching_positions(abstract, rule)
    first = _best_window(matched, length)
    last = min(first + SNIPPET_WORDS, length) - 1
    # Widen to whitespace so punctuation glued to the edge words ("¿Qué", "fin.") stays.
    lower_bound = ends[first - 1] if first > 0 else 0
    start = starts[first]
    while start > lower_bound and not abstract[start - 1].isspace():
        start -= 1
    upper_bound = starts[last + 1] if last + 1 < length else len(abstract)
    end = ends[last]
    while end < upper_bound and not abstract[end].isspace():
        end += 1
    # The matches were found already: only those inside the passage are marked.
    inside = matched[bisect_left(matched, first): bisect_right(matched, last)]
    segments = _marked(abstract, start, end, [(starts[number], ends[number]) for number in inside])
    if abstract[:start].strip():
        segments.insert(0, ELLIPSIS)
    if abstract[end:].strip():
        segments.append(ELLIPSIS)
    return segments
