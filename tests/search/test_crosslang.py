"""The cross-language vocabulary file is well formed, says where it comes from and knows the field's words."""
import re
from pathlib import Path

import pytest

CROSSLANG = Path(__file__).resolve().parents[2] / "meetup" / "data" / "crosslang.tsv"
WORD = re.compile(r"^[a-zñáéíóúü]+$")


def header_and_rows():
    lines = CROSSLANG.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    rows = [line for line in lines if not line.startswith("#")]
    return header, rows, lines


def pairs():
    return {(en, es): float(weight) for en, es, weight in (row.split("\t") for row in header_and_rows()[1])}


def test_comments_come_first_and_name_source_and_licence():
    header, rows, lines = header_and_rows()
    assert lines[:len(header)] == header, "comment lines only at the top"
    text = "\n".join(header)
    for needed in ("Apertium", "FreeDict", "GPL-2", "scripts/build_crosslang.py", "Weight"):
        assert needed in text


def test_every_row_is_two_lowercase_words_and_a_weight():
    _, rows, _ = header_and_rows()
    assert 500 <= len(rows) <= 10_000
    for row in rows:
        fields = row.split("\t")
        assert len(fields) == 3, row
        en, es, weight = fields
        assert WORD.match(en) and WORD.match(es), row
        assert en != es, row
        assert 0.0 < float(weight) <= 1.0, row


def test_no_pair_is_listed_twice():
    _, rows, _ = header_and_rows()
    keys = [tuple(row.split("\t")[:2]) for row in rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("en, es, at_least", [
    ("security", "seguridad", 0.8),
    ("deployment", "despliegue", 0.8),
    ("deploy", "desplegar", 0.8),
    ("container", "contenedor", 0.8),
    ("test", "prueba", 0.8),
    ("network", "red", 0.8),
    ("cloud", "nube", 0.8),
    ("performance", "rendimiento", 0.8),
    ("storage", "almacenamiento", 0.8),
    ("reliability", "fiabilidad", 0.8),
    ("availability", "disponibilidad", 0.8),
    ("incident", "incidente", 0.8),
    ("migration", "migración", 0.8),
    ("infrastructure", "infraestructura", 0.8),
    ("tool", "herramienta", 0.8),
    ("quality", "calidad", 0.8),
    ("server", "servidor", 0.8),
    ("developer", "desarrollador", 0.8),
    ("monitoring", "monitorización", 0.5),
])
def test_known_pair(en, es, at_least):
    assert pairs().get((en, es), 0.0) >= at_least


@pytest.mark.parametrize("en, es", [
    ("red", "red"),  # the colour is not the network
    ("found", "fundar"),  # mostly the past of find
])
def test_misleading_pair_is_absent_or_weak(en, es):
    assert pairs().get((en, es), 0.0) <= 0.6
