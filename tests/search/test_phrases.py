"""Quoted phrases: at most MAX_PHRASES per query, checked on a bounded number of talks."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetup.search import TalkIndex, query_words
from meetup.search.find import PHRASE_DEPTH
from meetup.search.reader import OpenGeneration
from tests.search.corpus import talk


@pytest.mark.parametrize(("text", "phrases"), [
    ('"service mesh"', ["service mesh"]),
    ('"service mesh" "data team"', ["service mesh", "data team"]),
    # Further quotes are searched as plain words.
    ('"service mesh" "data team" "of the" "in the"', ["service mesh", "data team"]),
    ('"a b" "c d" "e f"', ["a b", "c d"]),
])
def test_at_most_two_phrases_per_query(text: str, phrases: list[str]) -> None:
    assert query_words(text)[1] == phrases


def test_phrase_work_is_bounded_by_the_talks_it_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every talk holds the words; only the oldest holds them as the phrase, deep in a long abstract.
    talks = [talk(f"t{number:03d}", f"Mesh and service {number}", "service notes, then mesh. " * 5,
                  date_key=20200101 + number) for number in range(PHRASE_DEPTH * 3)]
    talks[0] = talk("phrase", "Notes", "filler words " * 40 + "our service mesh", date_key=20000101)
    index = TalkIndex(tmp_path)
    read: list[int] = []
    original = OpenGeneration.stored_rows

    def counted(self: OpenGeneration, docnums):
        docnums = list(docnums)
        read.append(len(docnums))
        return original(self, docnums)

    monkeypatch.setattr(OpenGeneration, "stored_rows", counted)
    try:
        index.rebuild(talks)
        page = index.search('"service mesh" "of the" "in the" "to the"')
    finally:
        index.close()
    assert page.total == len(talks)
    assert sum(read) <= PHRASE_DEPTH + 20
    # The phrase talk is not among the best by words, so it is not lifted: the bound is real.
    assert "phrase" not in [hit.slug for hit in page.hits]


def test_a_phrase_among_the_best_talks_comes_first(tmp_path: Path) -> None:
    talks = [talk(f"t{number:02d}", f"Mesh and service {number}", "Service first, mesh later.",
                  date_key=20200101 + number) for number in range(30)]
    talks.append(talk("phrase", "Service mesh", "A service mesh.", date_key=20000101))
    index = TalkIndex(tmp_path)
    try:
        index.rebuild(talks)
        assert index.search('"service mesh"').hits[0].slug == "phrase"
    finally:
        index.close()
