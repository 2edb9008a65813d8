"""The only code that reaches into Whoosh's private internals, each use kept for a measured gain.

1. `posting_blocks` decodes a term's postings a block at a time into numpy arrays of docnums
   and term frequencies, instead of one Python call per posting through the public matcher API
   (`is_active`/`id`/`weight`/`next`, which `posting_blocks` falls back to for other matchers).
   Measured on the 10,000-talk benchmark corpus, the 40 most frequent abstract words (3,200 to
   9,500 talks each), CPU time: 3.0–3.3 ms per word by block against 4.4–4.7 ms through the
   public API, about 1.4× faster, on the path of every keystroke that meets a new word.
   It reads the whole posting list in one read (W3LeafMatcher's `_postfile`, `_startoffset`,
   `_length`, `_byteids`) and walks Whoosh 3's block layout (length, pickled info, pickled
   data) in memory: Whoosh's own walk unpickles each block's info straight from the compound
   file, about twenty small reads per block, which cProfile at 10,000 talks showed as a fifth
   of a common word's decoding time ("in", "the", "cont": 3,840 block reads).
2. `segments_of` and `list_segments` read and write an index's table of contents (`_read_toc`,
   `TOC`), so a large rebuild writes segments in worker processes and lists them in one index
   without merging them. On this project's shared 2-core test machine a 10,000-talk rebuild
   took 71–96 s with workers and 71–87 s in one writer: no gain measurable there; the gain is
   for nodes with free cores (up to 4 workers), where the writers run side by side.
3. `column_values` reads a numeric column's values (NumericColumn.Reader's `_dbfile`,
   `_basepos`, `_count`, `_default`, `_typecode`) in one read per segment into a numpy array,
   instead of unpacking one value per document through the public column reader. Measured at
   10,000 talks (2026-12-08): the four columns a generation reads on its first search took 280 ms
   (date 60 ms, read twice for the order and the years, three word counts 165 ms), at each switch
   to a new generation in every worker; in one read each, under 1 ms.

Each has a public fallback or a loud failure: `tests/search/test_whoosh_adapter.py` checks the
attributes still exist and agree with the public API, so a Whoosh release that changes them
fails the tests rather than the site.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from typing import Any, Iterator

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import Storage
from whoosh.index import TOC, FileIndex
from whoosh.fields import NUMERIC, Schema
from whoosh.matching.wrappers import FilterMatcher


def posting_blocks(matcher: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield a term's (docnums, frequencies) a block at a time, ignoring any deletion filter."""
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if type(raw) is not W3LeafMatcher or raw._byteids:
        ids, weights = [], []
        while raw.is_active():
            ids.append(raw.id())
            weights.append(raw.weight())
            raw.next()
        yield np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
        return
    # W3TermInfo.from_bytes leaves the length as unpack's 1-tuple.
    length = raw._length[0] if isinstance(raw._length, tuple) else raw._length
    data = raw._postfile.get(raw._startoffset, length)
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"not a Whoosh 3 posting list: {data[:4]!r}")
    stream = io.BytesIO(data)
    position, last = 4, False
    while not last:
        # Each block: its byte length (negative for the last), a pickled info tuple, its data.
        (length,) = _INT.unpack_from(data, position)
        last = length < 0
        following = position + _INT.size + abs(length)
        stream.seek(position + _INT.size)
        count, _maxid, _maxweight, compression, _minlength, _maxlength = pickle.load(stream)
        block = data[stream.tell():following]
        ids, weights = pickle.loads(zlib.decompress(block) if compression else block)[:2]
        # Blocks store the gaps between docnums: a running sum restores them.
        docnums = np.cumsum(np.fromiter(ids, dtype=np.int64, count=count))
        # Weights are minified: None when all are 1, one float when all are equal.
        if weights is None:
            frequencies = np.ones(count, dtype=np.float32)
        elif isinstance(weights, float):
            frequencies = np.full(count, weights, dtype=np.float32)
        else:
            frequencies = np.fromiter(weights, dtype=np.float32, count=count)
        yield docnums, frequencies
        position = following


_INT = struct.Struct("!i")


def segments_of(ix: FileIndex) -> list[Any]:
    """Return the segments listed in an index's table of contents."""
    return list(ix._read_toc().segments)


def list_segments(storage: Storage, schema: Schema, segments: list[Any], index_name: str) -> None:
    """Write a table of contents listing segments written elsewhere, as generation 1."""
    TOC(schema, segments, 1).write(storage, index_name)


def column_values(reader: Any, fieldname: str, dtype: Any) -> np.ndarray:
    """Return every document's value of a numeric column, deleted documents included, in docnum order."""
    field = reader.schema[fieldname]
    plain = isinstance(field, NUMERIC) and field.numtype is int and not field.decimal_places
    parts = []
    for leaf, _base in reader.leaf_readers():
        count = leaf.doc_count_all()
        column = leaf.column_reader(fieldname, translate=False) if leaf.has_column(fieldname) else None
        if not plain or type(column) is not NumericColumn.Reader:
            parts.append(np.fromiter(leaf.column_reader(fieldname), dtype=dtype, count=count))
            continue
        written = column._count
        values = np.full(count, column._default, dtype=np.int64)
        if written:
            data = column._dbfile.get(column._basepos, written * column._fixedlen)
            values[:written] = np.frombuffer(data, dtype=">" + column._typecode)
        # The column holds Whoosh's sortable form: signed numbers shifted to be non-negative.
        if field.signed:
            values -= 1 << (field.bits - 1)
        parts.append(values.astype(dtype, copy=False))
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
