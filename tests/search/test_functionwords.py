"""Function words need not match in all-words mode, yet count for phrases and ranking."""

from __future__ import annotations

import pytest

from meetup.search import TalkIndex
from meetup.search.functionwords import is_function_word
from tests.search.corpus import talk


TALKS = [
    talk("de-calidad", "Pruebas de calidad", "Cómo medir la calidad.", lang="es", date_key=20240101),
    talk("y-calidad", "Pruebas y calidad", "Medir.", lang="es", date_key=20190101),
    talk("solo-pruebas", "Pruebas unitarias", "Rápidas.", lang="es", date_key=20230101),
    talk("the-art", "The art of testing", "Of tests and the people who write them.", lang="en"),
    talk("art-only", "Art and code", "Creative coding.", lang="en", date_key=20250101),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    built = TalkIndex(tmp_path_factory.mktemp("functionwords"))
    built.rebuild(TALKS)
    yield built
    built.close()


@pytest.mark.parametrize(("query", "expected", "matched_all"), [
    # "y" need not match: both talks with "pruebas" and "calidad" have all the words that matter,
    # and the one with "y" ranks first although it is older; the short page is filled with the talk
    # that has only "pruebas".
    ("pruebas y calidad", ["y-calidad", "de-calidad", "solo-pruebas"], True),
    ("pruebas de calidad ", ["de-calidad", "y-calidad", "solo-pruebas"], True),
    ("pruebas con calidad ", ["de-calidad", "y-calidad", "solo-pruebas"], True),
    # Only function words: they are then required.
    ("the of ", ["the-art"], True),
    ("the art ", ["the-art", "art-only"], True),
    # Quoted, a function word is part of the phrase.
    ('"art of"', ["the-art", "art-only"], True),
])
def test_function_words_are_optional_in_all_words_mode(index: TalkIndex, query: str, expected: list[str],
                                                        matched_all: bool) -> None:
    page = index.search(query)
    assert [hit.slug for hit in page.hits] == expected
    assert page.matched_all is matched_all


@pytest.mark.parametrize(("word", "expected"), [
    ("y", True), ("e", True), ("o", True), ("de", True), ("del", True), ("la", True), ("los", True),
    ("con", True), ("para", True), ("por", True), ("una", True), ("the", True), ("of", True),
    ("an", True), ("and", True), ("with", True), ("calidad", False), ("kubernetes", False), ("data", False),
    # Question words and auxiliaries: "how do I monitor ..." asks about monitoring.
    ("how", True), ("what", True), ("why", True), ("do", True), ("can", True), ("cuando", True),
    ("donde", True), ("cual", True), ("monitor", False), ("fail", False),
])
def test_the_list_holds_function_words_only(word: str, expected: bool) -> None:
    assert is_function_word(word) is expected


@pytest.mark.parametrize(("query", "expected"), [
    # A question typed as one finds the talk that answers it, though it never says "how" or "do".
    ("how do I test art ", ["the-art"]),
    ("what is the art of testing ", ["the-art"]),
])
def test_questions_need_only_their_topic_words(index: TalkIndex, query: str, expected: list[str]) -> None:
    page = index.search(query)
    assert [hit.slug for hit in page.hits][:len(expected)] == expected and page.full_matches == len(expected)


QUESTION_TALKS = [
    talk("on-topic", "Escalar equipos", "Crecer sin perder el foco.", lang="es", date_key=20190101),
    talk("chatty", "Un día en la vida",
         "Como un reloj, como una ola, como un equipo que escala: un relato de un año, un mes, un día.",
         lang="es", date_key=20240101),
    talk("why-deploys", "Deployments that fail", "What breaks a release.", lang="en", date_key=20190101),
    talk("why-why", "Questions", "Why deployments? Why do we do what we do, and why do so many things fail? Why?",
         lang="en", date_key=20240101),
]


@pytest.fixture(scope="module")
def questions(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    built = TalkIndex(tmp_path_factory.mktemp("questions"))
    built.rebuild(QUESTION_TALKS)
    yield built
    built.close()


@pytest.mark.parametrize(("query", "first"), [
    # Beside words with a topic, the question's small words rank little, however often a talk says them.
    ("¿cómo escalar un equipo?", "on-topic"),
    ("why do deployments fail", "why-deploys"),
    # Alone, they are what was asked.
    ("why ", "why-why"),
])
def test_a_question_ranks_by_its_topic_words(questions: TalkIndex, query: str, first: str) -> None:
    assert questions.search(query).hits[0].slug == first
