"""The organisers' abbreviations file and what a search for a short form finds."""

from __future__ import annotations

import pytest

from meetup.search import TalkIndex
from meetup.search.abbreviations import AbbreviationsError, load_abbreviations
from meetup.search.synonyms import SynonymTable
from tests.search.corpus import slugs, talk


@pytest.fixture(scope="module")
def shipped() -> SynonymTable:
    return SynonymTable(abbreviations=load_abbreviations())


@pytest.mark.parametrize(("short", "expansion"), [
    ("k8s", ("kubernetes",)),
    ("ml", ("machine", "learning")),
    ("ml", ("aprendizaje", "automatico")),
    ("ia", ("inteligencia", "artificial")),
    ("db", ("database",)),
    ("db", ("base", "de", "datos")),
    ("iac", ("infrastructure", "as", "code")),
    ("ci", ("integracion", "continua")),
    ("cd", ("continuous", "delivery")),
    ("i18n", ("internationalization",)),
    ("async", ("asynchronous",)),
    ("sre", ("site", "reliability")),
])
def test_the_shipped_file_lists_the_documented_expansions(shipped, short, expansion):
    assert expansion in shipped.expansions_of(short)
    assert shipped.knows(short)


@pytest.mark.parametrize(("word", "short"), [("kubernetes", "k8s"), ("database", "db"), ("databases", "db"),
                                             ("asynchronous", "async")])
def test_a_one_word_expansion_finds_its_short_form(shipped, word, short):
    assert (short,) in shipped.expansions_of(word)


@pytest.mark.parametrize(("content", "reason"), [
    ("- ml\n", "expected at most"),
    ("ml: machine learning\n", "expected a list of 1 to"),
    ("ml: []\n", "expected a list of 1 to"),
    ("machine learning: [ml]\n", "is not a single short form"),
    ("ml: [machine learning!]\n", "is not 1 to"),
    ("ml: [a b c d e f]\n", "is not 1 to"),
    ("ml: [machine\n", "cannot read the abbreviations"),
])
def test_a_malformed_file_is_refused_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "abbreviations.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AbbreviationsError, match=reason):
        load_abbreviations(path)


@pytest.mark.parametrize(("content", "expected"), [
    ("# none yet\n", {}),
    ("ML: [Machine Learning, ML]\n", {"ml": (("machine", "learning"),)}),
    ("BD: [Base de datos]\n", {"bd": (("base", "de", "datos"),)}),
])
def test_the_file_is_read_folded(tmp_path, content, expected):
    path = tmp_path / "abbreviations.yaml"
    path.write_text(content, encoding="utf-8")
    assert load_abbreviations(path) == expected


def test_an_absent_file_means_no_abbreviations(tmp_path):
    assert load_abbreviations(tmp_path / "none.yaml") == {}


TALKS = [
    talk("ml", "Machine learning for monitoring", "Models that learn.", date_key=20240101),
    talk("ml-es", "Aprendizaje automático en producción", "Modelos.", lang="es", date_key=20230101),
    # "machine" and "learning" in different senses and far apart still count: every word is there.
    talk("apart", "Learning from incidents", "A machine room story.", date_key=20220101),
    talk("machine", "Virtual machine images", "Packer.", date_key=20210101),
    talk("db", "DB migrations", "Schema changes.", date_key=20200101),
    talk("database", "Database reliability", "Backups.", date_key=20190101),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    built = TalkIndex(tmp_path_factory.mktemp("abbreviations"), abbreviations=load_abbreviations())
    built.rebuild(TALKS)
    yield built
    built.close()


@pytest.mark.parametrize(("query", "expected", "expansions"), [
    ("ml", ["ml", "ml-es", "apart"], ["aprendizaje automatico", "machine learning"]),
    ("ML ", ["ml", "ml-es", "apart"], ["aprendizaje automatico", "machine learning"]),
    ("db", ["db", "database"], ["database"]),
    ("database", ["database", "db"], ["db"]),
])
def test_a_short_form_finds_what_it_stands_for(index: TalkIndex, query: str, expected: list[str],
                                                expansions: list[str]) -> None:
    page = index.search(query)
    assert sorted(slugs(page)) == sorted(expected)
    assert sorted(page.expansions) == expansions
