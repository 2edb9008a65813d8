""""Also showing matches for": only the alternatives that brought talks onto the page, strongest first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetup.search import TalkIndex
from meetup.search.find import MAX_EXPLAINED
from tests.search.corpus import built_index, talk

TALKS = [
    talk("seguridad", "Seguridad en la nube", "Cifrado.", lang="es", date_key=20250101),
    talk("security", "Security reviews", "Threat models.", date_key=20240101),
    talk("safety", "Safety culture", "Blameless reviews.", date_key=20230101),
    # "seguridad" in the title and "security" in the abstract: brought by the word itself.
    talk("both", "Seguridad y cumplimiento", "Security audits.", lang="es", date_key=20220101),
] + [talk(f"alt-{word}", f"{word.title()} notes", "Notes.", date_key=20200101)
     for word in ("protection", "defense", "shield", "guard")]

PAIRS = [("security", "seguridad", 1.0), ("safety", "seguridad", 0.44), ("protection", "seguridad", 0.5),
         ("defense", "seguridad", 0.6), ("shield", "seguridad", 0.3), ("guard", "seguridad", 0.35)]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkIndex]:
    yield from built_index(tmp_path_factory.mktemp("explanations"), TALKS, pairs=PAIRS)


@pytest.mark.parametrize(("query", "lang", "per_page", "expansions"), [
    # Every alternative found talks, but only the strongest few are named, strongest first.
    ("seguridad", None, 20, ["security", "defense", "protection"]),
    ("seguridad", None, 1, ["security"]),
    # The Spanish talks have "seguridad" itself ("security" too, in one abstract): nothing was brought in.
    ("seguridad", "es", 20, []),
    ("security", None, 20, ["seguridad"]),
    # A word that finds only itself explains nothing.
    ("cifrado", None, 20, []),
])
def test_only_alternatives_on_the_page_are_named(index: TalkIndex, query: str, lang: str | None, per_page: int,
                                                 expansions: list[str]) -> None:
    page = index.search(query, lang, per_page=per_page)
    assert page.expansions == expansions
    assert len(page.expansions) <= MAX_EXPLAINED
