"""Writing postings in bulk: the index reads back exactly as one written by Whoosh's own writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from meetup.search.schema import build_schema
from meetup.search.build import INDEX_NAME, POSTING_BLOCK, WRITER_MEMORY_MB, open_writer, talk_document
from meetup.search.whoosh_adapter import PooledSegmentWriter

from tests.search.corpus import talk

WORDS = ["kafka", "kubernetes", "señal", "datos", "streaming", "café", "ñandú", "go", "rust", "é"]


def talks(count: int, offset: int = 0):
    """Return talks whose titles and abstracts repeat words, so terms have many postings and frequencies."""
    made = []
    for number in range(offset, offset + count):
        title = " ".join(WORDS[(number + step) % len(WORDS)] for step in range(number % 4 + 1))
        abstract = " ".join(WORDS[(number * step) % len(WORDS)] for step in range(number % 13 + 2))
        speakers = (f"Ana {WORDS[number % len(WORDS)]}", "Bea Núñez") if number % 3 else ()
        made.append(talk(f"talk-{number}", title, abstract, speakers, "es" if number % 2 else "en",
                         20200101 + number))
    return made


class WhooshCodec(W3Codec):
    """UnscoredCodec with Whoosh's own posting writer."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(blocklimit=POSTING_BLOCK)


def plain_writer(ix):
    return SegmentWriter(ix, limitmb=WRITER_MEMORY_MB, timeout=0, codec=WhooshCodec())


def write(directory: Path, make_writer, batches) -> None:
    """Write each batch of (upserts, deletions) in its own commit, as a rebuild then imports do."""
    ix = whoosh_index.create_in(str(directory), build_schema(), indexname=INDEX_NAME)
    for upserts, deletions in batches:
        writer = make_writer(ix)
        for slug in deletions:
            writer.delete_by_term("slug", slug)
        for item in upserts:
            writer.update_document(**talk_document(item))
        writer.commit()
    ix.close()


def contents(directory: Path) -> dict:
    """Return every term's postings, the stored fields and the columns of the index in directory."""
    ix = whoosh_index.open_dir(str(directory), indexname=INDEX_NAME)
    with ix.reader() as reader:
        postings = {}
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, btext)
            postings[(fieldname, btext)] = (found, info.max_weight(), info.doc_frequency())
        stored = list(reader.all_stored_fields())
        columns = {name: list(reader.column_reader(name))
                   for name in ("date_key", "title_words", "speakers_words", "abstract_words")}
        segments = len(ix._segments())
    ix.close()
    return {"postings": postings, "stored": stored, "columns": columns, "segments": segments}


@pytest.mark.parametrize(
    "batches",
    [
        pytest.param([(talks(5), [])], id="a few talks"),
        # More postings of one word than a block holds (1,024): several blocks per term.
        pytest.param([(talks(2_600), [])], id="terms over several blocks"),
        # An import: deletions and upserts, with the small earlier segment merged into the new one.
        pytest.param([(talks(40), []), (talks(10, offset=35), ["talk-1", "talk-2"])], id="update and merge"),
        pytest.param([(talks(30), []), ([], ["talk-3"]), (talks(3, offset=3), [])], id="delete then re-add"),
    ],
)
def test_bulk_writer_writes_what_whoosh_writes(tmp_path: Path, batches) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "bulk").mkdir()
    write(tmp_path / "plain", plain_writer, batches)
    write(tmp_path / "bulk", lambda ix: open_writer(ix, timeout=0), batches)
    assert contents(tmp_path / "bulk") == contents(tmp_path / "plain")


def test_index_writer_is_the_pooled_writer(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    writer = open_writer(ix, timeout=0)
    assert isinstance(writer, PooledSegmentWriter)
    writer.cancel()
    ix.close()
