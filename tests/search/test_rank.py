"""Ranking: BM25F over title, speakers and abstract, proximity, phrases, newest first only for ties."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetup.search import IndexedTalk, TalkIndex
from tests.search.corpus import slugs, talk

FILLER = ("Teams share what they learned about building and running software in production, "
          "from planning to release, with stories about people, tools and the trade-offs they made. ")


def ranked(tmp_path: Path, talks: list[IndexedTalk], query: str, **options: object) -> list[str]:
    """Index the talks and return the slugs a search finds, in rank order."""
    index = TalkIndex(tmp_path, **options)
    try:
        index.rebuild(talks)
        return [hit.slug for hit in index.search(query).hits]
    finally:
        index.close()


# Each case: talks, query, the expected order (the first talk in the list is the oldest, so
# newest-first alone would put the expected winner last).
CASES = {
    "a title about the word beats a long abstract mentioning it once": (
        [talk("title", "Observability in practice", "Dashboards, alerts and on-call.", date_key=20190101),
         talk("mention", "Platform teams", FILLER * 3 + "We touch on observability once.", date_key=20240101)],
        "observability", ["title", "mention"]),
    "more mentions in an abstract of the same length rank higher": (
        [talk("often", "Platform teams", "Tracing helps. Tracing shows latency. Tracing finds the bug. " + FILLER,
              date_key=20190101),
         talk("once", "Platform teams", "Tracing helps. Latency shows. Logs find the bug. " + FILLER,
              date_key=20240101)],
        "tracing", ["often", "once"]),
    "one mention in a short abstract beats one in a long abstract": (
        [talk("short", "Platform teams", "A word on chaos engineering.", date_key=20190101),
         talk("long", "Platform teams", FILLER * 4 + "A word on chaos engineering.", date_key=20240101)],
        "chaos", ["short", "long"]),
    "a speaker's name beats a mention in an abstract": (
        [talk("speaker", "Platform teams", "Release trains.", speakers=("Marta Quintana",), date_key=20190101),
         talk("abstract", "Platform teams", "As Quintana said in her book, release trains.", date_key=20240101)],
        "quintana", ["speaker", "abstract"]),
    "words side by side beat the same words far apart": (
        [talk("close", "Platform teams", "We run a service mesh. " + FILLER, date_key=20190101),
         talk("apart", "Platform teams", "The service desk, " + FILLER + " and one mesh.", date_key=20240101)],
        "service mesh", ["close", "apart"]),
    "a quoted phrase beats the same words apart": (
        [talk("phrase", "Notes", FILLER + "our service mesh", date_key=20190101),
         talk("words", "Mesh and service notes", "Mesh first, service later.", date_key=20240101)],
        '"service mesh"', ["phrase", "words"]),
    "equal talks: newest first": (
        [talk("older", "Terraform modules", "Reusable code.", date_key=20190101),
         talk("newer", "Terraform modules", "Reusable code.", date_key=20240101)],
        "terraform", ["newer", "older"]),
    "word forms count as the word": (
        [talk("forms", "Contenedores y más contenedores", "Un contenedor.", lang="es", date_key=20190101),
         talk("once", "Plataforma", "Hablamos de un contenedor. " + FILLER, lang="es", date_key=20240101)],
        "contenedor", ["forms", "once"]),
}


@pytest.mark.parametrize(("talks", "query", "expected"), list(CASES.values()), ids=list(CASES))
def test_ranking_order(tmp_path: Path, talks: list[IndexedTalk], query: str, expected: list[str]) -> None:
    assert ranked(tmp_path, talks, query) == expected


def test_every_page_of_a_query_agrees_with_the_first(tmp_path: Path) -> None:
    talks = [talk(f"t{number:02d}", f"Kubernetes notes {number}",
                  ("kubernetes cluster " * (number % 5)) + FILLER + ("cluster " * (number % 3)),
                  date_key=20200101 + number) for number in range(60)]
    index = TalkIndex(tmp_path)
    try:
        index.rebuild(talks)
        everything = [hit.slug for hit in index.search("kubernetes cluster", per_page=60).hits]
        paged = [hit.slug for page in range(1, 7) for hit in index.search("kubernetes cluster", page=page,
                                                                            per_page=10).hits]
    finally:
        index.close()
    assert paged == everything
    # Four talks (0, 15, 30, 45) never say "cluster".
    assert len(set(everything)) == len(everything) == 56


def test_title_match_ranks_above_abstract_only_match(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path)
    index.rebuild([
        talk("abstract-only", "Running a platform team",
             "We cover observability, alerting and more observability for the on-call rota."),
        talk("in-title", "Observability for everyone", "Dashboards and alerting in practice."),
    ])
    assert slugs(index.search("observability")) == ["in-title", "abstract-only"]
    index.close()


def test_quoted_phrase_ranks_the_exact_phrase_first(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path)
    index.rebuild([
        talk("apart", "Mesh service", ""),
        talk("together", "Stories from running our service mesh in production today", ""),
    ])
    # Unquoted, the words stand side by side in both and the shorter title wins; quoted, the exact phrase does.
    assert slugs(index.search("service mesh ")) == ["apart", "together"]
    assert slugs(index.search('"service mesh"')) == ["together", "apart"]
    index.close()
