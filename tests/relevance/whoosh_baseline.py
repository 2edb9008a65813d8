"""Stock Whoosh BM25F over the same talks: the engine a team would set up from Whoosh's documentation.

What was chosen, all from Whoosh's public API with its defaults:
- analysis: `StemmingAnalyzer()` (English Porter stemmer and stop words, lowercase) followed by
  `CharsetFilter(accent_map)` for title and abstract, so "Monitorización" and "monitorizacion" meet;
  speakers get `StandardAnalyzer(stoplist=None)` with the same accent folding;
- fields and boosts: title ×2.5, speakers ×1.5, abstract ×1 (`field_boost`), scored by `BM25F()`
  (B 0.75, K1 1.2);
- query: `MultifieldParser` over the three fields with the default AND of the words; when no talk has
  every word the same text is parsed again with `OrGroup` (any word), as a site would fall back;
- the last word is also a prefix, as in search-as-you-type: it becomes `(word OR word*)`, so a whole
  word is still scored by BM25F while a half-typed one matches longer words (Whoosh scores a prefix
  match as a constant).
Ties keep index order (the order the talks were added).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from whoosh import index, qparser, scoring
from whoosh.analysis import CharsetFilter, StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.support.charset import accent_map

_SYNTAX = re.compile(r"[()\"'*?:^~\[\]{}+]")


def schema() -> Schema:
    """Return the baseline's schema: slug stored, title and speakers boosted over the abstract."""
    text = StemmingAnalyzer() | CharsetFilter(accent_map)
    names = StandardAnalyzer(stoplist=None) | CharsetFilter(accent_map)
    return Schema(slug=ID(stored=True, unique=True), title=TEXT(analyzer=text, field_boost=2.5),
                  speakers=TEXT(analyzer=names, field_boost=1.5), abstract=TEXT(analyzer=text))


class WhooshBaseline:
    """A Whoosh BM25F index of the talks in a directory of its own."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.ix = index.create_in(str(directory), schema())

    def build(self, talks: Iterable) -> int:
        """Index every talk (anything with slug, title, speakers and abstract) and return the count."""
        writer = self.ix.writer()
        count = 0
        for talk in talks:
            writer.add_document(slug=talk.slug, title=talk.title, speakers="\n".join(talk.speakers),
                                abstract=talk.abstract or "")
            count += 1
        writer.commit()
        return count

    @staticmethod
    def query_text(text: str) -> str | None:
        """Return the text in the parser's syntax: visitor punctuation removed, the last word a prefix."""
        words = _SYNTAX.sub(" ", text).split()
        # Lowercased, AND, OR and NOT are plain words to the parser rather than operators.
        words = [word.lower() if word.upper() in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE") else word
                 for word in words]
        if not words:
            return None
        last = words[-1]
        return " ".join(words[:-1] + [f"({last} OR {last}*)"])

    def search(self, text: str, limit: int = 10) -> list[str]:
        """Return the slugs of the best talks for text, best first."""
        parsed_text = self.query_text(text)
        if parsed_text is None:
            return []
        fields = ["title", "speakers", "abstract"]
        with self.ix.searcher(weighting=scoring.BM25F()) as searcher:
            for group in (qparser.AndGroup, qparser.OrGroup):
                parser = qparser.MultifieldParser(fields, self.ix.schema, group=group)
                results = searcher.search(parser.parse(parsed_text), limit=limit)
                if len(results):
                    return [hit["slug"] for hit in results]
        return []
