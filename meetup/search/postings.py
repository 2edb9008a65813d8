"""Where a searched word occurs: sparse docnum/frequency lists per field and packed masks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np


@dataclass(frozen=True)
class Postings:
    """Sorted, unique docnums and how often a word occurs in each."""

    ids: np.ndarray
    tf: np.ndarray

    @classmethod
    def empty(cls) -> Postings:
        """Return postings that hold no document."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))

    def __len__(self) -> int:
        return len(self.ids)

    def at(self, docnums: np.ndarray) -> np.ndarray:
        """Return the frequency at each of the sorted docnums (0 where the word is absent)."""
        if not len(self.ids) or not len(docnums):
            return np.zeros(len(docnums), dtype=np.float32)
        where = np.minimum(np.searchsorted(self.ids, docnums), len(self.ids) - 1)
        return np.where(self.ids[where] == docnums, self.tf[where], np.float32(0))

    def mask(self, size: int) -> np.ndarray:
        """Return the boolean mask of the documents holding the word."""
        mask = np.zeros(size, dtype=bool)
        mask[self.ids] = True
        return mask


def summed(parts: Iterable[Postings], size: int) -> Postings:
    """Return the postings of several terms counted as one word (frequencies add up)."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return Postings.empty()
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([part.ids for part in parts])
    totals = np.bincount(ids, weights=np.concatenate([part.tf for part in parts]), minlength=size)
    found = np.flatnonzero(totals)
    return Postings(found, totals[found].astype(np.float32))


def at_least_once(postings: Postings, mask: np.ndarray) -> Postings:
    """Return postings where every document of mask counts at least one occurrence."""
    if not mask.any():
        return postings
    totals = np.zeros(len(mask), dtype=np.float32)
    totals[postings.ids] = postings.tf
    totals = np.maximum(totals, mask.astype(np.float32))
    found = np.flatnonzero(totals)
    return Postings(found, totals[found])


@dataclass(frozen=True)
class WordMasks:
    """Where one searched word occurs: packed masks for matching, postings per field for ranking."""

    title: np.ndarray
    speakers: np.ndarray
    anywhere: np.ndarray
    count: int
    title_tf: Postings
    speakers_tf: Postings
    abstract_tf: Postings

    @classmethod
    def of(cls, title: Postings, speakers: Postings, abstract: Postings, live: np.ndarray) -> WordMasks:
        """Build the masks of a word (live documents only) from its postings in each field."""
        size = len(live)
        in_title, in_speakers = title.mask(size) & live, speakers.mask(size) & live
        anywhere = in_title | in_speakers | (abstract.mask(size) & live)
        return cls(np.packbits(in_title), np.packbits(in_speakers), np.packbits(anywhere),
                   int(np.count_nonzero(anywhere)), title, speakers, abstract)
