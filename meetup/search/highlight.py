"""Split stored talk text into matched and unmatched segments for highlighting."""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import PREFIX_MAX, WordToken, stem_en, stem_es, text_folded, text_tokens
from .query import ParsedQuery

Segment = tuple[str, bool]

SNIPPET_WORDS = 35
ELLIPSIS: Segment = ("…", False)


@dataclass(frozen=True)
class MatchRule:
    """Decide whether a folded word of a talk matches the searched words."""

    words: frozenset[str]
    english_stems: frozenset[str]
    spanish_stems: frozenset[str]
    prefix: str | None
    # Words repeat within and across the talks of a page: decide each folded word once.
    _decided: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def for_query(cls, parsed: ParsedQuery) -> MatchRule:
        """Build the rule mirroring the terms `build_query` searches for."""
        return cls(
            words=frozenset(parsed.words),
            english_stems=frozenset(stem_en(word) for word in parsed.words),
            spanish_stems=frozenset(stem_es(word) for word in parsed.words),
            prefix=parsed.prefix[:PREFIX_MAX] if parsed.prefix else None,
        )

    def flags(self, words: tuple[str, ...]) -> list[bool]:
        """Return whether each folded word matches, deciding each distinct word once."""
        decided = self._decided
        for word in set(words).difference(decided):
            self.matches(word)
        return list(map(decided.__getitem__, words))

    def matches(self, folded: str) -> bool:
        """Return whether the folded word matches as word, stem or typed prefix."""
        decided = self._decided.get(folded)
        if decided is None:
            decided = self._decided[folded] = bool(self.words) and (
                folded in self.words
                or stem_en(folded) in self.english_stems
                or stem_es(folded) in self.spanish_stems
                or (self.prefix is not None and folded.startswith(self.prefix))
            )
        return decided


def _segments(text: str, start: int, end: int, tokens: list[WordToken], rule: MatchRule) -> list[Segment]:
    """Split text[start:end] into segments, marking the matching tokens."""
    segments: list[Segment] = []
    cursor = start
    for token in tokens:
        if token.start < start or token.end > end or not rule.matches(token.folded):
            continue
        if token.start > cursor:
            segments.append((text[cursor : token.start], False))
        segments.append((text[token.start : token.end], True))
        cursor = token.end
    if end > cursor:
        segments.append((text[cursor:end], False))
    return segments


def title_segments(title: str, rule: MatchRule) -> list[Segment]:
    """Segment the whole title."""
    return _segments(title, 0, len(title), text_tokens(title), rule)


def _best_window(flags: list[bool]) -> int:
    """Return the first token of the SNIPPET_WORDS window centred on the densest matches."""
    count = sum(flags[:SNIPPET_WORDS])
    best_count, best_start = count, 0
    for start in range(1, len(flags) - SNIPPET_WORDS + 1):
        count += flags[start + SNIPPET_WORDS - 1] - flags[start - 1]
        if count > best_count:
            best_count, best_start = count, start
    if best_count == 0:
        return 0
    window = flags[best_start : best_start + SNIPPET_WORDS]
    first = best_start + window.index(True)
    last = best_start + SNIPPET_WORDS - 1 - window[::-1].index(True)
    # Centre the cluster so the reader sees context on both sides of it.
    centred = first - (SNIPPET_WORDS - (last - first + 1)) // 2
    return max(0, min(centred, len(flags) - SNIPPET_WORDS))


def snippet_segments(abstract: str, rule: MatchRule) -> list[Segment]:
    """Segment the ~SNIPPET_WORDS-word passage of the abstract around the best matches."""
    tokens = text_tokens(abstract)
    if not tokens:
        stripped = abstract.strip()
        return [(stripped, False)] if stripped else []
    first = _best_window(rule.flags(text_folded(abstract)))
    last = min(first + SNIPPET_WORDS, len(tokens)) - 1
    # Widen to whitespace so punctuation glued to the edge words ("¿Qué", "fin.") stays.
    lower_bound = tokens[first - 1].end if first > 0 else 0
    start = tokens[first].start
    while start > lower_bound and not abstract[start - 1].isspace():
        start -= 1
    upper_bound = tokens[last + 1].start if last + 1 < len(tokens) else len(abstract)
    end = tokens[last].end
    while end < upper_bound and not abstract[end].isspace():
        end += 1
    segments = _segments(abstract, start, end, tokens[first : last + 1], rule)
    if abstract[:start].strip():
        segments.insert(0, ELLIPSIS)
    if abstract[end:].strip():
        segments.append(ELLIPSIS)
    return segments
