"""Group a segment's postings by term as documents arrive, instead of one sorted tuple each.

Whoosh's writer turns every posting into a tuple, sorts them all at commit and writes them one
call at a time: at 10,000 talks (2.4 million postings) that was four fifths of a rebuild. Here
each field keeps, per term, the documents that hold it (already in document order, since
documents are numbered as they are added); `whoosh_adapter.PooledSegmentWriter` hands the pool
each document's fields and writes a term's postings a block at a time. The postings, stored
fields and columns written are the same as Whoosh's own path writes
(tests/search/test_bulkwrite.py reads both back).
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np
from whoosh.fields import FieldType

from .schema import PreparedTerms
from .whoosh_adapter import encoded_frequency

# One term's postings: document numbers, weights and encoded values (only the non-empty ones,
# as Whoosh's posting writer keeps them).
Postings = tuple[array, array, list]
# Values (dates, lengths, languages) whose terms are kept, per writer.
VALUE_CACHE = 100_000


def _new_postings() -> Postings:
    """Return an empty postings list."""
    return array("I"), array("f"), []


class _Prepared:
    """One field's prepared postings, document after document, as flat lists."""

    def __init__(self, frequencies: bool) -> None:
        self.frequencies = frequencies
        self.docnums: list[int] = []
        self.sizes: list[int] = []
        self.words: list[str] = []
        self.counts: list[int] = []

    def add(self, docnum: int, prepared: PreparedTerms) -> None:
        """Add one document's terms (and their counts, where the field keeps them)."""
        self.docnums.append(docnum)
        self.sizes.append(len(prepared.counts))
        self.words.extend(prepared.counts)
        if self.frequencies:
            self.counts.extend(prepared.counts.values())

    def by_term(self) -> dict[bytes, Postings]:
        """Return the postings of each term, in document order (a stable sort by term number, in numpy)."""
        if not self.words:
            return {}
        vocabulary = sorted(set(self.words))
        numbers = dict(zip(vocabulary, range(len(vocabulary))))
        terms = np.fromiter(map(numbers.__getitem__, self.words), dtype=np.int64, count=len(self.words))
        order = np.argsort(terms, kind="stable")
        docnums = np.repeat(np.asarray(self.docnums, dtype=np.uint32), self.sizes)[order]
        ends = np.cumsum(np.bincount(terms, minlength=len(vocabulary))).tolist()
        counts = np.asarray(self.counts, dtype=np.int64)[order] if self.frequencies else None
        packed = [encoded_frequency(count) for count in range(int(counts.max()) + 1)] if self.frequencies else []
        postings: dict[bytes, Postings] = {}
        start = 0
        for word, end in zip(vocabulary, ends):
            ids = array("I", docnums[start:end].tobytes())
            if isinstance(word, str):
                word = word.encode("utf-8")
            if counts is None:
                postings[word] = (ids, array("f", [1.0]) * (end - start), [])
            else:
                mine = counts[start:end]
                postings[word] = (ids, array("f", mine.astype(np.float32).tobytes()),
                                                  list(map(packed.__getitem__, mine.tolist())))
            start = end
        return postings


class TermPool:
    """Postings grouped by field and term, each term's in the order its documents were added."""

    def __init__(self) -> None:
        # Prepared documents' fields, and postings as Whoosh hands them over (merged segments, IDs, numbers).
        self.prepared: dict[str, _Prepared] = {}
        self.raw: dict[str, dict[bytes, Postings]] = {}
        self._value_terms: dict[tuple[str, Any], PreparedTerms | None] = {}

    def add_field(self, fieldname: str, docnum: int, field: FieldType, value: Any) -> None:
        """Add the postings of one document's field: prepared terms as they are, other values as Whoosh indexes them."""
        terms = value if isinstance(value, PreparedTerms) else self._terms(fieldname, field, value)
        if terms is None:
            for btext, _freq, weight, vbytes in field.index(value):
                self.add((fieldname, btext, docnum, weight, vbytes))
        else:
            self.add_prepared(fieldname, docnum, terms)

    def _terms(self, fieldname: str, field: FieldType, value: Any) -> PreparedTerms | None:
        """Return a field value's terms when each has weight 1 and no value (IDs, numbers); cached per value."""
        key = (fieldname, value)
        try:
            return self._value_terms[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (a list of values) is indexed each time
            return _existence_terms(field.index(value))
        terms = self._value_terms[key] = _existence_terms(field.index(value))
        if len(self._value_terms) > VALUE_CACHE:
            self._value_terms.clear()
        return terms

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one posting (fieldname, term bytes, docnum, weight, value bytes) as Whoosh hands it over."""
        fieldname, btext, docnum, weight, vbytes = item
        if docnum == -1:  # a spelling word, which Whoosh's own posting writer skips as well
            return
        table = self.raw.setdefault(fieldname, {})
        postings = table.get(btext)
        if postings is None:
            postings = table[btext] = _new_postings()
        postings[0].append(docnum)
        postings[1].append(weight)
        if vbytes:
            postings[2].append(vbytes)

    def add_prepared(self, fieldname: str, docnum: int, prepared: PreparedTerms) -> None:
        """Add the postings of one document's prepared field."""
        field = self.prepared.get(fieldname)
        if field is None:
            field = self.prepared[fieldname] = _Prepared(prepared.frequencies)
        field.add(docnum, prepared)

    def fieldnames(self) -> list[str]:
        """Return the fields holding postings, in Whoosh's order."""
        return sorted(set(self.prepared) | set(self.raw))

    def terms(self, fieldname: str) -> list[tuple[bytes, Postings]]:
        """Return a field's terms as bytes in order, each with its postings in document order."""
        field = self.prepared.get(fieldname)
        merged = field.by_term() if field is not None else {}
        for btext, postings in self.raw.get(fieldname, {}).items():
            earlier = merged.get(btext)
            merged[btext] = postings if earlier is None else _joined(earlier, postings)
        return sorted(merged.items())

    def cleanup(self) -> None:
        """Forget every posting."""
        self.prepared.clear()
        self.raw.clear()


def _joined(first: Postings, second: Postings) -> Postings:
    """Return two postings lists of one term as one, in document order."""
    ids, weights = first[0] + second[0], first[1] + second[1]
    values = first[2] + second[2]
    if len(values) not in (0, len(ids)):
        raise ValueError("postings of one term mix empty and non-empty values")
    order = sorted(range(len(ids)), key=ids.__getitem__)
    return (array("I", (ids[n] for n in order)), array("f", (weights[n] for n in order)),
            [values[n] for n in order] if values else [])


def _existence_terms(items: Any) -> PreparedTerms | None:
    """Return the terms of Whoosh postings that each weigh 1 with no value, or None when some do not."""
    items = list(items)
    if any(weight != 1.0 or vbytes for _btext, _freq, weight, vbytes in items):
        return None
    return PreparedTerms(dict.fromkeys(btext for btext, *_rest in items), frequencies=False)


