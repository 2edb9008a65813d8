"""The tuned tantivy baseline: AUTO fuzziness, function words, prefixes and filled pages, on a tiny corpus."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.relevance.tantivy_tuned import TunedTantivy, auto_fuzziness

TALKS = [
    SimpleNamespace(slug="k8s", title="Kubernetes in production", speakers=["Ana Pérez"],
                    abstract="Running clusters of containers."),
    SimpleNamespace(slug="despliegues", title="Despliegues automáticos", speakers=["Luis Chao"],
                    abstract="Desplegamos contenedores con GitOps."),
    SimpleNamespace(slug="security", title="Container security", speakers=["Bo Li"],
                    abstract="Scanning images before they reach production."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tuned = TunedTantivy(tmp_path_factory.mktemp("tantivy"))
    tuned.build(TALKS)
    return tuned


@pytest.mark.parametrize("word, edits", [("ab", 0), ("abc", 1), ("abcde", 1), ("abcdef", 2), ("kubernetes", 2)])
def test_auto_fuzziness_follows_elasticsearch(word, edits):
    assert auto_fuzziness(word) == edits


@pytest.mark.parametrize("text, expected", [
    ("kubernetes", ["k8s"]),
    ("kuberentes", ["k8s"]),            # a transposition is one edit
    ("kuber", ["k8s"]),                 # the word being typed is a prefix
    ("despliegue", ["despliegues"]),    # Spanish stem
    ("contenedor", ["despliegues"]),    # Spanish stem in the abstract
    ("the kubernetes", ["k8s"]),        # a function word is not required
    ("chao", ["despliegues"]),          # a speaker's name, folded only
    ("containers scanning", ["security", "k8s"]),   # every word first, then the partial match
    ("", []),
])
def test_search(engine, text, expected):
    assert engine.search(text) == expected
