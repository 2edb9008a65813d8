"""Snippets: the window found from the matches' positions is the one a scan of every word finds."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup.search.analysis import fold, text_folded
from meetup.search.highlight import SNIPPET_WORDS, MatchRule, _best_window, matching_positions, snippet_segments
from meetup.search.query import parse_query

VOCABULARY = ["kubernetes", "kube", "contenedores", "contenedor", "containers", "container", "de", "la",
              "the", "producción", "produccion", "clúster", "cluster", "migración", "ops"]


def scanned_window(flags: list[bool]) -> int:
    """The window every word is scanned for: the earliest with the most matches, centred on them."""
    count = sum(flags[:SNIPPET_WORDS])
    best_count, best_start = count, 0
    for start in range(1, len(flags) - SNIPPET_WORDS + 1):
        count += flags[start + SNIPPET_WORDS - 1] - flags[start - 1]
        if count > best_count:
            best_count, best_start = count, start
    if best_count == 0:
        return 0
    window = flags[best_start: best_start + SNIPPET_WORDS]
    first = best_start + window.index(True)
    last = best_start + SNIPPET_WORDS - 1 - window[::-1].index(True)
    centred = first - (SNIPPET_WORDS - (last - first + 1)) // 2
    return max(0, min(centred, len(flags) - SNIPPET_WORDS))


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(VOCABULARY), max_size=120),
       query=st.lists(st.sampled_from(VOCABULARY + ["kub", "conte", "pro"]), min_size=1, max_size=3),
       forms=st.none() | st.frozensets(st.sampled_from([fold(word) for word in VOCABULARY])))
def test_the_window_from_positions_is_the_scanned_window(words, query, forms):
    text = " ".join(words)
    rule = MatchRule.for_query(parse_query(" ".join(query)), forms=forms)
    flags = [rule.matches(word) for word in text_folded(text)]
    positions = matching_positions(text, rule)
    assert positions == [number for number, flag in enumerate(flags) if flag]
    assert _best_window(positions, len(flags)) == scanned_window(flags)


@pytest.mark.parametrize("query, abstract, marked", [
    ("kube", "We run Kubernetes and kube-proxy in production.", ["Kubernetes", "kube"]),
    ("contenedor", "Los contenedores y el contenedor.", ["contenedores", "contenedor"]),
    ("produccion", "Kubernetes en producción.", ["producción"]),
    ("zzz", "Nothing here matches.", []),
])
def test_snippets_mark_words_stems_and_prefixes(query, abstract, marked):
    segments = snippet_segments(abstract, MatchRule.for_query(parse_query(query)))
    assert [text for text, matched in segments if matched] == marked
    assert "".join(text for text, _ in segments) == abstract


@pytest.mark.parametrize("matched, length, first", [
    ([], 100, 0),
    ([10], 20, 0),  # a short text shows from its start
    ([3, 80], 120, 0),  # equal windows: the earliest
    ([3, 80, 85], 120, 66),  # the densest, centred on its matches
    ([118], 120, 85),  # near the end: the last full window
    ([40, 41, 42, 90, 91], 100, 24),
])
def test_best_window(matched, length, first):
    flags = [number in matched for number in range(length)]
    assert _best_window(matched, length) == scanned_window(flags) == first
