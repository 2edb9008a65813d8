"""Snippets: the window found from the matches' positions is the one a scan of every word finds."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup.search import TalkIndex
from meetup.search.analysis import fold, text_folded, text_words
from meetup.search.highlight import SNIPPET_WORDS, MatchRule, _best_window, matching_positions, snippet_segments
from meetup.search.query import parse_query
from tests.search.corpus import CORPUS, slugs, talk

VOCABULARY = ["kubernetes", "kube", "contenedores", "contenedor", "containers", "container", "de", "la",
              "the", "producción", "produccion", "clúster", "cluster", "migración", "ops"]


def scanned_window(flags: list[bool]) -> int:
    """The window every word is scanned for: the earliest with the most matches, centred on them."""
    count = sum(flags[:SNIPPET_WORDS])
    best_count, best_start = count, 0
    for start in range(1, len(flags) - SNIPPET_WORDS + 1):
        count += flags[start + SNIPPET_WORDS - 1] - flags[start - 1]
        if count > best_count:
            best_count, best_start = count, start
    if best_count == 0:
        return 0
    window = flags[best_start: best_start + SNIPPET_WORDS]
    first = best_start + window.index(True)
    last = best_start + SNIPPET_WORDS - 1 - window[::-1].index(True)
    centred = first - (SNIPPET_WORDS - (last - first + 1)) // 2
    return max(0, min(centred, len(flags) - SNIPPET_WORDS))


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(VOCABULARY), max_size=120),
       query=st.lists(st.sampled_from(VOCABULARY + ["kub", "conte", "pro"]), min_size=1, max_size=3),
       forms=st.none() | st.frozensets(st.sampled_from([fold(word) for word in VOCABULARY])))
def test_the_window_from_positions_is_the_scanned_window(words, query, forms):
    text = " ".join(words)
    rule = MatchRule.for_query(parse_query(" ".join(query)), forms=forms)
    flags = [rule.matches(word) for word in text_folded(text)]
    positions = matching_positions(text, rule)
    assert positions == [number for number, flag in enumerate(flags) if flag]
    first = _best_window(positions, len(flags))
    assert first == scanned_window(flags)
    # The passage marks exactly its words that the rule matches, deciding each word afresh.
    _folded, starts, ends = text_words(text)
    shown = range(first, min(first + SNIPPET_WORDS, len(flags)))
    assert marked(snippet_segments(text, rule)) == [text[starts[number]:ends[number]] for number in shown
                                                    if flags[number]]


@pytest.mark.parametrize("query, abstract, marked", [
    ("kube", "We run Kubernetes and kube-proxy in production.", ["Kubernetes", "kube"]),
    ("contenedor", "Los contenedores y el contenedor.", ["contenedores", "contenedor"]),
    ("produccion", "Kubernetes en producción.", ["producción"]),
    ("zzz", "Nothing here matches.", []),
])
def test_snippets_mark_words_stems_and_prefixes(query, abstract, marked):
    segments = snippet_segments(abstract, MatchRule.for_query(parse_query(query)))
    assert [text for text, matched in segments if matched] == marked
    assert "".join(text for text, _ in segments) == abstract


@pytest.mark.parametrize("matched, length, first", [
    ([], 100, 0),
    ([10], 20, 0),  # a short text shows from its start
    ([3, 80], 120, 0),  # equal windows: the earliest
    ([3, 80, 85], 120, 66),  # the densest, centred on its matches
    ([118], 120, 85),  # near the end: the last full window
    ([40, 41, 42, 90, 91], 100, 24),
])
def test_best_window(matched, length, first):
    flags = [number in matched for number in range(length)]
    assert _best_window(matched, length) == scanned_window(flags) == first


def marked(segments: list[tuple[str, bool]]) -> list[str]:
    """Return the matched texts of a segment list."""
    return [text for text, is_match in segments if is_match]


@pytest.mark.parametrize(
    ("query", "slug", "title_marks", "snippet_marks"),
    [
        ("contenedor", "contenedores", ["Contenedores"], ["contenedores"]),
        ("tamano", "contenedores", [], ["tamaño"]),
        ("produccion", "contenedores", ["producción"], ["producción"]),
        ("kube", "k8s-cicd", ["Kubernetes"], []),
        ("CI/CD", "k8s-cicd", ["CI", "CD"], []),
    ],
)
def test_highlighting(corpus_index: TalkIndex, query: str, slug: str,
                      title_marks: list[str], snippet_marks: list[str]) -> None:
    hit = next(hit for hit in corpus_index.search(query).hits if hit.slug == slug)
    original = next(t for t in CORPUS if t.slug == slug)
    assert "".join(text for text, _ in hit.title) == original.title
    assert marked(hit.title) == title_marks
    assert marked(hit.snippet) == snippet_marks
    assert "".join(text for text, _ in hit.snippet) in original.abstract


def test_snippet_is_the_passage_around_the_matches(tmp_path: Path) -> None:
    filler = " ".join(f"palabra{n}" for n in range(200))
    abstract = f"{filler} usamos terraform con cuidado y terraform otra vez. {filler}"
    index = TalkIndex(tmp_path)
    index.rebuild([talk("long", "Infra", abstract)])
    snippet = index.search("terraform").hits[0].snippet
    assert marked(snippet) == ["terraform", "terraform"]
    assert snippet[0] == ("…", False) and snippet[-1] == ("…", False)
    body = "".join(text for text, _ in snippet[1:-1])
    assert body in abstract and 25 <= len(body.split()) <= 40
    index.close()


def test_snippet_without_match_in_abstract_is_its_start(tmp_path: Path) -> None:
    abstract = " ".join(f"w{n}" for n in range(100))
    index = TalkIndex(tmp_path)
    index.rebuild([talk("t", "Terraform", abstract)])
    snippet = index.search("terraform").hits[0].snippet
    assert snippet[-1] == ("…", False) and snippet[0][0].startswith("w0 w1 ")
    assert len(snippet[0][0].split()) == 35
    index.close()


def test_markup_in_titles_comes_back_as_plain_text(tmp_path: Path) -> None:
    title = "<script>alert('x')</script> & Kubernetes"
    index = TalkIndex(tmp_path)
    index.rebuild([talk("xss", title, "<b>bold</b> kubernetes")])
    hit = index.search("kubernetes").hits[0]
    assert "".join(text for text, _ in hit.title) == title
    assert hit.title[0] == ("<script>alert('x')</script> & ", False)
    assert marked(hit.snippet) == ["kubernetes"]
    index.close()



def test_misspelt_word_highlights_nothing_even_through_its_stem(corpus_index: TalkIndex) -> None:
    page = corpus_index.search("kubernets cluster")
    assert slugs(page) == ["k8s-cicd"] and page.suggestion == "kubernetes cluster"
    assert marked(page.hits[0].title) == [] and marked(page.hits[0].snippet) == ["cluster"]


@pytest.mark.parametrize("words", [["kubernetes"] * 36 + ["la"] * 10, ["la"] * 10 + ["kubernetes"] * 50,
                                   ["kube"] * 80])
def test_a_passage_marks_only_its_own_matches(words: list[str]) -> None:
    text = " ".join(words)
    segments = snippet_segments(text, MatchRule.for_query(parse_query("kube")))
    body = [text for text, _ in segments if text != "…"]
    assert len(marked(segments)) == SNIPPET_WORDS == len("".join(body).split())
