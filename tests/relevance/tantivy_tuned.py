"""A tuned bilingual tantivy engine: what an expert would set up in Elasticsearch, as a stronger baseline.

What was chosen (tantivy's public API, version pinned in requirements-dev.txt):
- analysis: one accent-folded sub-field per text field (simple tokenizer, lowercase, ASCII folding) and two
  stemmed ones, Snowball English and Snowball Spanish, each after its language's stop words; speakers are
  folded only (names are not stemmed);
- per query word, the best of (a dis_max): the folded word in title ×3, speakers ×2, abstract ×1; its English
  and Spanish stems in the stemmed title ×2.4 and abstract ×0.8; and the folded word with Elasticsearch's
  AUTO fuzziness (no edit below 3 letters, 1 edit for 3-5, 2 from 6; a transposition counts 1) in title ×1.5,
  speakers ×1 and abstract ×0.5; scored by BM25 (tantivy's K1 1.2, B 0.75);
- the last word, while it is being typed (no space after it), is also a prefix: its 50 most frequent
  completions in each folded field, as `match_bool_prefix` does;
- function words (either language's stop list) are dropped from the query unless it has nothing else;
- every remaining word is required (`operator: and`); a phrase bonus (`match_phrase` with slop 2 over the
  folded title ×3 and abstract ×1) is added as a should clause;
- a short page (fewer than 10 talks with every word) is filled with the best talks that match any word
  (`minimum_should_match` 1), below the full matches.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Iterable

import tantivy

from tests.benchmarks.tantivy_ref import fold

FOLDED = {"title": 3.0, "speakers": 2.0, "abstract": 1.0}
STEMMED = {"title": 2.4, "abstract": 0.8}
FUZZY = 0.5
PHRASE = {"title": 3.0, "abstract": 1.0}
PHRASE_SLOP = 2
PREFIX_TERMS = 50
PREFIX_MIN = 2
LANGUAGES = ("english", "spanish")
_WORD = re.compile(r"\w+")


def auto_fuzziness(word: str) -> int:
    """Return the edits Elasticsearch's AUTO fuzziness allows for a word of this length."""
    return 0 if len(word) < 3 else 1 if len(word) < 6 else 2


def _analyzer(*filters) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
    builder = builder.filter(tantivy.Filter.ascii_fold())
    for one in filters:
        builder = builder.filter(one)
    return builder.build()


class TunedTantivy:
    """Talks in a tantivy index with folded, English-stemmed and Spanish-stemmed sub-fields."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.analyzers = {"fold": _analyzer()}
        for language in LANGUAGES:
            self.analyzers[language] = _analyzer(tantivy.Filter.stopword(language), tantivy.Filter.stemmer(language))
        self.stop_filters = [_analyzer(tantivy.Filter.stopword(language)) for language in LANGUAGES]
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("slug", stored=True, tokenizer_name="raw")
        for name in FOLDED:
            builder.add_text_field(f"{name}_fold", tokenizer_name="fold")
        for name in STEMMED:
            for language in LANGUAGES:
                builder.add_text_field(f"{name}_{language}", tokenizer_name=language)
        self.schema = builder.build()
        self.index: tantivy.Index | None = None

    def build(self, talks: Iterable) -> int:
        """Index every talk (anything with slug, title, speakers and abstract) and return the count."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(self.path))
        for name, analyzer in self.analyzers.items():
            self.index.register_tokenizer(name, analyzer)
        writer = self.index.writer(heap_size=50_000_000, num_threads=1)
        count = 0
        for talk in talks:
            texts = {"title": talk.title, "speakers": "\n".join(talk.speakers), "abstract": talk.abstract or ""}
            fields = {"slug": talk.slug}
            for name in FOLDED:
                fields[f"{name}_fold"] = texts[name]
            for name in STEMMED:
                for language in LANGUAGES:
                    fields[f"{name}_{language}"] = texts[name]
            writer.add_document(tantivy.Document(**fields))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def _word(self, searcher: tantivy.Searcher, word: str, prefix: bool) -> tantivy.Query:
        """Return the dis_max of one word's folded, stemmed, fuzzy and (when typed) prefix matches."""
        options = []
        for name, boost in FOLDED.items():
            field = f"{name}_fold"
            options.append(tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, field, word), boost))
            edits = auto_fuzziness(word)
            if edits:
                options.append(tantivy.Query.boost_query(
                    tantivy.Query.fuzzy_term_query(self.schema, field, word, distance=edits), boost * FUZZY))
            if prefix:
                terms = [term for term, _ in searcher.terms_with_prefix(field, word, limit=PREFIX_TERMS)]
                if terms:
                    options.append(tantivy.Query.boost_query(tantivy.Query.boolean_query(
                        [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, term))
                         for term in terms]), boost))
        for language in LANGUAGES:
            stems = self.analyzers[language].analyze(word)
            for name, boost in STEMMED.items():
                for stem in stems:
                    options.append(tantivy.Query.boost_query(
                        tantivy.Query.term_query(self.schema, f"{name}_{language}", stem), boost))
        return tantivy.Query.disjunction_max_query(options)

    def is_stop_word(self, word: str) -> bool:
        """Return whether either language's stop list holds the folded word."""
        return any(not stop.analyze(word) for stop in self.stop_filters)

    def _words(self, text: str) -> tuple[list[str], bool]:
        """Return the query's folded words without function words, and whether the last is being typed."""
        words = [fold(word) for word in _WORD.findall(text.replace("_", " "))][:8]
        typing = bool(words) and not text[-1:].isspace() and text[-1:].isalnum()
        if typing and len(words[-1]) < PREFIX_MIN:
            words, typing = words[:-1], False
        content = [word for word in words if not self.is_stop_word(word)]
        if content:
            typing = typing and content[-1] == words[-1]
            words = content
        return list(dict.fromkeys(words)), typing

    def search(self, text: str, limit: int = 10) -> list[str]:
        """Return the slugs of the best talks for text, best first: full matches, then partial ones."""
        words, typing = self._words(text)
        if not words:
            return []
        searcher = self.index.searcher()
        clauses = [self._word(searcher, word, typing and number == len(words) - 1)
                   for number, word in enumerate(words)]
        phrase = []
        if len(words) > 1:
            for name, boost in PHRASE.items():
                phrase.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(self.schema, f"{name}_fold", words, slop=PHRASE_SLOP), boost)))
        every = tantivy.Query.boolean_query([(tantivy.Occur.Must, clause) for clause in clauses] + phrase)
        found = [searcher.doc(address)["slug"][0] for _, address in searcher.search(every, limit).hits]
        if len(found) < limit and len(words) > 1:
            anyword = tantivy.Query.boolean_query([(tantivy.Occur.Should, clause) for clause in clauses] + phrase)
            for _, address in searcher.search(anyword, limit + len(found)).hits:
                slug = searcher.doc(address)["slug"][0]
                if slug not in found:
                    found.append(slug)
        return found[:limit]

    def close(self) -> None:
        self.index = None

