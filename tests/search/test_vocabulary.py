"""The vocabulary's edit distance, bounded by a limit."""

from __future__ import annotations

import pytest

from meetup.search.vocabulary import edit_distance


@pytest.mark.parametrize(
    ("first", "second", "limit", "distance"),
    [
        ("kubernetes", "kubernetes", 2, 0),
        ("kubernets", "kubernetes", 2, 1),
        ("obserbability", "observability", 2, 1),
        ("cluster", "clsuter", 1, 1),  # two neighbours swapped: one edit
        ("terraform", "terrafrom", 2, 1),
        ("helm", "kafka", 2, 3),  # past the limit: limit + 1
        ("", "ab", 2, 2),
    ],
)
def test_edit_distance(first: str, second: str, limit: int, distance: int) -> None:
    assert edit_distance(first, second, limit) == distance
    assert edit_distance(second, first, limit) == distance


def test_edit_distance_agrees_with_a_plain_damerau_levenshtein() -> None:
    import random

    from whoosh.support.levenshtein import damerau_levenshtein
    rng = random.Random(3)
    for _ in range(20_000):
        first = "".join(rng.choices("abcdeñ", k=rng.randint(1, 9)))
        second = "".join(rng.choices("abcdeñ", k=rng.randint(1, 9)))
        distance = damerau_levenshtein(first, second)
        for limit in (1, 2):
            assert edit_distance(first, second, limit) == (distance if distance <= limit else limit + 1)
