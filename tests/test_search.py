"""The search module on its own: analysis, query bounding, ranking, highlighting, generations, locks."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetup.search import (
    IndexBusy,
    IndexedTalk,
    IndexMissing,
    SearchPage,
    TalkIndex,
    query_words,
)
from meetup.search.spelling import is_inflection
from meetup.search.vocabulary import edit_distance


def talk(slug: str, title: str, abstract: str = "", speakers: tuple[str, ...] = ("Ana Ruiz",),
         lang: str = "en", date_key: int = 20240101) -> IndexedTalk:
    """Build a talk with defaults for the fields a test does not care about."""
    return IndexedTalk(slug, title, abstract, speakers, lang, date_key)


CORPUS = [
    talk("k8s-cicd", "CI/CD with Kubernetes", "Pipelines that deploy to a cluster.", lang="en", date_key=20230510),
    talk("contenedores", "Contenedores en producción",
         "Cómo llevar contenedores a producción sin miedo. El tamaño de la imagen importa.",
         speakers=("Omar López",), lang="es", date_key=20240301),
    talk("autoescalado", "Autoescalado de servicios", "Escalar por demanda, que es lo que toca.",
         speakers=("Lucía Pérez",), lang="es", date_key=20220000),
    talk("container-basics", "A container from scratch", "Namespaces and cgroups explained.",
         lang="en", date_key=20210900),
    talk("mercadona", "Cloud en MercadonaTech", "Plataforma interna y K8Spin para equipos.",
         lang="es", date_key=0),
    talk("graphql-k8s", "GraphQL gateways", "Running GraphQL on Kubernetes with autoscaling.",
         lang="en", date_key=20240901),
    talk("terraform", "Terraform modules", "Reusable infrastructure code.", lang="en", date_key=20200101),
]


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    """Build the shared small index once for the read-only tests."""
    index = TalkIndex(tmp_path_factory.mktemp("corpus"))
    index.rebuild(CORPUS, version=7)
    yield index
    index.close()


def slugs(page: SearchPage) -> list[str]:
    """Return the slugs of a page in rank order."""
    return [hit.slug for hit in page.hits]


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
        ("kubernetes graphql", ["graphql-k8s"], True),
        ("graphql kubernetes", ["graphql-k8s"], True),
        ("terraform graphql", ["graphql-k8s", "terraform"], False),
    ],
)
def test_all_words_are_required_unless_nothing_has_them_all(
    corpus_index: TalkIndex, query: str, expected: list[str], matched_all: bool
) -> None:
    page = corpus_index.search(query)
    assert sorted(slugs(page)) == expected
    assert page.matched_all is matched_all
    assert page.total == len(expected)


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


@pytest.mark.parametrize(
    ("query", "suggestion", "expected"),
    [
        ("kuberntes", "kubernetes", []),
        # Shares the stem "kubernet" with "kubernetes", yet is a typo, not an inflection.
        ("kubernets", "kubernetes", []),
        ("kubernets terraform", "kubernetes terraform", ["terraform"]),
        ("terraform kuberntes", "terraform kubernetes", ["terraform"]),
        ("terraform modules", None, ["terraform"]),
        ("zzzzqqq", None, []),
    ],
)
def test_did_you_mean(corpus_index: TalkIndex, query: str, suggestion: str | None, expected: list[str]) -> None:
    page = corpus_index.search(query)
    assert page.suggestion == suggestion
    assert slugs(page) == expected and page.total == len(expected)
    assert page.matched_all is (suggestion is None and bool(expected))


@pytest.mark.parametrize(
    ("word", "other", "inflection"),
    [
        ("containers", "container", True),
        ("kubernete", "kubernetes", True),
        ("contenedor", "contenedora", True),
        ("escalado", "escalada", True),
        ("escalados", "escaladas", True),
        ("kubernets", "kubernetes", False),
        ("servics", "services", False),
        ("tests", "texts", False),
    ],
)
def test_inflections_are_not_typos(word: str, other: str, inflection: bool) -> None:
    assert is_inflection(word, other) is inflection
    assert is_inflection(other, word) is inflection


def test_misspelt_word_highlights_nothing_even_through_its_stem(corpus_index: TalkIndex) -> None:
    page = corpus_index.search("kubernets cluster")
    assert slugs(page) == ["k8s-cicd"] and page.suggestion == "kubernetes cluster"
    assert marked(page.hits[0].title) == [] and marked(page.hits[0].snippet) == ["cluster"]


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


@pytest.mark.parametrize(
    ("text", "words", "phrases"),
    [
        ("Kubernetes  Graphql", ["kubernetes", "graphql"], []),
        ('"service mesh" istio', ["service", "mesh", "istio"], ["service mesh"]),
        ('"service mesh', ["service", "mesh"], []),
        ("kubernetes AND NOT title:graphql*", ["kubernetes", "and", "not", "title", "graphql"], []),
        ("(a OR b)~2 ?x [c TO d] {e}", ["a", "or", "b", "2", "x", "c", "to", "d"], []),
        ("\\foo %bar", ["foo", "bar"], []),
        ("\\f %g", ["f"], []),
        ("kube\x00rnetes", ["kube", "rnetes"], []),
        ("\ud800kube\udfff", ["kube"], []),
        ("🚀 kubernetes 🎉", ["kubernetes"], []),
        ("Tamaño ÑANDÚ", ["tamano", "nandu"], []),
        ("kube kube KUBE", ["kube"], []),
        ("kubernetes k", ["kubernetes"], []),
        ("kubernetes k ", ["kubernetes", "k"], []),
        ("k", [], []),
        ("!!! ??? ***", [], []),
        ("que por the", ["que", "por", "the"], []),
        ("don't auto-scale", ["don", "t", "auto", "scale"], []),
    ],
)
def test_query_words(text: str, words: list[str], phrases: list[str]) -> None:
    assert query_words(text) == (words, phrases)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 5000,
        " ".join(f"word{n}" for n in range(2000)),
        "x " * 2500,
        "\x00" * 5000,
        "\ud800" * 5000,
        "🚀" * 5000,
        '"' * 5000,
    ],
)
def test_query_words_are_bounded(text: str) -> None:
    words, phrases = query_words(text)
    assert len(words) <= 8
    assert sum(len(word) for word in words) <= 100
    assert all(len(phrase) <= 100 for phrase in phrases)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), lang=st.sampled_from([None, "en", "es", "xx", ""]), page=st.integers(-3, 5))
def test_any_text_searches_without_raising(corpus_index: TalkIndex, text: str, lang: str | None, page: int) -> None:
    result = corpus_index.search(text, lang, page=page, per_page=3)
    assert isinstance(result, SearchPage)
    assert len(result.hits) <= 3 and result.total <= len(CORPUS)


@pytest.mark.parametrize(
    "text",
    ['"', '""', "AND", "OR NOT", "title:", "*", "?", "~", "((([[{", "x" * 5000, "\x00", "\ud800",
     "%", "\\", "💥🔥", "...", "que el la de", "kube\u0301rnetes", "a\tb\nc"],
)
def test_hostile_text_searches_without_raising(corpus_index: TalkIndex, text: str) -> None:
    assert isinstance(corpus_index.search(text), SearchPage)


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


def generations(directory: Path) -> list[str]:
    """List generation directory names."""
    return sorted(path.name for path in directory.iterdir() if path.name.startswith("gen-"))


def test_rebuild_swaps_generations_and_prunes_old_ones(tmp_path: Path) -> None:
    reader = TalkIndex(tmp_path)
    writer = TalkIndex(tmp_path)
    assert not reader.is_readable() and reader.built_version() is None and reader.generation() is None
    writer.rebuild([talk("one", "First talk")], version=1)
    assert slugs(reader.search("talk")) == ["one"]
    progress: list[int] = []
    for version in (2, 3, 4):
        writer.rebuild([talk("one", "First talk"), talk(f"v{version}", "Another talk")],
                       version=version, on_progress=progress.append)
        assert reader.built_version() == version
        assert f"v{version}" in slugs(reader.search("talk"))
    live = os.readlink(tmp_path / "current")
    assert live == reader.generation() == generations(tmp_path)[-1]
    assert len(generations(tmp_path)) == 3  # the live one and the two before it
    assert reader.is_readable()
    assert progress[-1] == 2
    reader.close()


def test_failed_rebuild_leaves_the_live_generation_alone(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path)
    index.rebuild([talk("one", "First talk")], version=1)
    before = generations(tmp_path)

    def broken():
        yield talk("two", "Second talk")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken(), version=2)
    assert generations(tmp_path) == before and index.built_version() == 1
    assert slugs(index.search("talk")) == ["one"]
    index.close()


def test_apply_updates_are_visible_to_an_open_reader(tmp_path: Path) -> None:
    writer = TalkIndex(tmp_path)
    writer.rebuild([talk("keep", "Kubernetes basics", "old text"), talk("drop", "Kubernetes extra")], version=1)
    reader = TalkIndex(tmp_path)
    assert reader.search("kubernetes").total == 2
    before = reader.fingerprints()
    assert set(before) == {"keep", "drop"}

    writer.apply([talk("keep", "Kubernetes basics", "new text about helm"), talk("new", "Kubernetes news")],
                 ["drop"], version=2)
    assert sorted(slugs(reader.search("kubernetes"))) == ["keep", "new"]
    assert slugs(reader.search("helm")) == ["keep"]
    assert reader.search("", per_page=100).total == 2
    after = reader.fingerprints()
    assert set(after) == {"keep", "new"} and after["keep"] != before["keep"]
    assert after["keep"] == talk("keep", "Kubernetes basics", "new text about helm").fingerprint()
    writer.apply([], [], version=None)
    assert reader.built_version() == 2
    reader.close()


def test_apply_and_search_without_an_index_raise_index_missing(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path / "nothing-here")
    with pytest.raises(IndexMissing):
        index.apply([talk("a", "A")], [])
    with pytest.raises(IndexMissing):
        index.search("anything")
    with pytest.raises(IndexMissing):
        index.fingerprints()


def test_searches_keep_finding_talks_during_rebuilds(tmp_path: Path) -> None:
    corpus = [talk(f"t{n}", f"Kubernetes talk {n}", "contenedores en producción") for n in range(100)]
    TalkIndex(tmp_path).rebuild(corpus, version=1)
    reader = TalkIndex(tmp_path)
    errors: list[BaseException] = []

    def rebuild_three_times() -> None:
        try:
            writer = TalkIndex(tmp_path)
            for version in (2, 3, 4):
                writer.rebuild(corpus, version=version)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    thread = threading.Thread(target=rebuild_three_times)
    thread.start()
    searches = 0
    while thread.is_alive() or searches == 0:
        assert reader.search("kubernetes", per_page=5).total == 100
        searches += 1
    thread.join()
    assert not errors and reader.built_version() == 4 and searches > 1
    reader.close()


def test_fingerprint_covers_every_indexed_field() -> None:
    base = talk("s", "Title", "Abstract", ("Ana",), "en", 20240101)
    variants = [
        talk("s2", "Title", "Abstract", ("Ana",), "en", 20240101),
        talk("s", "Title!", "Abstract", ("Ana",), "en", 20240101),
        talk("s", "Title", "Abstract.", ("Ana",), "en", 20240101),
        talk("s", "Title", "Abstract", ("Ana", "Bea"), "en", 20240101),
        talk("s", "Title", "Abstract", ("Ana",), "es", 20240101),
        talk("s", "Title", "Abstract", ("Ana",), "en", 20240102),
    ]
    assert base.fingerprint() == talk("s", "Title", "Abstract", ("Ana",), "en", 20240101).fingerprint()
    assert len({base.fingerprint(), *(variant.fingerprint() for variant in variants)}) == 7


HOLD_LOCK = """
import fcntl, sys, time
lock = open(sys.argv[1], "a+b")
fcntl.flock(lock, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("operation", ["rebuild", "apply"])
def test_busy_lock_raises_index_busy_quickly(tmp_path: Path, operation: str) -> None:
    TalkIndex(tmp_path).rebuild([talk("a", "Alpha")], version=1)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".write.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        index = TalkIndex(tmp_path, writer_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(IndexBusy, match="index busy"):
            if operation == "rebuild":
                index.rebuild([talk("b", "Beta")], version=2)
            else:
                index.apply([talk("b", "Beta")], [], version=2)
        assert 0.4 <= time.monotonic() - started < 2.0
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert index.built_version() == 1
    index.rebuild([talk("b", "Beta")], version=2)
    assert slugs(index.search("beta")) == ["b"]
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


@pytest.mark.slow
def test_rebuild_in_worker_processes_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    vocabulary = ["kubernetes", "contenedores", "producción", "observability", "tamaño", "helm", "que"]
    talks = [
        talk(f"t{n}", " ".join(rng.sample(vocabulary, 3)), " ".join(rng.choices(vocabulary, k=12)),
             lang=rng.choice(["en", "es"]), date_key=20160101 + n)
        for n in range(300)
    ]
    alone = TalkIndex(tmp_path / "one")
    alone.rebuild(talks)
    monkeypatch.setattr("meetup.search.build.PARALLEL_FROM", 50)
    monkeypatch.setattr("meetup.search.build.CHUNK_TALKS", 70)
    parallel = TalkIndex(tmp_path / "many")
    progress: list[int] = []
    assert parallel.rebuild(talks + talks[:5], on_progress=progress.append) == 300
    assert progress[-1] == 300 and progress == sorted(progress)
    for query in ["kubernetes", "contenedor produ", "tamano", '"helm que"', "obs", ""]:
        one, many = alone.search(query, per_page=100), parallel.search(query, per_page=100)
        assert (slugs(many), many.total, many.lang_counts) == (slugs(one), one.total, one.lang_counts)
    assert parallel.fingerprints() == alone.fingerprints()
    alone.close()
    parallel.close()


@pytest.mark.parametrize(
    ("first", "second", "limit", "distance"),
    [
        ("kubernetes", "kubernetes", 2, 0),
        ("kubernets", "kubernetes", 2, 1),
        ("obserbability", "observability", 2, 1),
        ("cluster", "clsuter", 1, 1),  # two neighbours swapped: one edit
        ("terraform", "terrafrom", 2, 1),
        ("helm", "kafka", 2, 3),  # past the limit: limit + 1
        ("", "ab", 2, 2),
    ],
)
def test_edit_distance(first: str, second: str, limit: int, distance: int) -> None:
    assert edit_distance(first, second, limit) == distance
    assert edit_distance(second, first, limit) == distance
