"""Write organisers' changes into a copy of the live generation: deletions, then upserts, in one commit."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import FileIndex, LockError
from whoosh.writing import IndexWriter

from .build import IndexedTalk, open_writer, talk_document, talk_words
from .generations import IndexBusy, IndexDirectory, now_iso
from .vocabulary import Vocabulary


def writer_for(ix: FileIndex, timeout: float) -> IndexWriter:
    """Open a Whoosh writer, reporting its own lock contention as IndexBusy."""
    try:
        return open_writer(ix, timeout)
    except LockError:
        raise IndexBusy("index busy: the live generation is locked by another writer; "
                        "try again shortly") from None


def write_changes(gen_dir: Path, store: IndexDirectory, upserts: Iterable[IndexedTalk],
                  deletions: Iterable[str], *, version: int | None, schema: Schema,
                  writer_timeout: float) -> None:
    """Write the changes into the generation in gen_dir and record them in its metadata."""
    ix = whoosh_index.open_dir(str(gen_dir), schema=schema)
    try:
        writer = writer_for(ix, writer_timeout)
        vocabulary = Vocabulary.read(gen_dir)
        try:
            for slug in deletions:
                writer.delete_by_term("slug", slug)
            for talk in upserts:
                words = talk_words(talk)
                writer.update_document(**talk_document(talk, words))
                vocabulary.add(word for field_words in words for word in field_words)
            vocabulary.write(gen_dir)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        meta = store.read_meta(gen_dir.name) or {}
        if version is not None:
            meta["version"] = version
        meta.update(count=ix.doc_count(), updated_at=now_iso())
        store.write_meta(gen_dir.name, meta)
    finally:
        ix.close()
