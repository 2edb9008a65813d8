"""Read side of one open index generation: doc sets for exact counts, date order, spelling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import FileIndex
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.support.levenshtein import damerau_levenshtein

from meetup.search_analysis import PREFIX_FIELDS, PREFIX_MAX, TEXT_FIELDS

LANGS = ("en", "es")
# One edit in a shorter word is too likely to be another real word to call it a typo.
MIN_TYPO_LENGTH = 5


def docs_with_any(searcher: Searcher, terms: list[tuple[str, str]]) -> frozenset[int]:
    """Return the live docnums containing any of the (field, term) pairs."""
    docnums: set[int] = set()
    for leaf, base in searcher.reader().leaf_readers():
        for fieldname, text in terms:
            if (fieldname, text) not in leaf:
                continue
            found = _posting_docnums(leaf.postings(fieldname, text))
            if leaf.has_deletions():
                found -= leaf.deleted_docs_set
            docnums.update(found if base == 0 else (base + docnum for docnum in found))
    return frozenset(docnums)


def _posting_docnums(matcher: Any) -> set[int]:
    """Read every docnum of a term's postings, ignoring any deletion filter."""
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if type(raw) is not W3LeafMatcher:
        return set(raw.all_ids())
    docnums: set[int] = set()
    # Whole decoded blocks: one Python step per block instead of several per posting.
    while not raw._atend:
        raw._read_ids()
        docnums.update(raw._ids)
        raw._next_block()
    return docnums


@dataclass
class OpenGeneration:
    """The searcher of the live generation plus doc sets cached for that searcher."""

    name: str
    index: FileIndex
    searcher: Searcher
    _lang_docs: dict[str, frozenset[int]] = field(default_factory=dict)
    _live_docs: frozenset[int] | None = None
    _newest_first: dict[str | None, list[int]] = field(default_factory=dict)

    @classmethod
    def open(cls, name: str, index: FileIndex) -> OpenGeneration:
        """Open a searcher on the index of a generation."""
        return cls(name=name, index=index, searcher=index.searcher())

    def refresh_if_stale(self) -> None:
        """Switch to the latest commit of this generation after an in-place apply."""
        if self.searcher.up_to_date():
            return
        # Not Searcher.refresh(): its reader reuse re-adds segments merged away since.
        stale, self.searcher = self.searcher, self.index.searcher()
        stale.close()
        self._lang_docs, self._live_docs, self._newest_first = {}, None, {}

    def close(self) -> None:
        """Release the searcher's files."""
        self.searcher.close()
        self.index.close()

    def lang_docs(self) -> dict[str, frozenset[int]]:
        """Return the docnums of each language."""
        if not self._lang_docs:
            self._lang_docs = {code: docs_with_any(self.searcher, [("lang", code)]) for code in LANGS}
        return self._lang_docs

    def live_docs(self) -> frozenset[int]:
        """Return the docnums of all live (undeleted) talks."""
        if self._live_docs is None:
            self._live_docs = frozenset(self.searcher.reader().all_doc_ids())
        return self._live_docs

    def newest_first(self, lang: str | None) -> list[int]:
        """Return live docnums (of one language, or all) newest first, unknown dates last."""
        if None not in self._newest_first:
            dates = list(self.searcher.reader().column_reader("date_key"))
            self._newest_first[None] = sorted(self.live_docs(), key=lambda docnum: (-dates[docnum], docnum))
        if lang not in self._newest_first:
            in_lang = self.lang_docs()[lang]
            self._newest_first[lang] = [docnum for docnum in self._newest_first[None] if docnum in in_lang]
        return self._newest_first[lang]

    def stored_rows(self, docnums: list[int]) -> list[tuple[str, str, str]]:
        """Read slug, title and abstract of each docnum."""
        rows = []
        for docnum in docnums:
            stored = self.searcher.stored_fields(docnum)
            rows.append((stored["slug"], stored.get("title", ""), stored.get("abstract", "")))
        return rows

    def _neighbours(self, word: str, max_distance: int) -> list[str]:
        """List indexed unstemmed words within max_distance edits, nearest then most frequent first."""
        reader = self.searcher.reader()
        candidates = {
            candidate
            for leaf, _ in reader.leaf_readers()
            for fieldname in TEXT_FIELDS
            # Sharing the first letter keeps the Levenshtein walk over the vocabulary small.
            for candidate in leaf.terms_within(fieldname, word, max_distance, prefix=1)
            if candidate != word
        }

        def rank(candidate: str) -> tuple[int, int, str]:
            frequency = sum(reader.doc_frequency(fieldname, candidate) for fieldname in TEXT_FIELDS)
            return damerau_levenshtein(word, candidate), -frequency, candidate

        return sorted(candidates, key=rank)

    def closest_word(self, word: str) -> str | None:
        """Return the indexed unstemmed word nearest to word, by edit distance then frequency."""
        if len(word) < 3 or word.isdigit():
            return None
        neighbours = self._neighbours(word, 1 if len(word) <= 4 else 2)
        return neighbours[0] if neighbours else None

    def misspelling_of(self, word: str, as_prefix: bool) -> str | None:
        """Return the indexed word this unknown word is one typo away from, if any.

        Stems alone would let "kubernets" match "kubernetes" (both stem to "kubernet"),
        hiding the typo; an edit that is an inflection (see is_inflection) is not a typo.
        """
        reader = self.searcher.reader()
        if len(word) < MIN_TYPO_LENGTH or any((field, word) in reader for field in TEXT_FIELDS):
            return None
        if as_prefix and any((field, word[:PREFIX_MAX]) in reader for field in PREFIX_FIELDS):
            return None
        neighbours = self._neighbours(word, 1)
        if not neighbours or any(is_inflection(word, neighbour) for neighbour in neighbours):
            return None
        return neighbours[0]


def is_inflection(word: str, other: str) -> bool:
    """Return whether two words one edit apart differ only by a plural -s, a feminine -a or an a/e/o ending."""
    shorter, longer = sorted((word, other), key=len)
    if longer in (shorter + "s", shorter + "a"):
        return True
    if len(word) != len(other) or not word:
        return False
    # The vowel before a shared plural -s counts too: escalados/escaladas.
    position = len(word) - (2 if word.endswith("s") and other.endswith("s") else 1)
    return (word[:position] == other[:position] and word[position + 1:] == other[position + 1:]
            and word[position] in "aeo" and other[position] in "aeo")
