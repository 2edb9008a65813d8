"""Whether a live index generation can be read: the one answer every check of the index asks for."""

from __future__ import annotations

from whoosh import index as whoosh_index

from .build import INDEX_NAME, SCHEMA_VERSION
from .generations import IndexDirectory
from .schema import build_schema
from .whoosh_adapter import open_unmapped


def readability_problem(store: IndexDirectory) -> str | None:
    """Say what keeps the live generation in store from being read, or None when it can be read.

    Missing, incomplete, built by older analysis code (so it is rebuilt), or failing to read afresh.
    """
    name = store.live_name()
    if name is None:
        return f"no search index in {store.path}"
    incomplete = f"the search index in {store.path} ({name}) is incomplete or was built by an older version"
    # The metadata first: an older version's table of contents may name classes this code no longer has.
    if (store.read_meta(name) or {}).get("schema") != SCHEMA_VERSION:
        return incomplete
    try:
        if not whoosh_index.exists_in(str(store.generation_path(name)), indexname=INDEX_NAME):
            return incomplete
        read_every_segment(store, name)
    except Exception as error:  # a damaged file can raise nearly anything from deep inside Whoosh
        return f"the search index in {store.path} ({name}) cannot be read: {type(error).__name__}: {error}"
    return None


def read_every_segment(store: IndexDirectory, name: str) -> None:
    """Open a generation afresh and read a little of every segment; raise what reading raises.

    Per segment: its first and last stored talk and the postings of its first slug, so the table
    of contents and each segment's stored fields, terms and postings are read. A truncated or empty
    segment file fails here (a segment's file directory sits at its end). About 40 ms at 20,000
    talks, where a search of the whole index reads every talk's date first.
    """
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
