"""The only code that reaches into Whoosh's internals, each use kept for a measured gain.

Internals are private names (`_`-prefixed), `whoosh.codec`, `whoosh.filedb`, `whoosh.system`
and the layout of segments and their files. Reading:

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
2. `deleted_docnums` reads a segment's deleted documents from `deleted_docs_set`, the set its
   reader builds anyway to filter postings, instead of walking every live docnum
   (`all_doc_ids`): see its docstring for the measurement.
3. `open_unmapped` opens a generation through a `FileStorage` without mmap: with mmap, Whoosh
   copied every index file it opened into process memory (serving RSS at 100,000 talks: 810 MB).
4. `column_values` reads a numeric column's values (NumericColumn.Reader's `_dbfile`,
   `_basepos`, `_count`, `_default`, `_typecode`) in one read per segment into a numpy array,
   instead of unpacking one value per document through the public column reader. Measured at
   10,000 talks (2026-12-08): the four columns a generation reads on its first search took 280 ms
   (date 60 ms, read twice for the order and the years, three word counts 165 ms), at each switch
   to a new generation in every worker; in one read each, under 1 ms.

Writing (a rebuild at 10,000 talks: 929 talks/s through Whoosh's own writer, 2,500 with these):

5. `UnscoredCodec` turns off per-document length statistics (`length_stats`) and writes
   posting blocks eight times Whoosh's default size through `BlockPostingsWriter`, which
   minifies a block's ids and weights with C loops (`_mini_ids`, `_mini_weights`): 4.20 s ->
   4.00 s for 10,000 talks. Whoosh pickles the codec into each segment by its module path, as
   it pickles the schema's fields and analyzers: moving one is a change of build.SCHEMA_VERSION.
6. `PooledSegmentWriter` hands a document's terms to a pool that groups postings by term as
   documents arrive, and `write_pool` writes each term's postings a block at a time through the
   field writer's posting writer (`_postwriter`, `_write_block`): Whoosh's writer sorts one
   tuple per posting at commit, four fifths of a 10,000-talk rebuild (2.4 million postings).
7. `unscored_field` sets a text field's posting format and turns its lengths off, and
   `encoded_frequency` is the `Frequency` format's encoding of a count (`pack_uint`), so
   postings can be handed over ready-made (a talk analysed once, not by eleven analyzer chains).
8. `segments_of`, `list_segments` and `move_segment` read and write an index's table of contents
   (`_read_toc`, `TOC`) and move a segment's files (named after `segment_id()`), so a large
   rebuild writes segments in worker processes and lists them in one index without merging
   them. On this project's shared 2-core test machine a 10,000-talk rebuild took 71–96 s with
   workers and 71–87 s in one writer: no gain measurable there; the gain is for nodes with free
   cores (up to 4 workers), where the writers run side by side.
9. `is_whoosh_lock` names the lock file Whoosh keeps in an index directory (`WRITELOCK`), which
   a hard-linked copy of a generation must not share with the original.

Each has a public fallback or a loud failure: `tests/search/test_whoosh_adapter.py` checks the
attributes still exist and agree with the public API, so a Whoosh release that changes them
fails the tests rather than the site.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zlib
from itertools import chain
from operator import sub
from pathlib import Path
from typing import Any, Iterator, Protocol

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.columns import NumericColumn
from whoosh.fields import NUMERIC, FieldType, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Existence, Frequency
from whoosh.index import TOC, FileIndex
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

# --- reading -------------------------------------------------------------------


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


def deleted_docnums(leaf: IndexReader) -> np.ndarray:
    """Return the deleted docnums of one segment's reader, in no particular order.

    `deleted_docs_set` is the frozenset the reader keeps to filter postings: reading it costs
    nothing once a posting list was read. The public way, every live docnum from `all_doc_ids`,
    took 3.2 and 5.5 ms (two runs, medians of 7, load average 2.4) against under 0.01 ms at
    20,000 talks with 10 deleted, once per searcher (after every import).
    """
    return np.fromiter(leaf.deleted_docs_set, dtype=np.int64)


def open_unmapped(directory: Path, schema: Schema, index_name: str) -> FileIndex:
    """Open the index in directory with plain file reads instead of mmap."""
    return FileStorage(str(directory), supports_mmap=False).open_index(indexname=index_name, schema=schema)


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


# --- fields --------------------------------------------------------------------


def unscored_field(field: FieldType, *, frequencies: bool) -> FieldType:
    """Return the field recording each term's frequency (or only which documents hold it), with no lengths."""
    field.format = Frequency() if frequencies else Existence()
    # No per-document lengths: writing them costs a lookup per posting and nothing reads them.
    field.scorable = False
    return field


def encoded_frequency(count: int) -> bytes:
    """Return how the Frequency format encodes a term's count in one document."""
    return pack_uint(count)


# --- writing -------------------------------------------------------------------


class BlockPostingsWriter(W3PostingsWriter):
    """Whoosh 3's posting writer, its blocks' ids and weights minified by C loops instead of generators."""

    def _mini_ids(self) -> tuple:
        """Return the block's document numbers as gaps (as Whoosh's delta_encode gives them)."""
        ids = self._ids
        if self._byteids:
            return tuple(ids)
        return tuple(map(sub, ids, chain((0,), ids)))

    def _mini_weights(self) -> Any:
        """Return None when every weight is 1, the one weight when all are equal, else all of them."""
        weights = self._weights
        if weights.count(1.0) == len(weights):
            return None
        if weights.count(weights[0]) == len(weights):
            return weights[0]
        return tuple(weights)


class UnscoredCodec(W3Codec):
    """Whoosh's codec minus per-posting length statistics, which only Whoosh's own scorer reads.

    Searches read whole posting lists rather than skipping through them, so blocks are larger
    than Whoosh's default: less per-block decoding work.
    """

    length_stats = False

    def __init__(self, blocklimit: int) -> None:
        super().__init__(blocklimit=blocklimit)

    def postings_writer(self, dbfile, byteids=False):
        return BlockPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                   compression=self._compression, inlinelimit=self._inlinelimit)


# One term's postings: document numbers, weights and encoded values (only the non-empty ones).
Postings = tuple[Any, Any, list]


class TermPool(Protocol):
    """Postings grouped by field and term: what Whoosh's PostingPool takes, plus whole fields."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None: ...

    def add_field(self, fieldname: str, docnum: int, field: FieldType, value: Any) -> None: ...

    def fieldnames(self) -> list[str]: ...

    def terms(self, fieldname: str) -> list[tuple[bytes, Postings]]: ...

    def cleanup(self) -> None: ...


class PooledSegmentWriter(SegmentWriter):
    """A segment writer that hands documents' fields to a pool and writes its postings a block at a time."""

    def __init__(self, ix: FileIndex, pool: TermPool, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        if self.codec.length_stats:
            raise ValueError("PooledSegmentWriter writes no per-document lengths: use a codec without length_stats")
        # Whoosh's own path (boosted, scored or merged postings) adds to the same pool.
        self.pool = pool
        self._simple_fields: dict[str, bool] = {}

    def add_document(self, **fields: Any) -> None:
        """Add a document, its fields going to the pool (Whoosh's path for boosts, scored or unknown fields)."""
        schema = self.schema
        names = sorted(name for name in fields if not name.startswith("_"))
        if any(name.startswith("_") and not name.startswith("_stored_") for name in fields) or not all(
                name in schema and self._simple(name) for name in names):
            super().add_document(**fields)
            return
        self._check_state()
        docnum = self.docnum
        perdocwriter = self.perdocwriter
        perdocwriter.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if field.indexed:
                    self.pool.add_field(name, docnum, field, value)
                stored = fields.get(f"_stored_{name}", value)
                perdocwriter.add_field(name, field, stored if field.stored else None, 0)
                if field.column_type and stored is not None:
                    perdocwriter.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _simple(self, name: str) -> bool:
        """Return whether a field's postings carry no length, vector or spelling (so the pool takes them)."""
        simple = self._simple_fields.get(name)
        if simple is None:
            field = self.schema[name]
            simple = self._simple_fields[name] = not (field.scorable or field.vector or field.separate_spelling())
        return simple

    def _flush_segment(self) -> None:
        """Write the per-document files, then the pool's postings, as Whoosh's commit does."""
        self.perdocwriter.close()
        write_pool(self.fieldwriter, self.schema, self.pool)
        self.fieldwriter.close()


def write_pool(fieldwriter: Any, schema: Schema, pool: TermPool) -> None:
    """Write the pool's postings through a Whoosh 3 field writer, a block of postings at a time."""
    for fieldname in pool.fieldnames():
        terms = pool.terms(fieldname)
        if not terms:
            continue
        fieldwriter.start_field(fieldname, schema[fieldname])
        for btext, (ids, weights, values) in terms:
            if len(values) not in (0, len(ids)):
                raise ValueError(f"postings of {fieldname}:{btext!r} mix empty and non-empty values")
            fieldwriter.start_term(btext)
            postwriter = fieldwriter._postwriter
            limit = postwriter._blocklimit
            for start in range(0, len(ids), limit):
                if start:
                    postwriter._write_block()
                block_weights = weights[start:start + limit]
                postwriter._ids = ids[start:start + limit]
                postwriter._weights = block_weights
                postwriter._values = values[start:start + limit]
                postwriter._maxweight = max(0, max(block_weights))
            fieldwriter.finish_term()
        fieldwriter.finish_field()


# --- index files -----------------------------------------------------------------


def segments_of(ix: FileIndex) -> list[Any]:
    """Return the segments listed in an index's table of contents."""
    return list(ix._read_toc().segments)


def move_segment(segment: Any, source: Path, target: Path) -> None:
    """Move one segment's files from the index in source into target."""
    prefix = segment.segment_id()
    for name in os.listdir(source):
        if name.startswith(prefix):
            os.replace(source / name, target / name)


def list_segments(directory: Path, schema: Schema, segments: list[Any], index_name: str) -> None:
    """Write a table of contents listing segments written elsewhere, as generation 1."""
    TOC(schema, segments, 1).write(FileStorage(str(directory)), index_name)


def is_whoosh_lock(filename: str) -> bool:
    """Return whether a file of an index directory is a Whoosh writer's lock."""
    return filename.endswith("WRITELOCK")
