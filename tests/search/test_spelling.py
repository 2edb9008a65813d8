"""Spelling: popular-mode corrections, never of a common word, and suggestions that make sense."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetup.search import Search, TalkIndex
from meetup.search.spelling import is_inflection
from tests.search.corpus import slugs, talk


# "kubernetes" in twelve talks, one abstract with its own typo "kubrenetes"; "python" in six
# talks, "flash" in one that never mentions python; a speaker "José Peña"; "pero" in Spanish abstracts.
TALKS = (
    [talk(f"k8s-{number}", f"Kubernetes story {number}", "Clusters and kubernetes operators.")
     for number in range(12)]
    + [talk("typo", "Cluster notes", "We moved to kubrenetes last year.")]
    + [talk(f"py-{number}", f"Python tips {number}", "Typing and packaging.") for number in range(6)]
    + [talk("flash", "Flash storage", "Disks that are fast.")]
    + [talk("pena", "Equipos", "Cómo trabajamos, pero sin prisa.", speakers=("José Peña",), lang="es")]
    + [talk(f"es-{number}", f"Charla {number}", "Es difícil, pero posible.", lang="es") for number in range(6)]
    + [talk(f"tf-{number}", f"Terraform modules {number}", "Infrastructure as code.") for number in range(6)]
    # "trace" is common (six talks) though one edit from "track", found in forty.
    + [talk(f"trace-{number}", f"Trace {number}", "Spans.") for number in range(6)]
    + [talk(f"track-{number}", f"Track {number}", "Sessions.") for number in range(40)]
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    built = TalkIndex(tmp_path_factory.mktemp("spelling"))
    built.rebuild(TALKS)
    yield built
    built.close()


@pytest.mark.parametrize(("query", "suggestion", "corrects"), [
    # A word found once, next to one found in twelve talks: corrected although it exists.
    ("kubrenetes ", "kubernetes", True),
    ("kubrenetes operators ", "kubernetes operators", True),
    # A common word is never corrected.
    ("kubernetes ", None, False),
    ("terraform ", None, False),
    ("trace ", None, False),
    ("python ", None, False),
    # Unrelated index words are never assembled into a suggestion.
    ("python flask ", None, False),
    ("jose perez ", None, False),
    # A sure typo of an absent word is still suggested.
    ("kuberntes ", "kubernetes", False),
])
def test_suggestions(index: TalkIndex, query: str, suggestion: str | None, corrects: bool) -> None:
    page = index.search(query)
    assert page.suggestion == suggestion
    assert page.corrects is corrects


def test_the_rare_word_is_still_searched_as_typed(index: TalkIndex) -> None:
    # "search instead for kubrenetes" must find the abstract with its own typo.
    assert [hit.slug for hit in index.search("kubrenetes ").hits] == ["typo"]


@pytest.mark.parametrize(("query", "exact", "shown", "corrected_to"), [
    ("kubrenetes", False, 12, "kubernetes"),  # a rare word beside a far more popular one: its results instead
    ("kubrenetes", True, 1, None),  # asked for exactly: the rare word's own talk
    ("kubernetes", False, 12, None),
    ("kubernetes", True, 12, None),
    ("trace", False, 6, None),
    ("python flask", False, 6, None),
])
def test_results_search_the_popular_correction_unless_asked_exactly(index: TalkIndex, query: str, exact: bool,
                                                                     shown: int, corrected_to: str | None) -> None:
    results = index.results(Search(query, per_page=20, exact=exact))
    assert results.corrected_to == corrected_to
    assert results.total == shown and results.searched
    assert results.slugs == list(results.hits)[:20]


@pytest.mark.parametrize(
    ("query", "suggestion", "expected"),
    [
        ("kuberntes", "kubernetes", []),
        # Shares the stem "kubernet" with "kubernetes", yet is a typo, not an inflection.
        ("kubernets", "kubernetes", []),
        ("kubernets terraform", "kubernetes terraform", ["terraform"]),
        ("terraform kuberntes", "terraform kubernetes", ["terraform"]),
        ("terraform modules", None, ["terraform"]),
        ("zzzzqqq", None, []),
    ],
)
def test_did_you_mean(corpus_index: TalkIndex, query: str, suggestion: str | None, expected: list[str]) -> None:
    page = corpus_index.search(query)
    assert page.suggestion == suggestion
    assert slugs(page) == expected and page.total == len(expected)
    assert page.matched_all is (suggestion is None and bool(expected))


@pytest.mark.parametrize(
    ("word", "other", "inflection"),
    [
        ("containers", "container", True),
        ("kubernete", "kubernetes", True),
        ("contenedor", "contenedora", True),
        ("escalado", "escalada", True),
        ("escalados", "escaladas", True),
        ("kubernets", "kubernetes", False),
        ("servics", "services", False),
        ("tests", "texts", False),
    ],
)
def test_inflections_are_not_typos(word: str, other: str, inflection: bool) -> None:
    assert is_inflection(word, other) is inflection
    assert is_inflection(other, word) is inflection


@pytest.mark.parametrize(("query", "suggestion"), [
    # "kubernets" shares the stem "kubernet" with kubernetes, and so reaches its synonym k8s: still a typo.
    ("kubernets", "kubernetes"),
    ("kubernets operators", "kubernetes operators"),
    ("k8s", None),
])
def test_a_typo_is_not_hidden_by_a_synonym_its_stem_reaches(tmp_path: Path, query: str, suggestion: str | None) -> None:
    built = TalkIndex(tmp_path / "index", synonyms=[["k8s", "kubernetes"]])
    built.rebuild(TALKS + [talk("k8s-short", "K8s on a budget", "Small clusters.")])
    try:
        assert built.search(query).suggestion == suggestion
    finally:
        built.close()
