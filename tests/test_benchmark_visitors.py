"""The load test's visitors type the archive's own words, each differently; its run serves them all while an import lands."""
from __future__ import annotations

import random
from urllib.parse import parse_qs, urlsplit

import pytest

from meetup.search import IndexedTalk
from tests.benchmarks import visitors as visitors_module
from tests.benchmarks.visitor_load import run
from tests.benchmarks.visitors import VisitorSource, typed, without_accents

TALKS = [
    IndexedTalk(f"t{number}", title, abstract, speakers, lang, date_key)
    for number, (title, abstract, speakers, lang, date_key) in enumerate([
        ("Kubernetes en producción", "Contenedores, clústeres y despliegues sin miedo.", ("Ana López",), "es", 20190301),
        ("Chaos engineering at scale", "Breaking production on purpose, safely.", ("Bob Smith",), "en", 20200101),
        ("Observabilidad de sistemas", "Métricas, trazas y registros para entender fallos.", ("Eva Núñez",), "es", 0),
        ("Terraform cloud costs", "Cutting the bill of infrastructure as code.", ("Li Wei",), "en", 20230615),
    ] * 5)
]


@pytest.mark.parametrize("text, expected", [
    ("kube", ["k", "ku", "kub", "kube"]),
    ("k8s en", ["k", "k8", "k8s", "k8s ", "k8s e", "k8s en"]),
])
def test_without_typos_each_keystroke_sends_what_the_box_holds(monkeypatch, text, expected):
    monkeypatch.setattr(visitors_module, "TYPO_SHARE", 0.0)
    assert typed(text, random.Random(0)) == expected


def one_keystroke_apart(before: str, after: str) -> bool:
    # An emptied box sends nothing: a first letter typed wrong is followed by the right one.
    return after[:-1] == before or before[:-1] == after or len(before) == len(after) == 1


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("noticed, ends_right", [(1.0, True), (0.0, False)])
def test_a_typo_is_typed_then_erased_or_kept(monkeypatch, seed, noticed, ends_right):
    monkeypatch.setattr(visitors_module, "TYPO_SHARE", 3.0)  # one letter in two goes wrong
    monkeypatch.setattr(visitors_module, "NOTICED_TYPO_SHARE", noticed)
    boxes = typed("kafka streams", random.Random(seed))
    assert all(one_keystroke_apart(before, after) for before, after in zip(boxes, boxes[1:]))
    assert any(not "kafka streams".startswith(box) for box in boxes)
    assert (boxes[-1] == "kafka streams") is ends_right


def test_no_two_visitors_alike():
    played = VisitorSource(TALKS).visitors()
    sequences = [tuple(next(played)) for _ in range(300)]
    assert len(set(sequences)) == len(sequences)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_visitors_search_the_archive_words_with_its_filters(monkeypatch, seed):
    monkeypatch.setattr(visitors_module, "TYPO_SHARE", 0.0)
    source = VisitorSource(TALKS, seed=seed)
    words = {word for lang in ("en", "es") for word in source.words[lang].words} | set(source.surnames.words)
    words |= {without_accents(word) for word in words}
    for number in range(100):
        for path in source.visitor(number):
            query = parse_qs(urlsplit(path).query)
            assert query["lang"][0] in ("en", "es") if "lang" in query else True
            assert int(query["year"][0]) in (2019, 2020, 2023) if "year" in query else True
            *settled, _typing = query["q"][0].split(" ")
            assert set(settled) <= words


@pytest.mark.slow
def test_the_load_run_serves_every_visitor_while_an_organiser_imports(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("WEB_WORKERS", "2")
    figures = run(database_url, tmp_path, talks=200, clients=[2], seconds=2, import_talks=20, log=lambda _: None)
    assert [name for name in figures["runs"]] == ["2", "2 while importing 20"]
    assert all(found["failures"] == 0 and found["requests"] > 0 for found in figures["runs"].values())
    assert figures["runs"]["2 while importing 20"]["import"]["status"] == 0
    assert figures["worker_deaths"] == []
    assert figures["visitors"] > 1
