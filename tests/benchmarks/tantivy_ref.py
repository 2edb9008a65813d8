"""An outside reference: tantivy (the Rust engine, through its Python bindings) over the same talks.

Benchmark only (a dev dependency): it answers what the site's engine answers for a keystroke
(every word in any field, the word being typed as a prefix, title above speakers above abstract,
any word when no talk has all of them), with a highlighted title and abstract snippet for one
page and the matches per language; it renders no page.
"""
from __future__ import annotations

import html
import re
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Iterable

import tantivy

from meetup.search import IndexedTalk

PREFIX_MIN = 2
PER_PAGE = 20
PREFIX_TERMS = 50
FIELDS = (("title", 3.0), ("speakers", 2.0), ("abstract", 1.0))
_WORD = re.compile(r"\w+")


def fold(word: str) -> str:
    """Lower-case and strip accents, as the index's analyzer does."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


class TantivyReference:
    """Talks in a tantivy index: simple tokens, lower-cased and ASCII-folded, BM25, snippets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        builder = tantivy.SchemaBuilder()
        for name, _ in FIELDS:
            builder.add_text_field(name, stored=True, tokenizer_name="fold")
        builder.add_text_field("lang", stored=True, fast=True, tokenizer_name="raw")
        builder.add_text_field("slug", stored=True, tokenizer_name="raw")
        builder.add_integer_field("date_key", fast=True)
        self.schema = builder.build()
        self.index: tantivy.Index | None = None

    def _open(self, path: Path) -> tantivy.Index:
        index = tantivy.Index(self.schema, path=str(path))
        analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                    .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
        index.register_tokenizer("fold", analyzer)
        return index

    def build(self, talks: Iterable[IndexedTalk]) -> tuple[int, float]:
        """Index every talk and return (count, seconds)."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        started = time.perf_counter()
        self.index = self._open(self.path)
        writer = self.index.writer(heap_size=200_000_000)
        count = 0
        for talk in talks:
            writer.add_document(tantivy.Document(
                title=talk.title, speakers="\n".join(talk.speakers), abstract=talk.abstract,
                lang=talk.lang, slug=talk.slug, date_key=talk.date_key))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count, time.perf_counter() - started

    def _word_query(self, searcher: tantivy.Searcher, word: str, prefix: bool) -> tantivy.Query:
        per_field = []
        for name, boost in FIELDS:
            # The typed prefix becomes its most frequent words, so snippets can mark them.
            terms = [term for term, _ in searcher.terms_with_prefix(name, word, limit=PREFIX_TERMS)] if prefix else [word]
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, name, term)) for term in terms])
            per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, boost)))
        return tantivy.Query.boolean_query(per_field)

    def query(self, searcher: tantivy.Searcher, text: str, any_word: bool = False) -> tantivy.Query | None:
        """Return the query for a box's text: every word, the one being typed as a prefix."""
        words = [fold(word) for word in _WORD.findall(text.replace("_", " "))[:8]]
        typing = bool(words) and not text[-1:].isspace()
        if typing and len(words[-1]) < PREFIX_MIN:
            words, typing = words[:-1], False
        if not words:
            return None
        occur = tantivy.Occur.Should if any_word else tantivy.Occur.Must
        return tantivy.Query.boolean_query(
            [(occur, self._word_query(searcher, word, typing and number == len(words) - 1))
             for number, word in enumerate(words)])

    def _lang_counts(self, searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, int]:
        found = searcher.aggregate(query, {"langs": {"terms": {"field": "lang"}}})
        return {bucket["key"]: bucket["doc_count"] for bucket in found["langs"]["buckets"]}

    def search(self, text: str, lang: str | None = None) -> tuple[int, list[tuple]]:
        """Return (total, one page of rows with highlighted title and snippet), as the site does."""
        searcher = self.index.searcher()
        query = self.query(searcher, text)
        if query is None:
            return self._newest_first(searcher, lang)
        counts = self._lang_counts(searcher, query)
        if not counts:
            query = self.query(searcher, text, any_word=True)
            counts = self._lang_counts(searcher, query)
        total = counts.get(lang, 0) if lang else sum(counts.values())
        shown = query
        if lang:
            shown = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, query),
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "lang", lang))])
        hits = searcher.search(shown, PER_PAGE, count=False).hits
        titles = tantivy.SnippetGenerator.create(searcher, query, self.schema, "title")
        titles.set_max_num_chars(300)
        snippets = tantivy.SnippetGenerator.create(searcher, query, self.schema, "abstract")
        snippets.set_max_num_chars(240)
        rows = []
        for _, address in hits:
            doc = searcher.doc(address)
            # A title without a match comes back empty: show it whole, as the site does.
            rows.append((doc["slug"][0], titles.snippet_from_doc(doc).to_html() or html.escape(doc["title"][0]),
                         snippets.snippet_from_doc(doc).to_html()))
        return total, rows

    def _newest_first(self, searcher: tantivy.Searcher, lang: str | None) -> tuple[int, list[tuple]]:
        """Return every talk's count and the newest page, as the site lists talks without a query."""
        everything = tantivy.Query.all_query()
        counts = self._lang_counts(searcher, everything)
        shown = tantivy.Query.term_query(self.schema, "lang", lang) if lang else everything
        hits = searcher.search(shown, PER_PAGE, count=False, order_by_field="date_key").hits
        rows = []
        for _, address in hits:
            doc = searcher.doc(address)
            rows.append((doc["slug"][0], doc["title"][0], doc["abstract"][0][:320]))
        return (counts.get(lang, 0) if lang else sum(counts.values())), rows

    def close(self) -> None:
        self.index = None
