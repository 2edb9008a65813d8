"""Read side of one open index generation: document masks and date order.

Searches run on numpy arrays over document numbers rather than through Whoosh's scorer:
a term's postings are decoded a block at a time into arrays of docnums and frequencies,
so a search costs a few array operations per word whatever the number of matching talks.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, TypeVar

import numpy as np
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from .analysis import ABSTRACT_GRAM_MAX, PREFIX_MAX, TEXT_FIELDS
from .columns import DocumentColumns
from .functionwords import is_function_word
from .postings import Postings, WordMasks, at_least_once, summed
from .vocabulary import Vocabulary
from .whoosh_adapter import deleted_docnums, posting_blocks

# Words whose masks are kept per open generation; typing repeats the same words and prefixes.
WORD_CACHE_SIZE = 256
# Postings kept per open generation, counted in documents: the next keystroke reuses most terms.
TERM_CACHE_POSTINGS = 4_000_000
# Stored rows (slug, title, abstract) kept per open generation: consecutive keystrokes show the same talks.
ROW_CACHE_SIZE = 4096
# Word frequencies kept per open generation for spelling decisions (a few per keystroke).
FREQUENCY_CACHE_SIZE = 20_000
# A folder changed this recently may change again within the same tick of its clock.
RACY_NS = 3_000_000_000
_generation_ids = itertools.count(1)
T = TypeVar("T")


@dataclass
class OpenGeneration(DocumentColumns):
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
    _lengths: dict[str, np.ndarray] = field(default_factory=dict)
    _years: np.ndarray | None = None
    _words: OrderedDict = field(default_factory=OrderedDict)
    _terms: OrderedDict = field(default_factory=OrderedDict)
    _cached_postings: int = 0
    _derived: dict = field(default_factory=dict)
    _rows: OrderedDict = field(default_factory=OrderedDict)
    _frequencies: dict = field(default_factory=dict)
    # The generation folder's modification time when the searcher was last found current.
    _unchanged_at: int | None = None

    @classmethod
    def open(cls, name: str, index: FileIndex, directory: Path,
             previous: OpenGeneration | None = None) -> OpenGeneration:
        """Open a searcher and the vocabulary of a generation (previous's, when the file is the same)."""
        # The vocabulary first: applies write it before committing the talks that use it.
        vocabulary = Vocabulary.read(directory, previous.vocabulary if previous is not None else None)
        return cls(name=name, index=index, searcher=index.searcher(), directory=directory,
                   vocabulary=vocabulary)

    def refresh_if_stale(self) -> None:
        """Switch to the latest commit of this generation after an in-place apply.

        Whoosh's check lists the generation's files (28 µs a search at 10,000 talks); a commit adds
        files, so while the folder's modification time stays what it was at the last check the
        searcher is current (4 µs). A time within RACY_NS of the clock is not trusted, since another
        change in the same tick of a coarse filesystem clock would not move it (git's racy-clean rule).
        """
        try:
            stamp = os.stat(self.directory).st_mtime_ns
        except OSError:
            stamp = None
        if stamp is not None and stamp == self._unchanged_at:
            return
        if self.searcher.up_to_date():
            if stamp is not None and time.time_ns() - stamp > RACY_NS:
                self._unchanged_at = stamp
            return
        self._unchanged_at = None
        self.vocabulary = Vocabulary.read(self.directory, self.vocabulary)
        # Not Searcher.refresh(): its reader reuse re-adds segments merged away since.
        stale, self.searcher = self.searcher, self.index.searcher()
        stale.close()
        self.token = next(_generation_ids)
        self._live, self._lang, self._date_rank, self._newest_first = None, {}, None, {}
        self._lengths, self._years, self._derived = {}, None, {}
        self.forget_words()

    def forget_words(self) -> None:
        """Drop the cached masks of words and terms and the stored rows read."""
        self._words, self._terms, self._cached_postings = OrderedDict(), OrderedDict(), 0
        self._rows, self._frequencies = OrderedDict(), {}

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
                    live[deleted_docnums(leaf) + base] = False
            self._live = live
        return self._live

    def term_mask(self, terms: Iterable[tuple[str, str]]) -> np.ndarray:
        """Return the mask of live documents holding any of the (field, term) pairs."""
        mask = np.zeros(self.size, dtype=bool)
        for term in terms:
            mask[self.postings(term).ids] = True
        return mask & self.live()

    def postings(self, term: tuple[str, str]) -> Postings:
        """Return the documents holding one (field, term) and its frequency in each, cached per searcher."""
        cached = self._terms.get(term)
        if cached is not None:
            self._terms.move_to_end(term)
            return cached
        fieldname, text = term
        ids, frequencies = [], []
        for leaf, base in self.searcher.reader().leaf_readers():
            if term in leaf:
                for block_ids, block_frequencies in posting_blocks(leaf.postings(fieldname, text)):
                    ids.append(block_ids + base if base else block_ids)
                    frequencies.append(block_frequencies)
        found = Postings(np.concatenate(ids), np.concatenate(frequencies)) if ids else Postings.empty()
        self._terms[term] = found
        self._cached_postings += len(found)
        while self._cached_postings > TERM_CACHE_POSTINGS and len(self._terms) > 1:
            _, dropped = self._terms.popitem(last=False)
            self._cached_postings -= len(dropped)
        return found

    def lang_mask(self, code: str) -> np.ndarray:
        """Return the mask of live documents in one language."""
        if code not in self._lang:
            self._lang[code] = self.term_mask([("lang", code)])
        return self._lang[code]

    def word_masks(self, word: str, as_prefix: bool, exact: bool = False) -> WordMasks:
        """Return where a word (in any of its forms, or as a typed prefix) occurs, cached per searcher.

        Names are not inflected: in the speakers field only the word itself (or the typed prefix) counts,
        so "chaos" does not find the speaker Chao. With exact, the other fields take the word alone too.
        """
        key = (word, as_prefix, exact)
        cached = self._words.get(key)
        if cached is not None:
            self._words.move_to_end(key)
            return cached
        # A function word is never a form of another word ("con" of "cono").
        forms = [word] if exact else [form for form in self.vocabulary.forms(word)
                                      if form == word or not is_function_word(form)]
        size = self.size
        title = summed((self.postings(("title", form)) for form in forms), size)
        speakers = self.postings(("speakers", word))
        abstract_terms = dict.fromkeys(("abstract", form) for form in forms)
        grams: list[tuple[str, str]] = []
        if as_prefix:
            gram = word[:PREFIX_MAX]
            # Title grams cover speaker names too; a typed prefix counts as one occurrence.
            title = at_least_once(title, self.term_mask([("prefix_title", gram)]))
            for term in self._abstract_prefix_terms(gram):
                if term[0] == "prefix_abstract":
                    grams.append(term)
                else:
                    abstract_terms.setdefault(term)
        abstract = summed((self.postings(term) for term in abstract_terms), size)
        if grams:
            abstract = at_least_once(abstract, self.term_mask(grams))
        masks = WordMasks.of(title, speakers, abstract, self.live())
        self._words[key] = masks
        if len(self._words) > WORD_CACHE_SIZE:
            self._words.popitem(last=False)
        return masks

    def _abstract_prefix_terms(self, gram: str) -> list[tuple[str, str]]:
        """List the terms finding abstracts with a word starting with gram."""
        if len(gram) <= ABSTRACT_GRAM_MAX:
            return [("prefix_abstract", gram)]
        # Longer prefixes: the few abstract words starting with them.
        return [("abstract", word) for word in self._abstract_words_starting(gram)]

    def _abstract_words_starting(self, gram: str) -> list[str]:
        """List the indexed abstract words starting with gram, in order."""
        reader = self.searcher.reader()
        if self.vocabulary.is_empty():
            # No vocabulary file (it was unreadable): ask every segment's term list.
            words = {word for leaf, _ in reader.leaf_readers() for word in leaf.expand_prefix("abstract", gram)}
            return [word.decode("utf-8") for word in sorted(words)]
        # The vocabulary lists every indexed word of every field: a bisect in it, then a lookup
        # per candidate, instead of a walk through each segment's terms.
        return [word for word in self.vocabulary.starting_with(gram) if ("abstract", word) in reader]

    def unpack(self, packed: np.ndarray) -> np.ndarray:
        """Return the boolean mask of a packed one."""
        return np.unpackbits(packed, count=self.size).view(bool)

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        """Return a value derived from this searcher's documents, computing it once per searcher."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def stored_rows(self, docnums: Iterable[int]) -> list[tuple[str, str, str]]:
        """Read slug, title and abstract of each docnum, cached per searcher."""
        rows = []
        cache = self._rows
        for docnum in docnums:
            docnum = int(docnum)
            row = cache.get(docnum)
            if row is None:
                stored = self.searcher.stored_fields(docnum)
                row = cache[docnum] = (stored["slug"], stored.get("title", ""), stored.get("abstract", ""))
                if len(cache) > ROW_CACHE_SIZE:
                    cache.popitem(last=False)
            else:
                cache.move_to_end(docnum)
            rows.append(row)
        return rows

    # --- words of the index ----------------------------------------------------

    def is_indexed(self, word: str) -> bool:
        """Return whether the folded word itself occurs in some title, speaker name or abstract."""
        # A term is listed only while some posting holds it, so a frequency of 0 means absent.
        return self.word_frequency(word) > 0

    def word_frequency(self, word: str) -> int:
        """Return in how many fields of talks the folded word itself occurs, cached per searcher."""
        found = self._frequencies.get(word)
        if found is None:
            reader = self.searcher.reader()
            found = self._frequencies[word] = sum(reader.doc_frequency(fieldname, word) for fieldname in TEXT_FIELDS)
            if len(self._frequencies) > FREQUENCY_CACHE_SIZE:
                self._frequencies.clear()
        return found

    def is_indexed_prefix(self, gram: str) -> bool:
        """Return whether some indexed word starts with gram."""
        reader = self.searcher.reader()
        if ("prefix_title", gram) in reader:
            return True
        if len(gram) <= ABSTRACT_GRAM_MAX:
            return ("prefix_abstract", gram) in reader
        return bool(self._abstract_words_starting(gram))
