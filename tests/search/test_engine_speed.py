"""The engine's shortcuts answer exactly what the straightforward reading of the index answers.

Each shortcut (frequencies without positions, one read per posting list, stored rows, word
frequencies and prefix expansions cached per searcher, one regex pass over stored text, fewer
and larger segments) is checked against Whoosh's public API or against the index built the
plain way, and the caches against a change of generation.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.formats import Frequency, Positions

from meetup.search import IndexedTalk, TalkIndex
from meetup.search import reader as reader_module
from meetup.search.analysis import TextWords, folded_words, text_words, word_tokens
from meetup.search.schema import build_schema
from meetup.search.build import INDEX_NAME
from meetup.search.vocabulary import Vocabulary
from meetup.search.whoosh_adapter import segments_of

WORDS = ["kubernetes", "contenedores", "contenedor", "container", "containers", "continuous", "contra",
         "producción", "observability", "tamaño", "helm", "que", "the", "de", "la", "latency", "latencia",
         "migración", "migrating", "autoescalado", "service", "servicios", "mesh", "incident", "incidente"]
NAMES = ["Ana Ruiz", "José López", "Marta Quintana", "Lee Chen", "Noor Haddad"]
QUERIES = ["kubernetes", "cont", "conte", "contenedor produ", "the", "de la", "la", "tamano", '"service mesh"',
           "obs", "lat", "latenc", "migracion base", "lopez kub", "incident post", "kubernets", "se", "zzz", ""]


def corpus(count: int, seed: int = 7) -> list[IndexedTalk]:
    rng = random.Random(seed)
    return [IndexedTalk(f"t{n:04d}", " ".join(rng.sample(WORDS, 3)), " ".join(rng.choices(WORDS, k=rng.randint(5, 60))),
                        tuple(rng.sample(NAMES, rng.randint(1, 2))), rng.choice(["en", "es"]), 20160101 + n)
            for n in range(count)]


def answers(index: TalkIndex, lang: str | None = None) -> list[tuple]:
    """Return every QUERIES answer in full: slugs, highlights, counts, suggestion."""
    found = []
    for query in QUERIES:
        page = index.search(query, lang, per_page=50)
        found.append((query, [(hit.slug, hit.title, hit.snippet) for hit in page.hits], page.total,
                      page.lang_counts, page.year_counts, page.matched_all, page.suggestion, page.expansions))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The same talks indexed in one segment and in several (written by worker processes)."""
    talks = corpus(400)
    one = TalkIndex(tmp_path_factory.mktemp("one"))
    one.rebuild(talks)
    patch = pytest.MonkeyPatch()
    patch.setattr("meetup.search.build.PARALLEL_FROM", 100)
    patch.setattr("meetup.search.build.CHUNK_TALKS", 90)
    try:
        many = TalkIndex(tmp_path_factory.mktemp("many"))
        many.rebuild(talks)
    finally:
        patch.undo()
    yield talks, one, many
    one.close()
    many.close()


def segment_count(index: TalkIndex) -> int:
    from whoosh import index as whoosh_index
    ix = whoosh_index.open_dir(str(index.directory / "current"), indexname=INDEX_NAME, schema=build_schema())
    try:
        return len(segments_of(ix))
    finally:
        ix.close()


def test_talks_below_one_chunk_are_one_segment_and_larger_archives_one_segment_per_chunk(built) -> None:
    _talks, one, many = built
    assert segment_count(one) == 1
    assert segment_count(many) == 5  # 400 talks in chunks of 90


def test_one_segment_and_many_answer_alike(built) -> None:
    _talks, one, many = built
    for lang in (None, "es"):
        assert answers(one, lang) == answers(many, lang)


def test_text_fields_keep_frequencies_and_no_positions() -> None:
    schema = build_schema()
    for name in ("title", "abstract"):
        assert isinstance(schema[name].format, Frequency) and not isinstance(schema[name].format, Positions)


@pytest.mark.parametrize("which", ["one", "many"])
def test_postings_hold_each_talks_frequency_of_each_word(built, which: str) -> None:
    talks, one, many = built
    index = {"one": one, "many": many}[which]
    index.search("warm")
    opened = index._open
    docnum_of = {slug: docnum for docnum, (slug, _title, _abstract) in
                 enumerate(opened.stored_rows(range(opened.size)))}
    for word in ("kubernetes", "the", "contenedores", "tamano"):
        expected = {docnum_of[talk.slug]: folded_words(talk.abstract).count(word)
                    for talk in talks if word in folded_words(talk.abstract)}
        postings = opened.postings(("abstract", word))
        assert dict(zip(postings.ids.tolist(), postings.tf.tolist())) == expected


@pytest.mark.parametrize("text", [
    "Kubernetes en producción: ¿qué aprendimos?", "snake_case and kebab-case/slashes.dots",
    "n\u0303andu\u0301 café CAFÉ", "Æsir œuvre ø ł đ ð þ ı ħ", "\u0301 lone mark ¡ !", "", "   ",
    "数据 データ 2024 v1.2.3", "don't it's O'Brien", "x\u200by soft\u00adhyphen",
])
def test_folded_words_are_the_folded_tokens(text: str) -> None:
    assert folded_words(text) == [token.folded for token in word_tokens(text)]


def plain_text_words(text: str) -> TextWords:
    """The words of text read through word_tokens, uncached: what text_words must equal."""
    tokens = word_tokens(text)
    return TextWords(tuple(token.folded for token in tokens), [token.start for token in tokens],
                     [token.end for token in tokens])


def same_words(found: TextWords, expected: TextWords) -> bool:
    return (found.folded, list(found.starts), list(found.ends)) == (expected.folded, expected.starts, expected.ends)


@pytest.mark.parametrize("text", [
    "Kubernetes en producción: ¿qué aprendimos?", "snake_case and kebab-case/slashes.dots",
    "n\u0303andu\u0301 café CAFÉ", "Æsir œuvre ø ł đ ð þ ı ħ", "\u0301 lone mark ¡ !", "", "   ",
    "数据 データ 2024 v1.2.3", "don't it's O'Brien", "x\u200by soft\u00adhyphen",
    "uno \u037a dos \ufe70 tres", "\u037a", "\ufe70 kubernetes final.",
])
def test_text_words_are_the_tokens_of_word_tokens(text: str) -> None:
    # \u037a and \ufe70 match the word pattern but fold to nothing, so they are no word.
    assert same_words(text_words(text), plain_text_words(text))


def test_folded_words_of_the_real_talks() -> None:
    from tests.relevance.realdata import find_realdata, read_rows
    path = find_realdata()
    if path is None:
        pytest.skip("the real talks are not reachable")
    for row in read_rows(path):
        for text in (row.get("title") or "", row.get("abstract") or ""):
            assert folded_words(text) == [token.folded for token in word_tokens(text)]
            assert same_words(text_words(text), plain_text_words(text))


def test_long_prefixes_expand_to_the_words_every_segment_lists(built) -> None:
    _talks, _one, many = built
    many.search("warm")
    opened = many._open
    leaves = opened.searcher.reader().leaf_readers()
    for gram in ("cont", "conte", "contenedor", "late", "migr", "serv", "inci", "tama", "zzzz", "the"):
        expected = sorted({word.decode() for leaf, _ in leaves for word in leaf.expand_prefix("abstract", gram)})
        assert opened._abstract_words_starting(gram) == expected
        assert opened.is_indexed_prefix(gram) == bool(expected or ("prefix_title", gram) in opened.searcher.reader())


def test_prefixes_expand_without_a_vocabulary_file(built, tmp_path: Path) -> None:
    talks, one, _many = built
    index = TalkIndex(tmp_path)
    index.rebuild(talks)
    (index.directory / "current" / "vocabulary.json").unlink()
    index.search("warm")
    one.search("warm")
    assert index._open.vocabulary.is_empty()
    for gram in ("cont", "conte", "late", "migr", "zzzz"):
        assert index._open._abstract_words_starting(gram) == one._open._abstract_words_starting(gram)
    for query in ("cont", "latenc", "migr"):
        assert [hit.slug for hit in index.search(query).hits] == [hit.slug for hit in one.search(query).hits]
    index.close()


def test_the_sorted_vocabulary_follows_added_words() -> None:
    vocabulary = Vocabulary.of_words(["contra", "container", "kubernetes"])
    assert vocabulary.starting_with("cont") == ["container", "contra"]
    vocabulary.add(["contenedor", "continua"])
    assert vocabulary.starting_with("cont") == ["container", "contenedor", "continua", "contra"]
    assert vocabulary.starting_with("zz") == [] and vocabulary.starting_with("") == sorted(
        ["contra", "container", "kubernetes", "contenedor", "continua"])


def test_word_frequencies_are_the_readers(built) -> None:
    _talks, _one, many = built
    many.search("warm")
    opened = many._open
    reader = opened.searcher.reader()
    for word in ("kubernetes", "the", "ana", "lopez", "zzz", "kubernets", "tamano"):
        expected = sum(reader.doc_frequency(name, word) for name in ("title", "speakers", "abstract"))
        assert opened.word_frequency(word) == expected
        assert opened.word_frequency(word) == expected  # cached
        assert opened.is_indexed(word) == any((name, word) in reader for name in ("title", "speakers", "abstract"))


def test_stored_rows_are_the_stored_fields_and_stay_bounded(built, monkeypatch: pytest.MonkeyPatch) -> None:
    _talks, _one, many = built
    monkeypatch.setattr(reader_module, "ROW_CACHE_SIZE", 16)
    many.search("warm")
    opened = many._open
    opened.forget_words()
    docnums = [5, 0, 399, 5, 17, 200, 5] + list(range(40))
    expected = [(fields["slug"], fields.get("title", ""), fields.get("abstract", ""))
                for fields in map(opened.searcher.stored_fields, docnums)]
    assert opened.stored_rows(docnums) == expected
    assert opened.stored_rows(docnums) == expected
    assert len(opened._rows) <= 16


def test_nothing_cached_outlives_a_change_to_the_talks(tmp_path: Path) -> None:
    talks = corpus(60)
    index = TalkIndex(tmp_path)
    index.rebuild(talks)
    target = talks[10]
    assert index.search(target.slug).total == 0
    before = index.search("kubernetes", per_page=100)
    assert index.search("zebrafish").total == 0 and index.search("zebr").total == 0
    changed = IndexedTalk(target.slug, "Zebrafish kubernetes " + target.title, target.abstract + " zebrafishing",
                          target.speakers, target.lang, target.date_key)
    index.apply([changed], [talks[11].slug])
    after = index.search("kubernetes", per_page=100)
    assert talks[11].slug not in [hit.slug for hit in after.hits]
    shown = {hit.slug: "".join(text for text, _ in hit.title) for hit in after.hits}
    assert shown[target.slug].startswith("Zebrafish kubernetes")
    assert index.search("zebrafish").total == 1
    assert [hit.slug for hit in index.search("zebr").hits] == [target.slug]
    assert index._open.word_frequency("zebrafishing") == 1
    assert after.total == before.total - ("kubernetes" in folded_words(talks[11].title + " " + talks[11].abstract))\
        + ("kubernetes" not in folded_words(target.title + " " + target.abstract))
    index.close()


# \u037a and \ufe70 match the word pattern but fold to nothing, so they are no word.
ODD_TEXTS = ["", "  ", "\u037a", "uno \u037a dos \ufe70 tres " * 30, "\ufe70 kubernetes " + "relleno " * 60 + "final.",
             "¿Qué? " + "palabra " * 34 + "kubernetes, al fin.", "kubernetes " * 3]


def test_snippets_show_what_the_plain_reading_of_the_abstract_shows(monkeypatch) -> None:
    """Snippets from the cached words and spans (read twice, so the second comes from the cache) equal the
    uncached reading through word_tokens, lone marks that fold to nothing included."""
    from meetup.search import highlight
    from meetup.search.highlight import MatchRule, snippet_segments
    from meetup.search.query import parse_query
    from tests.relevance.realdata import find_realdata, read_rows
    path = find_realdata()
    texts = ODD_TEXTS + ([row.get("abstract") or "" for row in read_rows(path)] if path else [])
    texts += [talk.abstract for talk in corpus(100)]
    queries = ["kubernetes", "kub", "the", "final", "tres", "dos", "observability incident", "zzz", "la de"]
    rules = [MatchRule.for_query(parse_query(query)) for query in queries]
    cached = [[snippet_segments(text, rule) for text in texts] for rule in rules]
    cached_again = [[snippet_segments(text, rule) for text in texts] for rule in rules]
    monkeypatch.setattr(highlight, "text_words", plain_text_words)
    monkeypatch.setattr(highlight, "text_folded", lambda text: plain_text_words(text).folded)
    monkeypatch.setattr(highlight, "_words", highlight._words.__wrapped__)
    plain = [[snippet_segments(text, rule) for text in texts] for rule in rules]
    assert cached == cached_again == plain
    # The window holds the match where there is one: "final" ends the long odd text.
    assert any(highlighted and "final" in fragment for fragment, highlighted in cached[3][4])
