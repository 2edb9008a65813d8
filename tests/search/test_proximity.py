"""Which searched words stand close together in a stream of talk words."""

from __future__ import annotations

import numpy as np
import pytest

from meetup.search.analysis import text_word_numbers
from meetup.search.proximity import WINDOW, WordSets, close_pairs


def mask(text: str) -> np.ndarray:
    """Return a boolean stream from 'x' (a match) and '.' (no match), followed by the closing gap."""
    return np.array([char == "x" for char in text] + [False] * WINDOW)


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("x.x..", ".x...", [(0, 1), (1, 1)]),
    # A word further than WINDOW words away is not close.
    ("x......", "......x", []),
    ("x.....", ".....x", [(0, 5)]),
    # Either word may come first; one (position, distance) counts once.
    ("..x", "x..", [(0, 2)]),
    ("xx", "xx", [(0, 1)]),
    ("", "", []),
])
def test_close_pairs_are_found_whichever_word_comes_first(first: str, second: str, expected) -> None:
    at, distance = close_pairs(mask(first), mask(second))
    assert list(zip(at.tolist(), distance.astype(int).tolist())) == expected


@pytest.mark.parametrize(("forms", "prefixes", "text", "expected"), [
    ([frozenset({"cloud"}), frozenset({"costs", "cost"})], [None, None], "cloud costs and cost",
     [[1, 0, 0, 0], [0, 1, 0, 1]]),
    # The word being typed stands for every word starting with it.
    ([frozenset({"cloud"}), frozenset({"co"})], [None, "co"], "cloud costs and cost",
     [[1, 0, 0, 0], [0, 1, 0, 1]]),
    ([frozenset({"nowhere"})], [None], "cloud costs", [[0, 0]]),
])
def test_members_mark_each_searched_words_forms(forms, prefixes, text: str, expected) -> None:
    stream = np.concatenate([text_word_numbers(text), np.full(WINDOW, -1)])
    found = WordSets(forms, prefixes).members(stream)
    assert found[:, :len(expected[0])].astype(int).tolist() == expected
    assert not found[:, len(expected[0]):].any()
