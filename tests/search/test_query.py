"""Visitor text to query words and phrases, within bounds."""

from __future__ import annotations

import pytest

from meetup.search import query_words


@pytest.mark.parametrize(
    ("text", "words", "phrases"),
    [
        ("Kubernetes  Graphql", ["kubernetes", "graphql"], []),
        ('"service mesh" istio', ["service", "mesh", "istio"], ["service mesh"]),
        ('"service mesh', ["service", "mesh"], []),
        ("kubernetes AND NOT title:graphql*", ["kubernetes", "and", "not", "title", "graphql"], []),
        ("(a OR b)~2 ?x [c TO d] {e}", ["a", "or", "b", "2", "x", "c", "to", "d"], []),
        ("\\foo %bar", ["foo", "bar"], []),
        ("\\f %g", ["f"], []),
        ("kube\x00rnetes", ["kube", "rnetes"], []),
        ("\ud800kube\udfff", ["kube"], []),
        ("🚀 kubernetes 🎉", ["kubernetes"], []),
        ("Tamaño ÑANDÚ", ["tamano", "nandu"], []),
        ("kube kube KUBE", ["kube"], []),
        ("kubernetes k", ["kubernetes"], []),
        ("kubernetes k ", ["kubernetes", "k"], []),
        ("k", [], []),
        ("!!! ??? ***", [], []),
        ("que por the", ["que", "por", "the"], []),
        ("don't auto-scale", ["don", "t", "auto", "scale"], []),
    ],
)
def test_query_words(text: str, words: list[str], phrases: list[str]) -> None:
    assert query_words(text) == (words, phrases)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 5000,
        " ".join(f"word{n}" for n in range(2000)),
        "x " * 2500,
        "\x00" * 5000,
        "\ud800" * 5000,
        "🚀" * 5000,
        '"' * 5000,
    ],
)
def test_query_words_are_bounded(text: str) -> None:
    words, phrases = query_words(text)
    assert len(words) <= 8
    assert sum(len(word) for word in words) <= 100
    assert all(len(phrase) <= 100 for phrase in phrases)
