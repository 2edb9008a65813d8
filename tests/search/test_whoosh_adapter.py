"""The Whoosh internals the adapter relies on still exist and agree with Whoosh's public API."""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.columns import NumericColumn
from whoosh.fields import TEXT, Schema
from whoosh.formats import Existence, Frequency
from whoosh.writing import SegmentWriter

from meetup.search import IndexedTalk, TalkIndex
from meetup.search.build import INDEX_NAME, POSTING_BLOCK
from meetup.search.schema import build_schema
from meetup.search.whoosh_adapter import (
    BlockPostingsWriter,
    UnscoredCodec,
    column_values,
    deleted_docnums,
    encoded_frequency,
    is_whoosh_lock,
    list_segments,
    move_segment,
    open_unmapped,
    posting_blocks,
    segments_of,
    unscored_field,
)

TALKS = 2500
DELETED = ("t0003", "t0100", "t2499")


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("adapter")
    index = TalkIndex(directory)
    # Enough talks for several posting blocks of the common word.
    index.rebuild(IndexedTalk(f"t{number:04d}", f"Talk {number}", "data " * (1 + number % 3) + f"w{number}",
                              ("Ana",), "en", 20200101) for number in range(TALKS))
    index.apply([], DELETED)
    index.close()
    ix = whoosh_index.open_dir(str(directory / "current"), indexname=INDEX_NAME, schema=build_schema())
    searcher = ix.searcher()
    yield searcher.reader()
    searcher.close()
    ix.close()


def leaves(reader):
    return [leaf for leaf, _base in reader.leaf_readers()] if not reader.is_atomic() else [reader]


def empty_index(directory: Path):
    directory.mkdir(exist_ok=True)
    return whoosh_index.create_in(str(directory), build_schema(), indexname=INDEX_NAME)


@pytest.mark.parametrize("attribute", ["_postfile", "_startoffset", "_length", "_byteids"])
def test_the_leaf_matcher_still_has(reader, attribute: str) -> None:
    matcher = leaves(reader)[0].postings("abstract", "data")
    raw = getattr(matcher, "child", matcher)
    assert type(raw) is W3LeafMatcher, "Whoosh's codec changed: review whoosh_adapter.posting_blocks"
    assert hasattr(raw, attribute), f"W3LeafMatcher.{attribute} is gone: review whoosh_adapter"


@pytest.mark.parametrize(("fieldname", "term"), [("abstract", "data"), ("abstract", "w7"), ("title", "talk"),
                                                 ("speakers", "ana")])
def test_blocks_agree_with_the_public_api(reader, fieldname: str, term: str) -> None:
    leaf = leaves(reader)[0]
    blocks = list(posting_blocks(leaf.postings(fieldname, term)))
    ids = np.concatenate([block for block, _ in blocks])
    frequencies = np.concatenate([weights for _, weights in blocks])
    # The public matcher skips deleted documents; posting_blocks leaves that to the live mask.
    matcher = getattr(leaf.postings(fieldname, term), "child", leaf.postings(fieldname, term))
    expected_ids, expected_weights = [], []
    while matcher.is_active():
        expected_ids.append(matcher.id())
        expected_weights.append(matcher.weight())
        matcher.next()
    assert ids.tolist() == expected_ids
    assert frequencies.tolist() == expected_weights
    if fieldname == "abstract" and term == "data":
        assert len(blocks) > 1, "the common word should span several posting blocks"


def test_deleted_docnums_are_the_ones_the_public_api_leaves_out(reader) -> None:
    deleted = set()
    for leaf, base in (reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]):
        assert hasattr(leaf, "deleted_docs_set"), "the segment reader's deleted_docs_set is gone: review the adapter"
        deleted.update((deleted_docnums(leaf) + base).tolist())
    public = set(range(reader.doc_count_all())) - set(reader.all_doc_ids())
    assert deleted == public
    assert len(deleted) == len(DELETED)


def test_open_unmapped_reads_files_without_mmap(tmp_path: Path) -> None:
    ix = empty_index(tmp_path / "plain")
    writer = ix.writer()
    writer.add_document(slug="a", lang="en", date_key=1, title_words=1, speakers_words=0, abstract_words=0)
    writer.commit()
    ix.close()
    opened = open_unmapped(tmp_path / "plain", build_schema(), INDEX_NAME)
    assert opened.storage.supports_mmap is False
    assert opened.doc_count() == 1
    opened.close()


@pytest.mark.parametrize(("frequencies", "posting_format"), [(True, Frequency), (False, Existence)])
def test_unscored_field_keeps_frequencies_only_when_asked(frequencies: bool, posting_format: type) -> None:
    field = unscored_field(TEXT(phrase=False), frequencies=frequencies)
    assert field.scorable is False
    assert type(field.format) is posting_format
    assert not field.format.supports("positions")


@pytest.mark.parametrize("count", [1, 2, 7, 300, 70_000])
def test_encoded_frequency_is_what_the_frequency_format_writes(count: int) -> None:
    analyzed = {word: value for word, _freq, _weight, value in
                Frequency().word_values(" ".join(["kafka"] * count), TEXT().analyzer)}
    assert encoded_frequency(count) == analyzed["kafka"]
    assert Frequency().decode_frequency(encoded_frequency(count)) == count


def test_the_codec_writes_no_lengths_through_the_block_writer(tmp_path: Path) -> None:
    codec = UnscoredCodec(POSTING_BLOCK)
    assert codec.length_stats is False and W3Codec.length_stats is True
    assert codec._blocklimit == POSTING_BLOCK
    with open(tmp_path / "postings", "wb") as handle:
        assert type(codec.postings_writer(handle)) is BlockPostingsWriter


@pytest.mark.parametrize(("ids", "weights"), [
    ([0, 1, 2, 10], [1.0, 1.0, 1.0, 1.0]),
    ([5, 6, 900], [2.0, 2.0, 2.0]),
    ([3, 4], [1.0, 3.0]),
    ([7], [4.0]),
])
def test_block_writer_minifies_as_whoosh_does(ids: list[int], weights: list[float]) -> None:
    ours, whooshs = BlockPostingsWriter(None, POSTING_BLOCK), W3PostingsWriter(None, POSTING_BLOCK)
    for writer in (ours, whooshs):
        writer._ids, writer._weights = array("I", ids), array("f", weights)
    assert ours._mini_ids() == whooshs._mini_ids()
    assert ours._mini_weights() == whooshs._mini_weights()


@pytest.mark.parametrize("attribute", ["_check_state", "perdocwriter", "fieldwriter", "docnum", "_added",
                                       "pool", "_flush_segment", "codec"])
def test_the_segment_writer_still_has(tmp_path: Path, attribute: str) -> None:
    ix = empty_index(tmp_path / "index")
    writer = SegmentWriter(ix, codec=UnscoredCodec(POSTING_BLOCK))
    try:
        assert hasattr(writer, attribute), f"SegmentWriter.{attribute} is gone: review PooledSegmentWriter"
    finally:
        writer.cancel()
        ix.close()


@pytest.mark.parametrize("attribute", ["_blocklimit", "_write_block", "_ids", "_weights", "_values", "_maxweight"])
def test_the_posting_writer_still_has(tmp_path: Path, attribute: str) -> None:
    ix = empty_index(tmp_path / "index")
    writer = SegmentWriter(ix, codec=UnscoredCodec(POSTING_BLOCK))
    try:
        assert hasattr(writer.fieldwriter, "_postwriter"), "the field writer's _postwriter is gone: review write_pool"
        with open(tmp_path / "postings", "wb") as handle:
            postwriter = UnscoredCodec(POSTING_BLOCK).postings_writer(handle)
            postwriter.start_postings(Frequency(), W3TermInfo())
            assert hasattr(postwriter, attribute), f"the posting writer's {attribute} is gone: review write_pool"
    finally:
        writer.cancel()
        ix.close()


def test_segments_written_elsewhere_can_be_listed(tmp_path: Path) -> None:
    part, target = tmp_path / "part", tmp_path / "target"
    ix = empty_index(part)
    writer = ix.writer()
    writer.add_document(slug="a", lang="en", date_key=1, title_words=1, speakers_words=0, abstract_words=0)
    writer.commit(merge=False)
    segments = segments_of(ix)
    ix.close()
    assert len(segments) == 1
    empty_index(target).close()
    move_segment(segments[0], part, target)
    assert not any(name.startswith(segments[0].segment_id()) for name in (p.name for p in part.iterdir()))
    list_segments(target, build_schema(), segments, INDEX_NAME)
    listed = whoosh_index.open_dir(str(target), indexname=INDEX_NAME)
    assert listed.doc_count() == 1
    assert [stored["slug"] for stored in listed.searcher().all_stored_fields()] == ["a"]
    listed.close()


def test_is_whoosh_lock_names_the_writers_lock_file(tmp_path: Path) -> None:
    ix = empty_index(tmp_path / "index")
    before = {path.name for path in (tmp_path / "index").iterdir()}
    writer = ix.writer()
    locks = [path.name for path in (tmp_path / "index").iterdir() if path.name not in before]
    writer.cancel()
    ix.close()
    assert [name for name in locks if is_whoosh_lock(name)] != [], f"Whoosh's lock file changed: {locks}"
    assert not any(is_whoosh_lock(name) for name in before)


@pytest.fixture(scope="module")
def updated_reader(tmp_path_factory: pytest.TempPathFactory):
    """A reader of two segments: a rebuild with unknown and negative-looking dates, then an apply."""
    directory = tmp_path_factory.mktemp("columns")
    index = TalkIndex(directory)
    index.rebuild(IndexedTalk(f"t{number:04d}", "Talk " * (number % 4), "data " * (number % 7), ("Ana", "Bo")[: number % 3],
                              ("en", "es")[number % 2], (0, 2016, 201903, 20241231)[number % 4]) for number in range(600))
    index.apply([IndexedTalk("late", "Late talk", "", (), "en", 20250101)], ["t0003", "t0100"])
    index.close()
    ix = whoosh_index.open_dir(str(directory / "current"), indexname=INDEX_NAME, schema=build_schema())
    searcher = ix.searcher()
    yield searcher.reader()
    searcher.close()
    ix.close()


@pytest.mark.parametrize("fieldname, dtype", [("date_key", np.int64), ("title_words", np.float32),
                                              ("speakers_words", np.float32), ("abstract_words", np.float32)])
@pytest.mark.parametrize("which", ["one segment", "two segments"])
def test_column_values_agree_with_the_public_api(reader, updated_reader, which, fieldname, dtype) -> None:
    read = reader if which == "one segment" else updated_reader
    assert len(read.leaf_readers()) == (1 if which == "one segment" else 2)
    expected = np.fromiter(read.column_reader(fieldname), dtype=dtype, count=read.doc_count_all())
    found = column_values(read, fieldname, dtype)
    assert found.dtype == dtype
    assert found.tolist() == expected.tolist()


@pytest.mark.parametrize("attribute", ["_dbfile", "_basepos", "_count", "_default", "_typecode", "_fixedlen"])
def test_the_numeric_column_reader_still_has(reader, attribute: str) -> None:
    leaf = reader.leaf_readers()[0][0]
    column = leaf.column_reader("date_key", translate=False)
    assert type(column) is NumericColumn.Reader, "Whoosh's columns changed: review whoosh_adapter.column_values"
    assert hasattr(column, attribute), f"NumericColumn.Reader.{attribute} is gone: review whoosh_adapter"
