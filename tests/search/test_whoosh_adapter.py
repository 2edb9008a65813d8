"""The Whoosh internals the adapter relies on still exist and agree with Whoosh's public API."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import FileStorage

from meetup.search import IndexedTalk, TalkIndex
from meetup.search.analysis import build_schema
from meetup.search.build import INDEX_NAME
from meetup.search.whoosh_adapter import column_values, list_segments, posting_blocks, segments_of


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("adapter")
    index = TalkIndex(directory)
    # Enough talks for several posting blocks of the common word.
    index.rebuild(IndexedTalk(f"t{number:04d}", f"Talk {number}", "data " * (1 + number % 3) + f"w{number}",
                              ("Ana",), "en", 20200101) for number in range(2500))
    index.close()
    ix = whoosh_index.open_dir(str(directory / "current"), indexname=INDEX_NAME, schema=build_schema())
    searcher = ix.searcher()
    yield searcher.reader()
    searcher.close()
    ix.close()


@pytest.mark.parametrize("attribute", ["_postfile", "_startoffset", "_length", "_byteids"])
def test_the_leaf_matcher_still_has(reader, attribute: str) -> None:
    matcher = reader.postings("abstract", "data")
    assert type(matcher) is W3LeafMatcher, "Whoosh's codec changed: review whoosh_adapter.posting_blocks"
    assert hasattr(matcher, attribute), f"W3LeafMatcher.{attribute} is gone: review whoosh_adapter"


@pytest.mark.parametrize(("fieldname", "term"), [("abstract", "data"), ("abstract", "w7"), ("title", "talk"),
                                                 ("speakers", "ana")])
def test_blocks_agree_with_the_public_api(reader, fieldname: str, term: str) -> None:
    blocks = list(posting_blocks(reader.postings(fieldname, term)))
    ids = np.concatenate([block for block, _ in blocks])
    frequencies = np.concatenate([weights for _, weights in blocks])
    matcher = reader.postings(fieldname, term)
    expected_ids, expected_weights = [], []
    while matcher.is_active():
        expected_ids.append(matcher.id())
        expected_weights.append(matcher.weight())
        matcher.next()
    assert ids.tolist() == expected_ids
    assert frequencies.tolist() == expected_weights


def test_segments_written_elsewhere_can_be_listed(tmp_path: Path) -> None:
    part, target = tmp_path / "part", tmp_path / "target"
    part.mkdir()
    target.mkdir()
    ix = whoosh_index.create_in(str(part), build_schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    writer.add_document(slug="a", lang="en", date_key=1, title_words=1, speakers_words=0, abstract_words=0)
    writer.commit(merge=False)
    segments = segments_of(ix)
    ix.close()
    assert len(segments) == 1
    whoosh_index.create_in(str(target), build_schema(), indexname=INDEX_NAME).close()
    for moved in part.iterdir():
        if moved.name.startswith(segments[0].segment_id()):
            moved.rename(target / moved.name)
    list_segments(FileStorage(str(target)), build_schema(), segments, INDEX_NAME)
    listed = whoosh_index.open_dir(str(target), indexname=INDEX_NAME)
    assert listed.doc_count() == 1
    listed.close()


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
