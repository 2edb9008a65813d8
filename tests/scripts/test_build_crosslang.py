"""The builder of the cross-language vocabulary scores, filters and learns pairs as its header says."""
import gzip
import importlib.util
import shutil
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_crosslang.py"
spec = importlib.util.spec_from_file_location("build_crosslang", SCRIPT)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)
APERTIUM = Path("/usr/share/apertium/apertium-eng-spa")


@pytest.mark.parametrize("forward, backward, expected", [
    (["contenedor"], ["container"], 1.0),  # both ways, first both ways
    (["envase", "contenedor"], ["container"], 0.85),  # both ways, first one way
    (["envase", "contenedor"], ["box", "container"], 0.7),  # both ways, first neither way
    (["contenedor"], None, 0.55),  # one way, first
    (["envase", "contenedor"], None, 0.4),  # one way, not first
    ([], ["container"], 0.55),  # the other way only
    (["envase"], ["box"], None),  # not paired at all
])
def test_dictionary_score(forward, backward, expected):
    assert build.dictionary_score(forward, backward, "container", "contenedor") == expected


@pytest.mark.parametrize("score, freedict, ambiguous, expected", [
    (1.0, True, False, 1.0),
    (0.85, True, False, 0.95),
    (0.55, False, False, 0.55),
    (1.0, False, True, 0.6),
    (0.4, True, True, 0.3),
])
def test_pair_weight(score, freedict, ambiguous, expected):
    assert build.pair_weight(score, freedict, ambiguous) == pytest.approx(expected)


@pytest.mark.parametrize("word, counterpart, others, translations, expected", [
    ("found", "fundar", {"found": {("find", "vblex")}}, {("find", "vblex"): ["encontrar"]}, True),
    ("despliegue", "deployment", {"despliegue": {("desplegar", "vblex")}}, {}, False),  # same family
    ("prueba", "test", {"prueba": {("probar", "vblex")}}, {("probar", "vblex"): ["test", "try"]}, False),
    ("security", "seguridad", {}, {}, False),
])
def test_misleading(word, counterpart, others, translations, expected):
    assert build.misleading(word, counterpart, others, translations) is expected


def test_learned_pairs_keep_mutual_best_partners_only():
    queue, cola, tail = ("queue", "n"), ("cola", "n"), ("rabo", "n")
    printer, impresora = ("printer", "n"), ("impresora", "n")
    aligned = Counter({(queue, cola): 8, (printer, cola): 6, (printer, impresora): 9, (queue, tail): 1})
    en_counts = Counter({queue: 10, printer: 12})
    es_counts = Counter({cola: 14, impresora: 9, tail: 1})
    learned = build.learned_pairs(aligned, en_counts, es_counts, known=set())
    assert learned == {("queue", "cola"): round(16 / 24, 2), ("printer", "impresora"): round(18 / 21, 2)}
    assert build.learned_pairs(aligned, en_counts, es_counts, known={queue}) == {
        ("printer", "impresora"): round(18 / 21, 2)}


def test_freedict_pairs(tmp_path):
    path = tmp_path / "x.dict.dz"
    text = ("00-database-info\nheader\n\nnetwork /netwəːk/\nred\n\nsecurity /sikjeəritiː/\n"
            "1. dinerodelembase\n2. seguridad, fianza\n\nin spite of\na pesar de\n")
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    found = build.freedict_pairs(path, english_first=True)
    assert {("network", "red"), ("security", "seguridad"), ("security", "fianza")} <= found
    assert not any(" " in en or " " in es for en, es in found)
    # A Spanish-English file has the Spanish word first: the pair is turned round.
    assert ("red", "network") in build.freedict_pairs(path, english_first=False)


@pytest.mark.skipif(shutil.which("lt-proc") is None or not APERTIUM.is_dir(),
                    reason="lttoolbox and apertium-eng-spa are not installed")
def test_apertium_lookups():
    readings = build.analyse(["the deployments failed"], APERTIUM / "eng-spa.automorf.bin")[0]
    assert ("deployment", "n") in {reading[:2] for reading in readings}
    found = build.translate({("deployment", "n", "<n><sg>")}, APERTIUM / "eng-spa.autobil.bin")
    assert found[("deployment", "n")] == ["despliegue"]
