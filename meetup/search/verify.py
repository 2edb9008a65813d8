"""Check that a directory's live index generation can be read, cheaply enough for a health check."""

from __future__ import annotations

import os
from pathlib import Path

from .schema import build_schema
from .build import INDEX_NAME
from .generations import IndexDirectory, IndexMissing
from .whoosh_adapter import open_unmapped


def verify_live_generation(directory: str | os.PathLike[str]) -> None:
    """Open the live generation afresh and read a little of every segment; raise what reading raises.

    Per segment: its first and last stored talk and the postings of its first slug, so the table
    of contents and each segment's stored fields, terms and postings are read. A truncated or empty
    segment file fails here (a segment's file directory sits at its end). About 40 ms at 20,000
    talks, where a search of the whole index reads every talk's date first.
    """
    store = IndexDirectory(Path(directory))
    name = store.live_name()
    if name is None:
        raise IndexMissing(f"no live search index in {directory}")
    index = open_unmapped(store.generation_path(name), build_schema(), INDEX_NAME)
    try:
        with index.searcher() as searcher:
            for reader, _base in searcher.reader().leaf_readers():
                last = reader.doc_count_all() - 1
                if last < 0:
                    continue
                reader.stored_fields(0)
                reader.stored_fields(last)
                first = next(iter(reader.lexicon("slug")), None)
                if first is not None:
                    list(reader.postings("slug", first).all_ids())
    finally:
        index.close()
