"""Searching a TalkIndex: which talks a query finds, filters, counts, paging, any input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetup.search import Search, TalkIndex

from tests.search.corpus import CORPUS, slugs, talk

LANG_OF = {item.slug: item.lang for item in CORPUS}


@pytest.mark.parametrize(
    ("query", "expected_slug"),
    [
        ("tamano", "contenedores"),
        ("TAMAÑO", "contenedores"),
        ("contenedor", "contenedores"),
        ("containers", "container-basics"),
        ("autoescalar", "autoescalado"),
        ("kube", "k8s-cicd"),
        ("contene", "contenedores"),
        ("mercadona", "mercadona"),
        ("k8spin", "mercadona"),
        ("Lopez", "contenedores"),
        ("que", "autoescalado"),
        ("por", "autoescalado"),
        ("CI/CD", "k8s-cicd"),
        ("ci cd", "k8s-cicd"),
        ("autoescalada", "autoescalado"),
        ("kubernete", "k8s-cicd"),
    ],
)
def test_query_finds_talk(corpus_index: TalkIndex, query: str, expected_slug: str) -> None:
    page = corpus_index.search(query)
    assert expected_slug in slugs(page)
    assert page.matched_all


@pytest.mark.parametrize(
    ("query", "expected", "matched_all"),
    [
        ("kubernetes graphql ", ["graphql-k8s"], True),
        ("graphql kubernetes ", ["graphql-k8s"], True),
        ("terraform graphql", ["graphql-k8s", "terraform"], False),
    ],
)
def test_all_words_are_required_unless_nothing_has_them_all(
    corpus_index: TalkIndex, query: str, expected: list[str], matched_all: bool
) -> None:
    page = corpus_index.search(query)
    if matched_all:
        # The talks with every word come first; the short page is filled with talks having some of them.
        assert slugs(page)[:page.full_matches] == expected and page.full_matches == len(expected)
        assert page.total > len(expected)
    else:
        assert sorted(slugs(page)) == expected and page.full_matches is None
        assert page.total == len(expected)
    assert page.matched_all is matched_all


@pytest.mark.parametrize(
    ("lang", "expected_total"),
    [(None, 3), ("en", 2), ("es", 1), ("xx", 3), ("", 3)],
)
def test_language_filter_and_counts(corpus_index: TalkIndex, lang: str | None, expected_total: int) -> None:
    page = corpus_index.search("kubernetes contenedores cluster", lang)
    assert page.lang_counts == {"en": 2, "es": 1}
    assert page.total == expected_total == len(page.hits)
    if lang in ("en", "es"):
        assert all(hit.slug in {t.slug for t in CORPUS if t.lang == lang} for hit in page.hits)


@pytest.mark.parametrize("text", ["", "   ", "k", "!!!", "\x00", "\ud800"])
def test_blank_query_lists_all_talks_newest_first(corpus_index: TalkIndex, text: str) -> None:
    page = corpus_index.search(text)
    assert page.words == [] and page.total == len(CORPUS)
    assert page.lang_counts == {"en": 4, "es": 3}
    dates = [next(t.date_key for t in CORPUS if t.slug == hit.slug) for hit in page.hits]
    assert dates == sorted(dates, reverse=True)
    assert slugs(page)[-1] == "mercadona"  # unknown date last
    assert all(not matched for hit in page.hits for _, matched in hit.title + hit.snippet)


@pytest.mark.parametrize(
    ("page_number", "per_page", "expected_count"),
    [(1, 3, 3), (3, 3, 1), (4, 3, 0), (0, 3, 3), (-5, 1000, 7), (1, 0, 1)],
)
def test_pagination_is_clamped(corpus_index: TalkIndex, page_number: int, per_page: int, expected_count: int) -> None:
    page = corpus_index.search("", page=page_number, per_page=per_page)
    assert len(page.hits) == expected_count and page.total == len(CORPUS)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), lang=st.sampled_from([None, "en", "es", "xx", ""]), page=st.integers(-3, 5))
def test_any_text_gives_a_consistent_page(corpus_index: TalkIndex, text: str, lang: str | None, page: int) -> None:
    result = corpus_index.search(text, lang, page=page, per_page=3)
    found = [hit.slug for hit in result.hits]
    assert len(set(found)) == len(found) and set(found) <= LANG_OF.keys()
    # The page holds what is left of the matches from its first place on, at most 3.
    assert len(found) == min(3, max(0, result.total - (max(page, 1) - 1) * 3))
    if lang in ("en", "es"):
        assert {LANG_OF[slug] for slug in found} <= {lang} and result.total == result.lang_counts[lang]
    else:
        assert result.total == sum(result.lang_counts.values()) <= len(CORPUS)


EVERY_TALK = set(LANG_OF)


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        # No searchable word: every talk, as the empty search lists them.
        *[(text, [], EVERY_TALK) for text in ['"', '""', "*", "?", "~", "((([[{", "\x00", "\ud800", "%", "\\",
                                               "💥🔥", "..."]],
        # Query syntax is text like any other.
        ("AND", ["and"], {"container-basics"}),
        ("title:", ["title"], set()),
        ("OR NOT", ["or", "not"], set()),
        ("x" * 5000, None, set()),
        ("kube\u0301rnetes", ["kubernetes"], {"k8s-cicd", "graphql-k8s"}),
        ("que el la de", ["que", "el", "la", "de"], None),
        ("a\tb\nc", ["a", "b"], None),
    ],
)
def test_hostile_text_searches_as_plain_words(corpus_index: TalkIndex, text: str, words: list[str] | None,
                                             expected: set[str] | None) -> None:
    page = corpus_index.search(text, per_page=len(CORPUS))
    assert words is None or page.words == words
    found = {hit.slug for hit in page.hits}
    assert page.total == len(found) and found <= EVERY_TALK
    if expected is not None:
        assert found == expected


def test_prefix_of_two_letters_at_two_thousand_docs(tmp_path: Path) -> None:
    rng = random.Random(3)
    syllables = ["ka", "ku", "be", "ne", "te", "ro", "sa", "li", "mo", "da", "pe", "ti"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))

    talks = [
        talk(f"t{n}", " ".join(word() for _ in range(2)), " ".join(word() for _ in range(5)),
             speakers=(word(),), lang=rng.choice(["en", "es"]))
        for n in range(2000)
    ]
    index = TalkIndex(tmp_path)
    index.rebuild(talks)
    expected = {
        t.slug for t in talks
        if any(w.startswith("ku") for w in f"{t.title} {t.abstract} {' '.join(t.speakers)}".split())
    }
    first = index.search("ku", per_page=100)
    assert first.total == len(expected) and 0 < len(expected) < 2000
    found = set()
    for page_number in range(1, first.total // 100 + 2):
        found.update(slugs(index.search("ku", page=page_number, per_page=100)))
    assert found == expected
    index.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("obs", ["abstract-prefix"]),  # a short prefix: its own indexed start of words
        ("observab", ["abstract-prefix"]),  # a longer one: the abstract words that start with it
        ("observabilidad", ["abstract-prefix"]),
        ("monitorizacion observ", ["abstract-prefix"]),
    ],
)
def test_prefix_found_only_in_an_abstract(tmp_path: Path, query: str, expected: list[str]) -> None:
    index = TalkIndex(tmp_path)
    index.rebuild([
        talk("abstract-prefix", "Monitorización", "Un paseo por la observabilidad de sistemas."),
        talk("other", "Terraform", "Módulos reutilizables."),
    ])
    assert slugs(index.search(query)) == expected
    index.close()


def test_repeated_search_is_answered_again_after_an_apply(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path)
    index.rebuild([talk("a", "Helm charts")], version=1)
    first = index.search("helm")
    assert index.search("helm") is first  # the same page, from the cache
    index.apply([talk("b", "Helm at scale")], [], version=2)
    assert sorted(slugs(index.search("helm"))) == ["a", "b"]
    index.close()



class ReadOnce(dict):
    """Word lists whose walk through every stem (building a lookup table) fails the test."""

    def values(self):
        raise AssertionError("a vocabulary table built again after prepare")


def test_prepare_computes_what_a_first_search_would(tmp_path, monkeypatch) -> None:
    """After prepare, searches answer as before and compute no length norms, orders or vocabulary tables again."""
    from whoosh.reading import SegmentReader

    from meetup.search import rank
    from meetup.search.vocabulary import Vocabulary
    from tests.search.corpus import CORPUS

    queries = [(query, lang) for query in ("kube", "kubernetse", "observability incident", "") for lang in (None, "es")]
    index = TalkIndex(tmp_path)
    index.rebuild(CORPUS)
    expected = [index.search(query, lang) for query, lang in queries]
    index.close()

    read = Vocabulary.read.__func__
    opened: list[Vocabulary] = []
    monkeypatch.setattr(Vocabulary, "read", classmethod(
        lambda cls, directory, previous=None: opened.append(read(cls, directory, previous)) or opened[-1]))
    index = TalkIndex(tmp_path)
    index.prepare()
    snapshot = index.snapshot()

    def computed_again(*args):
        raise AssertionError("length norms, dates or years computed again after prepare")

    monkeypatch.setattr(rank, "_length_norms", computed_again)
    monkeypatch.setattr(SegmentReader, "column_reader", computed_again)
    [vocabulary] = opened
    vocabulary.by_language = {code: ReadOnce(forms) for code, forms in vocabulary.by_language.items()}
    assert [index.search(query, lang) for query, lang in queries] == expected
    assert index.snapshot() == snapshot  # the same searcher, not a reopened one
    index.close()


@pytest.mark.parametrize(("text", "searched"), [("", False), ("k", False), ("!!!", False), ("- k", False),
                                                ("kubernetes", True), ("contenedores cluster", True)])
def test_results_search_only_a_text_with_a_searchable_word(corpus_index: TalkIndex, text: str, searched: bool) -> None:
    results = corpus_index.results(Search(text, per_page=20))
    assert results.searched is searched
    assert (results.slugs == [] and results.total == 0) if not searched else results.slugs == list(results.hits)
