"""The vocabulary's edit distance, bounded by a limit."""

from __future__ import annotations

import pytest

from meetup.search.vocabulary import Vocabulary, edit_distance


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


@pytest.mark.parametrize("written, same", [
    (["kubernetes", "contenedores"], True),  # a reindex that added no word writes the same file
    (["kubernetes", "contenedores", "cluster"], False),
    (["contenedores"], False),
])
def test_the_next_generation_keeps_the_vocabulary_read_when_its_file_is_the_same(tmp_path, written, same) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    Vocabulary.of_words(["kubernetes", "contenedores"]).write(old)
    Vocabulary.of_words(written).write(new)
    previous = Vocabulary.read(old)
    previous.starting_with("k")  # its lookup tables built
    found = Vocabulary.read(new, previous)
    assert (found is previous) is same
    assert sorted(found.starting_with("")) == sorted(written)


def test_a_vocabulary_changed_in_memory_is_never_taken_for_its_file(tmp_path) -> None:
    Vocabulary.of_words(["kubernetes"]).write(tmp_path)
    previous = Vocabulary.read(tmp_path)
    previous.add(["helm"])
    assert Vocabulary.read(tmp_path, previous) is not previous
    assert Vocabulary.read(tmp_path, previous).starting_with("") == ["kubernetes"]


def test_an_unreadable_vocabulary_reads_as_empty_whatever_came_before(tmp_path) -> None:
    Vocabulary.of_words(["kubernetes"]).write(tmp_path)
    previous = Vocabulary.read(tmp_path)
    (tmp_path / "vocabulary.json").write_text("{not json", encoding="utf-8")
    assert Vocabulary.read(tmp_path, previous).is_empty()
