"""Synonyms and cross-language pairs count as weighted forms of the searched word, and are explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetup.search import IndexedTalk, SynonymsError, TalkIndex, load_crosslang_pairs
from meetup.search.synonyms import GROUP_WEIGHT, SynonymTable
from tests.search.corpus import talk

FILLER = ("Teams share what they learned about building and running software in production, "
          "from planning to release, with stories about people, tools and the trade-offs they made. ")


def search(tmp_path: Path, talks: list[IndexedTalk], query: str, **options: object):
    index = TalkIndex(tmp_path, **options)
    try:
        index.rebuild(talks)
        return index.search(query)
    finally:
        index.close()


GROUPS = [["contenedor", "container"]]

CASES = {
    "a synonym in a title beats a passing literal mention in a long abstract": (
        [talk("title", "Contenedores en producción", "Imágenes pequeñas.", lang="es", date_key=20190101),
         talk("mention", "Platform teams", FILLER * 3 + "One container.", date_key=20240101)],
        "container", ["title", "mention"], {"synonyms": GROUPS}),
    "the word itself in a title beats its synonym in a title": (
        [talk("literal", "Container images", "Small images.", date_key=20190101),
         talk("synonym", "Contenedor images", "Small images.", lang="es", date_key=20240101)],
        "container", ["literal", "synonym"], {"synonyms": GROUPS}),
    "a weak cross-language pair counts less than a strong one": (
        [talk("weak", "Pila de llamadas", "", lang="es", date_key=20190101),
         talk("strong", "Montón de datos", "", lang="es", date_key=20240101)],
        "heap", ["strong", "weak"], {"pairs": [("heap", "pila", 0.2), ("heap", "monton", 0.9)]}),
}


@pytest.mark.parametrize(("talks", "query", "expected", "options"), list(CASES.values()), ids=list(CASES))
def test_synonym_weighting(tmp_path: Path, talks, query: str, expected: list[str], options) -> None:
    assert [hit.slug for hit in search(tmp_path, talks, query, **options).hits] == expected


@pytest.mark.parametrize(("talks", "query", "groups", "expansions"), [
    # "incident" shares an English stem with "incidente": found as a form, still explained.
    ([talk("en", "Incident review", "What went wrong."), talk("es", "Gestión", "Un incidente.", lang="es")],
     "incidente", [["incidente", "incident"]], ["incident"]),
    ([talk("en", "Container basics", "Namespaces.")], "contenedor", [["contenedor", "container"]], ["container"]),
    ([talk("es", "Contenedores", "Imágenes.", lang="es")], "contenedor", [["contenedor", "container"]], []),
])
def test_every_synonym_match_is_explained(tmp_path: Path, talks, query: str, groups, expansions) -> None:
    assert search(tmp_path, talks, query, synonyms=groups).expansions == expansions


def test_group_and_pair_weights_are_kept_and_the_highest_wins() -> None:
    table = SynonymTable([["nube", "cloud"]], [("cloud", "nube", 0.5), ("heap", "pila", 0.3)])
    assert table.weighted_synonyms_of("cloud") == [("nube", GROUP_WEIGHT)]
    assert table.weighted_synonyms_of("pila") == [("heap", 0.3)]


@pytest.mark.parametrize(("content", "expected"), [
    ("# source: test, licence CC0\nsecurity\tseguridad\t0.9\ncloud\tnube\t1\n",
     [("security", "seguridad", 0.9, 0.9), ("cloud", "nube", 1.0, 1.0)]),
    ("# only comments\n\n", []),
])
def test_the_crosslang_file_is_read(tmp_path: Path, content: str, expected) -> None:
    path = tmp_path / "crosslang.tsv"
    path.write_text(content, encoding="utf-8")
    assert load_crosslang_pairs(path) == expected


@pytest.mark.parametrize(("senses", "expected"), [
    # The sense factors beside the vocabulary scale each direction of the pairs they list.
    ("# learned\nsure\tseguro\t1\t0.25\n", [("sure", "seguro", 1.0, 0.25), ("secure", "seguro", 0.5, 0.5)]),
    ("sure\tseguro\t0.5\t1\nsecure\tseguro\t1\t0.5\n",
     [("sure", "seguro", 0.5, 1.0), ("secure", "seguro", 0.5, 0.25)]),
    # A factor for a pair the vocabulary does not hold changes nothing.
    ("safe\tseguro\t0.5\t0.5\n", [("sure", "seguro", 1.0, 1.0), ("secure", "seguro", 0.5, 0.5)]),
])
def test_sense_factors_scale_each_direction(tmp_path: Path, senses: str, expected) -> None:
    (tmp_path / "crosslang.tsv").write_text("sure\tseguro\t1\nsecure\tseguro\t0.5\n", encoding="utf-8")
    (tmp_path / "crosslang_senses.tsv").write_text(senses, encoding="utf-8")
    assert load_crosslang_pairs(tmp_path / "crosslang.tsv") == expected


@pytest.mark.parametrize("senses", ["sure\tseguro\t0.5\n", "sure\tseguro\t0\t1\n", "sure\tseguro\tx\t1\n"])
def test_a_malformed_senses_line_is_refused_with_its_number(tmp_path: Path, senses: str) -> None:
    (tmp_path / "crosslang.tsv").write_text("sure\tseguro\t1\n", encoding="utf-8")
    (tmp_path / "crosslang_senses.tsv").write_text("# header\n" + senses, encoding="utf-8")
    with pytest.raises(SynonymsError, match=r"crosslang_senses.tsv:2:"):
        load_crosslang_pairs(tmp_path / "crosslang.tsv")


@pytest.mark.parametrize(("word", "expected"), [
    # Each direction of a pair keeps its own weight: searching "seguro" finds "sure" little.
    ("seguro", [("secure", 0.5), ("sure", 0.25)]),
    ("sure", [("seguro", 1.0)]),
])
def test_a_pair_links_each_way_at_its_own_weight(word: str, expected) -> None:
    table = SynonymTable(pairs=[("sure", "seguro", 1.0, 0.25), ("secure", "seguro", 0.5)])
    assert table.weighted_synonyms_of(word) == expected


@pytest.mark.parametrize("content", [
    "security\tseguridad\n", "security\tseguridad\t0\n", "security\tseguridad\t1.5\n",
    "security\tseguridad\tmuch\n", "service mesh\tmalla\t0.5\n",
])
def test_a_malformed_crosslang_line_is_refused_with_its_number(tmp_path: Path, content: str) -> None:
    path = tmp_path / "crosslang.tsv"
    path.write_text("# header\n" + content, encoding="utf-8")
    with pytest.raises(SynonymsError, match=r"crosslang.tsv:2:"):
        load_crosslang_pairs(path)


def test_a_missing_crosslang_file_means_no_pairs(tmp_path: Path) -> None:
    assert load_crosslang_pairs(tmp_path / "absent.tsv") == []


def test_the_shipped_crosslang_file_loads() -> None:
    assert len(load_crosslang_pairs()) > 500
