"""Words searched in their own sense: names unstemmed, function words as typed, real words never corrected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetup.search import TalkIndex
from tests.search.corpus import built_index, slugs, talk

TALKS = (
    [talk("chao", "Infraestructura como código", "Módulos y plantillas.", speakers=("Luis Chao",), lang="es"),
     talk("chaos", "Chaos testing in production", "Breaking things on purpose.", speakers=("Bo Li",)),
     talk("cono", "El cono de incertidumbre", "Estimar proyectos.", speakers=("Eva Gil",), lang="es"),
     talk("con", "Pruebas con docker", "Imágenes pequeñas.", speakers=("Eva Gil",), lang="es")]
    # "movies" in six talks: a Spanish word one edit away ("moviles") is still not its typo.
    + [talk(f"movies-{number}", f"Movies night {number}", "Films and popcorn.") for number in range(6)]
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkIndex]:
    yield from built_index(tmp_path_factory.mktemp("senses"), TALKS, synonyms=[["cono", "cone"]])


@pytest.mark.parametrize(("query", "expected"), [
    # A speaker's name is not stemmed: "chaos" is not "Chao".
    ("chaos ", ["chaos"]),
    # A query that is a speaker's name is searched as typed: no other forms, nor the start of a longer word.
    ("chao ", ["chao"]),
    ("chao", ["chao"]),
    ("cha", ["chao", "chaos"]),
    # ... and a page of that speaker's talks is not filled with talks sharing one of the names.
    ("luis chao ", ["chao"]),
    # A function word is searched as typed: "con" is not a form of "cono", nor its synonym "cone".
    ("con ", ["con"]),
    ("cono ", ["cono"]),
])
def test_words_find_their_own_sense(index: TalkIndex, query: str, expected: list[str]) -> None:
    page = index.search(query)
    assert slugs(page) == expected
    if query == "con ":
        assert page.expansions == []


@pytest.mark.parametrize(("query", "suggestion"), [
    # A word of either language's lexicon is not a typo because the index holds it rarely or not at all.
    ("moviles ", None),
    ("aplicaciones moviles ", None),
    # A word of no lexicon one edit from a frequent one is.
    ("moveis ", "movies"),
])
def test_real_words_are_not_corrected(index: TalkIndex, query: str, suggestion: str | None) -> None:
    assert index.search(query).suggestion == suggestion


NATIVE_AND_TRANSLATED = [
    talk("translated", "Notas del equipo", "Hablamos de security y de costes.", lang="es", date_key=20250101),
    talk("native", "Notas del grupo", "Hablamos de seguridad y de costes.", lang="es", date_key=20200101),
    talk("in-title", "Security", "Hablamos de costes y de plazos.", lang="es", date_key=20190101),
]


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    built = TalkIndex(tmp_path_factory.mktemp("native"), pairs=[("security", "seguridad", 1.0)])
    built.rebuild(NATIVE_AND_TRANSLATED)
    yield built
    built.close()


def test_native_matches_rank_above_translated_ones_unless_in_a_title(bilingual: TalkIndex) -> None:
    # The translated talk is newest, so it would win a tie.
    assert slugs(bilingual.search("seguridad")) == ["in-title", "native", "translated"]
