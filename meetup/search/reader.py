"""Read side of one open index generation: document masks and date order.

Searches run on numpy masks over document numbers rather than through Whoosh's scorer:
a term's postings are decoded a block at a time straight into a mask, so a search costs
a few array operations per word whatever the number of matching talks.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import FileIndex
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Query
from whoosh.searching import Searcher

from .analysis import ABSTRACT_GRAM_MAX, PREFIX_MAX, TEXT_FIELDS
from .vocabulary import Vocabulary

LANGS = ("en", "es")
# Words whose masks are kept per open generation; typing repeats the same words and prefixes.
WORD_CACHE_SIZE = 256
# Terms whose documents are kept (a packed bit per talk): the next keystroke reuses most of them.
TERM_CACHE_SIZE = 1024
_generation_ids = itertools.count(1)


@dataclass(frozen=True)
class WordMasks:
    """Where one searched word occurs: in titles, in speaker names, anywhere (packed bit masks)."""

    title: np.ndarray
    speakers: np.ndarray
    anywhere: np.ndarray
    count: int


def _posting_ids(matcher: Any) -> Iterable[np.ndarray]:
    """Yield a term's docnums a block at a time, ignoring any deletion filter."""
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if type(raw) is not W3LeafMatcher or raw._byteids:
        yield np.fromiter(raw.all_ids(), dtype=np.int64)
        return
    while not raw._atend:
        if raw._data is None:
            raw._read_data()
        # Blocks store the gaps between docnums: a running sum restores them.
        yield np.cumsum(np.asarray(raw._data[0], dtype=np.int64))
        raw._next_block()


@dataclass
class OpenGeneration:
    """The searcher of the live generation plus masks and orders cached for that searcher."""

    name: str
    index: FileIndex
    searcher: Searcher
    directory: Path
    vocabulary: Vocabulary
    # Changes whenever the searcher does, so caches keyed on it never serve an older commit.
    token: int = field(default_factory=lambda: next(_generation_ids))
    _live: np.ndarray | None = None
    _lang: dict[str, np.ndarray] = field(default_factory=dict)
    _date_rank: np.ndarray | None = None
    _newest_first: dict[str | None, np.ndarray] = field(default_factory=dict)
    _title_words: np.ndarray | None = None
    _years: np.ndarray | None = None
    _words: OrderedDict = field(default_factory=OrderedDict)
    _terms: OrderedDict = field(default_factory=OrderedDict)

    @classmethod
    def open(cls, name: str, index: FileIndex, directory: Path) -> OpenGeneration:
        """Open a searcher and the vocabulary of a generation."""
        # The vocabulary first: applies write it before committing the talks that use it.
        vocabulary = Vocabulary.read(directory)
        return cls(name=name, index=index, searcher=index.searcher(), directory=directory,
                   vocabulary=vocabulary)

    def refresh_if_stale(self) -> None:
        """Switch to the latest commit of this generation after an in-place apply."""
        if self.searcher.up_to_date():
            return
        self.vocabulary = Vocabulary.read(self.directory)
        # Not Searcher.refresh(): its reader reuse re-adds segments merged away since.
        stale, self.searcher = self.searcher, self.index.searcher()
        stale.close()
        self.token = next(_generation_ids)
        self._live, self._lang, self._date_rank, self._newest_first = None, {}, None, {}
        self._title_words = self._years = None
        self.forget_words()

    def forget_words(self) -> None:
        """Drop the cached masks of words and terms."""
        self._words, self._terms = OrderedDict(), OrderedDict()

    def close(self) -> None:
        """Release the searcher's files."""
        self.searcher.close()
        self.index.close()

    # --- masks ---------------------------------------------------------------

    @property
    def size(self) -> int:
        """Return the number of document numbers, deleted ones included."""
        return self.searcher.reader().doc_count_all()

    def live(self) -> np.ndarray:
        """Return the mask of live (undeleted) documents."""
        if self._live is None:
            live = np.ones(self.size, dtype=bool)
            for leaf, base in self.searcher.reader().leaf_readers():
                if leaf.has_deletions():
                    deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                    live[deleted + base] = False
            self._live = live
        return self._live

    def term_mask(self, terms: Iterable[tuple[str, str]]) -> np.ndarray:
        """Return the mask of live documents holding any of the (field, term) pairs."""
        packed = np.zeros((self.size + 7) // 8, dtype=np.uint8)
        for term in terms:
            packed |= self._packed_term(term)
        return self.unpack(packed) & self.live()

    def _packed_term(self, term: tuple[str, str]) -> np.ndarray:
        """Return the packed mask of the documents holding one term, cached per searcher."""
        cached = self._terms.get(term)
        if cached is not None:
            self._terms.move_to_end(term)
            return cached
        mask = np.zeros(self.size, dtype=bool)
        fieldname, text = term
        for leaf, base in self.searcher.reader().leaf_readers():
            if term in leaf:
                for ids in _posting_ids(leaf.postings(fieldname, text)):
                    mask[ids + base if base else ids] = True
        packed = self._terms[term] = np.packbits(mask)
        if len(self._terms) > TERM_CACHE_SIZE:
            self._terms.popitem(last=False)
        return packed

    def query_mask(self, query: Query) -> np.ndarray:
        """Return the mask of live documents matching a Whoosh query (used for phrases)."""
        mask = np.zeros(self.size, dtype=bool)
        docnums = np.fromiter(query.docs(self.searcher), dtype=np.int64)
        mask[docnums] = True
        return mask & self.live()

    def lang_mask(self, code: str) -> np.ndarray:
        """Return the mask of live documents in one language."""
        if code not in self._lang:
            self._lang[code] = self.term_mask([("lang", code)])
        return self._lang[code]

    def word_masks(self, word: str, as_prefix: bool) -> WordMasks:
        """Return where a word (in any of its forms, or as a typed prefix) occurs, cached per searcher."""
        key = (word, as_prefix)
        cached = self._words.get(key)
        if cached is not None:
            self._words.move_to_end(key)
            return cached
        forms = self.vocabulary.forms(word)
        title_terms = [("title", form) for form in forms]
        abstract_terms = [("abstract", form) for form in forms]
        if as_prefix:
            gram = word[:PREFIX_MAX]
            title_terms.append(("prefix_title", gram))
            abstract_terms.extend(self._abstract_prefix_terms(gram))
        title = self.term_mask(title_terms)
        speakers = self.term_mask([("speakers", form) for form in forms])
        anywhere = title | speakers | self.term_mask(abstract_terms)
        masks = WordMasks(np.packbits(title), np.packbits(speakers), np.packbits(anywhere),
                          int(np.count_nonzero(anywhere)))
        self._words[key] = masks
        if len(self._words) > WORD_CACHE_SIZE:
            self._words.popitem(last=False)
        return masks

    def _abstract_prefix_terms(self, gram: str) -> list[tuple[str, str]]:
        """List the terms finding abstracts with a word starting with gram."""
        if len(gram) <= ABSTRACT_GRAM_MAX:
            return [("prefix_abstract", gram)]
        # Longer prefixes: the few abstract words starting with them.
        words = {
            word
            for leaf, _ in self.searcher.reader().leaf_readers()
            for word in leaf.expand_prefix("abstract", gram)
        }
        return [("abstract", word.decode("utf-8")) for word in sorted(words)]

    def unpack(self, packed: np.ndarray) -> np.ndarray:
        """Return the boolean mask of a packed one."""
        return np.unpackbits(packed, count=self.size).view(bool)

    # --- orders and columns --------------------------------------------------

    def date_rank(self) -> np.ndarray:
        """Return each docnum's place in newest-first order (unknown dates last, then docnum)."""
        if self._date_rank is None:
            dates = np.fromiter(self.searcher.reader().column_reader("date_key"), dtype=np.int64,
                                count=self.size)
            order = np.lexsort((np.arange(self.size), -dates))
            rank = np.empty(self.size, dtype=np.int64)
            rank[order] = np.arange(self.size)
            self._date_rank = rank
            self._newest_first[None] = order[self.live()[order]]
        return self._date_rank

    def newest_first(self, lang: str | None) -> np.ndarray:
        """Return live docnums (of one language, or all) newest first."""
        self.date_rank()
        if lang not in self._newest_first:
            everything = self._newest_first[None]
            self._newest_first[lang] = everything[self.lang_mask(lang)[everything]]
        return self._newest_first[lang]

    def years(self) -> np.ndarray:
        """Return each docnum's year (0 when the date is unknown)."""
        if self._years is None:
            dates = np.fromiter(self.searcher.reader().column_reader("date_key"), dtype=np.int64,
                                count=self.size)
            self._years = dates // 10000
        return self._years

    def year_counts(self, matching: np.ndarray) -> dict[int, int]:
        """Return how many of the matching docnums fall in each known year, newest year first."""
        years = self.years()[matching]
        found, counts = np.unique(years[years > 0], return_counts=True)
        return {int(year): int(count) for year, count in sorted(zip(found, counts), reverse=True)}

    def title_words(self) -> np.ndarray:
        """Return the number of words in each title."""
        if self._title_words is None:
            self._title_words = np.fromiter(self.searcher.reader().column_reader("title_words"),
                                            dtype=np.int64, count=self.size)
        return self._title_words

    def stored_rows(self, docnums: Iterable[int]) -> list[tuple[str, str, str]]:
        """Read slug, title and abstract of each docnum."""
        rows = []
        for docnum in docnums:
            stored = self.searcher.stored_fields(int(docnum))
            rows.append((stored["slug"], stored.get("title", ""), stored.get("abstract", "")))
        return rows

    # --- words of the index ----------------------------------------------------

    def is_indexed(self, word: str) -> bool:
        """Return whether the folded word itself occurs in some title, speaker name or abstract."""
        reader = self.searcher.reader()
        return any((fieldname, word) in reader for fieldname in TEXT_FIELDS)

    def word_frequency(self, word: str) -> int:
        """Return in how many fields of talks the folded word itself occurs."""
        reader = self.searcher.reader()
        return sum(reader.doc_frequency(fieldname, word) for fieldname in TEXT_FIELDS)

    def is_indexed_prefix(self, gram: str) -> bool:
        """Return whether some indexed word starts with gram."""
        reader = self.searcher.reader()
        if ("prefix_title", gram) in reader:
            return True
        if len(gram) <= ABSTRACT_GRAM_MAX:
            return ("prefix_abstract", gram) in reader
        return any(next(iter(leaf.expand_prefix("abstract", gram)), None) is not None
                   for leaf, _ in reader.leaf_readers())
