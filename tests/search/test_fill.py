"""Short pages: when fewer talks than a page have every word, the best partial matches follow them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetup.search import TalkIndex
from meetup.search.rank import FILL_BELOW
from tests.search.corpus import built_index, slugs, talk

TALKS = (
    [talk("both", "Kubernetes security", "Policies for clusters.", date_key=20200101),
     talk("both-es", "Seguridad en Kubernetes", "Políticas.", lang="es", date_key=20190101),
     talk("security", "Security reviews", "Threat models and security champions.", date_key=20240101),
     talk("k8s", "Kubernetes upgrades", "Rolling clusters.", date_key=20230101),
     talk("other", "Team rituals", "Retrospectives.", date_key=20250101)]
    # "terraform" and "modules" together in more talks than a page: no filling.
    + [talk(f"tf-{number}", f"Terraform modules {number}", "Reuse.") for number in range(FILL_BELOW)]
    + [talk("tf-only", "Terraform state", "Locking.")]
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkIndex]:
    yield from built_index(tmp_path_factory.mktemp("fill"), TALKS, synonyms=[["seguridad", "security"]])


@pytest.mark.parametrize(("query", "lang", "first", "full", "total"), [
    # Two talks have both words; the talks with one of them follow, the stronger first.
    ("kubernetes security ", None, ["both", "both-es"], 2, 4),
    ("kubernetes security ", "es", ["both-es"], 1, 1),
    # While the last word is typed, only talks with a word typed in full fill the page.
    ("kubernetes secur", None, ["both", "both-es"], 2, 3),
    # A single word, or a page's worth of full matches, is never filled.
    ("kubernetes", None, [], None, 3),
    ("terraform modules", None, [], None, FILL_BELOW),
    # A quoted phrase asks for its words together: the talks with every word, the phrase first, no filling.
    ('"kubernetes security"', None, ["both"], None, 2),
])
def test_short_pages_are_filled(index: TalkIndex, query: str, lang: str | None, first: list[str],
                                full: int | None, total: int) -> None:
    page = index.search(query, lang)
    assert slugs(page)[:len(first)] == first
    assert page.full_matches == full
    assert page.total == total == len(page.hits)
    assert "other" not in slugs(page)


def test_partial_matches_rank_below_every_full_match(index: TalkIndex) -> None:
    page = index.search("kubernetes security ", per_page=2)
    assert slugs(page) == ["both", "both-es"]
    second = index.search("kubernetes security ", page=2, per_page=2)
    assert sorted(slugs(second)) == ["k8s", "security"]
