"""Per-document columns of an open generation: newest-first order, years and field lengths.

Read once per searcher from Whoosh's columns into numpy arrays (whoosh_adapter.column_values); OpenGeneration holds the
arrays (and drops them when its searcher changes), this mixin computes them.
"""

from __future__ import annotations

import numpy as np

from .whoosh_adapter import column_values


class DocumentColumns:
    """Orders and per-document numbers, computed on first use for the generation's searcher."""

    def date_rank(self) -> np.ndarray:
        """Return each docnum's place in newest-first order (unknown dates last, then docnum)."""
        if self._date_rank is None:
            dates = column_values(self.searcher.reader(), "date_key", np.int64)
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
            dates = column_values(self.searcher.reader(), "date_key", np.int64)
            self._years = dates // 10000
        return self._years

    def year_counts(self, matching: np.ndarray) -> dict[int, int]:
        """Return how many of the matching docnums fall in each known year, newest year first."""
        # Counting by year number (bincount) instead of sorting the matches' years (np.unique): linear.
        counts = np.bincount(self.years()[matching])
        found = np.flatnonzero(counts)
        return {int(year): int(counts[year]) for year in found[::-1] if year > 0}

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Return the number of words of one text field (title, speakers, abstract) in each document."""
        if fieldname not in self._lengths:
            self._lengths[fieldname] = column_values(self.searcher.reader(), f"{fieldname}_words", np.float32)
        return self._lengths[fieldname]
