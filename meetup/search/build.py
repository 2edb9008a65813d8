"""Write the talks of a full rebuild into a fresh index generation.

Small archives are written here, in one segment. Large ones are cut into chunks that worker
processes write as Whoosh segments of their own, side by side; this process then moves the
segment files into the generation and lists them in its table of contents. Nothing is merged
afterwards: searches read the segments in turn.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.writing import IndexWriter

from .analysis import ABSTRACT_GRAM_MAX, PREFIX_MAX, edge_grams, folded_words
from .bulkwrite import TermPool
from .schema import build_schema, prepared_frequencies, prepared_terms
from .vocabulary import Vocabulary
from .whoosh_adapter import PooledSegmentWriter, UnscoredCodec, list_segments, move_segment, segments_of
from .workers import die_with_parent

# Bump when analysis or schema change, or a class Whoosh pickles into the table of contents (fields,
# analyzers, codec) moves: fingerprints then read as stale and the index as one to rebuild.
SCHEMA_VERSION = 8
WRITER_MEMORY_MB = 1024
MAX_DATE_KEY = 2**31 - 1
PROGRESS_EVERY = 500
# Each chunk of talks becomes one segment, and every search word is looked up in every segment:
# at 100,000 talks, chunks of 5,000 left 20 segments, and a common word or a short prefix spent
# most of its time on per-segment lookups. Below one chunk, one process writes one segment.
CHUNK_TALKS = 25_000
PARALLEL_FROM = CHUNK_TALKS
MAX_BUILD_PROCESSES = 4
INDEX_NAME = "MAIN"
POSTING_BLOCK = 1024


@dataclass(frozen=True)
class IndexedTalk:
    """Plain data for one talk as handed to the index."""

    slug: str
    title: str
    abstract: str
    speakers: tuple[str, ...]
    lang: str
    date_key: int
    event: str = ""  # the slug of its event, or "" for a talk of no event

    def fingerprint(self) -> str:
        """Return a stable hash of everything indexed for this talk (every field, a new one included)."""
        content = [SCHEMA_VERSION, *(getattr(self, name) for name in _INDEXED_FIELDS)]
        encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


_INDEXED_FIELDS = tuple(field.name for field in fields(IndexedTalk))


def talk_words(talk: IndexedTalk) -> tuple[list[str], list[str], list[str]]:
    """Return the folded words of a talk's title, speakers and abstract."""
    return (folded_words(talk.title), folded_words("\n".join(talk.speakers)), folded_words(talk.abstract))


def talk_document(talk: IndexedTalk, words: tuple[list[str], list[str], list[str]] | None = None) -> dict[str, Any]:
    """Build the Whoosh document for a talk from its words, analysed once."""
    title, speakers, abstract = words or talk_words(talk)
    document: dict[str, Any] = {
        "slug": talk.slug,
        "lang": talk.lang,
        "date_key": max(0, min(int(talk.date_key), MAX_DATE_KEY)),
        "title_words": len(title),
        "speakers_words": len(speakers),
        "abstract_words": len(abstract),
        "fingerprint": talk.fingerprint(),
        "title": prepared_frequencies(title),
        "_stored_title": talk.title,
        "abstract": prepared_frequencies(abstract),
        "_stored_abstract": talk.abstract,
        "speakers": prepared_terms(speakers),
        "prefix_title": prepared_terms(edge_grams(set(title + speakers), PREFIX_MAX)),
        "prefix_abstract": prepared_terms(edge_grams(set(abstract), ABSTRACT_GRAM_MAX)),
    }
    if talk.event:
        document["event"] = talk.event
    return document


def open_writer(ix: FileIndex, timeout: float) -> IndexWriter:
    """Open a Whoosh writer on ix (raises whoosh.index.LockError when another holds it)."""
    return PooledSegmentWriter(ix, TermPool(), limitmb=WRITER_MEMORY_MB, timeout=timeout,
                               codec=UnscoredCodec(POSTING_BLOCK))


def build_processes() -> int:
    """Return how many worker processes a large rebuild uses."""
    return max(1, min(os.cpu_count() or 1, MAX_BUILD_PROCESSES))


def fill_generation(gen_dir: Path, talks: Iterable[IndexedTalk],
                    on_progress: Callable[[int], None] | None) -> int:
    """Write every talk (first of each slug) into a fresh index in gen_dir; return the count."""
    unique = _first_of_each_slug(talks)
    head = list(itertools.islice(unique, PARALLEL_FROM + 1))
    if len(head) <= PARALLEL_FROM or build_processes() < 2:
        return _fill_here(gen_dir, itertools.chain(head, unique), on_progress)
    return _fill_in_workers(gen_dir, itertools.chain(head, unique), on_progress)


def _first_of_each_slug(talks: Iterable[IndexedTalk]) -> Iterator[IndexedTalk]:
    # Slugs are unique in the database; a repeat would become a duplicate hit.
    seen: set[str] = set()
    for talk in talks:
        if talk.slug not in seen:
            seen.add(talk.slug)
            yield talk


def _add_talks(writer: IndexWriter, talks: Iterable[IndexedTalk],
               on_progress: Callable[[int], None] | None = None) -> tuple[int, set[str]]:
    """Add the talks' documents to an open writer (cancelling it on failure); return the count and words."""
    count = 0
    vocabulary: set[str] = set()
    try:
        for talk in talks:
            words = talk_words(talk)
            writer.add_document(**talk_document(talk, words))
            vocabulary.update(*words)
            count += 1
            if on_progress is not None and count % PROGRESS_EVERY == 0:
                on_progress(count)
    except BaseException:
        writer.cancel()
        raise
    return count, vocabulary


def _fill_here(gen_dir: Path, talks: Iterable[IndexedTalk],
               on_progress: Callable[[int], None] | None) -> int:
    """Write the talks in this process with a single commit."""
    ix = whoosh_index.create_in(str(gen_dir), build_schema(), indexname=INDEX_NAME)
    writer = open_writer(ix, timeout=0)
    count, vocabulary = _add_talks(writer, talks, on_progress)
    writer.commit()
    ix.close()
    Vocabulary.of_words(sorted(vocabulary)).write(gen_dir)
    if on_progress is not None:
        on_progress(count)
    return count


def _fill_in_workers(gen_dir: Path, talks: Iterable[IndexedTalk],
                     on_progress: Callable[[int], None] | None) -> int:
    """Write chunks of talks as segments in worker processes, then list them in gen_dir's index."""
    processes = build_processes()
    whoosh_index.create_in(str(gen_dir), build_schema(), indexname=INDEX_NAME).close()
    parts = Path(tempfile.mkdtemp(prefix="parts-", dir=gen_dir))
    pending: list[tuple[Future, int]] = []
    segments: list[Any] = []
    vocabulary: set[str] = set()
    count = 0
    # Spawned, not forked: the caller may be a threaded web process.
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        chunks = iter(lambda: list(itertools.islice(talks, CHUNK_TALKS)), [])
        for number, chunk in enumerate(chunks):
            part_dir = parts / f"{number:05d}"
            pending.append((pool.submit(write_segments, str(part_dir), chunk), len(chunk)))
            # Keep a bounded number of chunks in memory: wait for the oldest ones.
            while len(pending) > processes:
                count = _collect(pending.pop(0), gen_dir, segments, vocabulary, count, on_progress)
        while pending:
            count = _collect(pending.pop(0), gen_dir, segments, vocabulary, count, on_progress)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    shutil.rmtree(parts, ignore_errors=True)
    Vocabulary.of_words(sorted(vocabulary)).write(gen_dir)
    list_segments(gen_dir, build_schema(), segments, INDEX_NAME)
    return count


def _collect(job: tuple[Future, int], gen_dir: Path, segments: list[Any], vocabulary: set[str],
             count: int, on_progress: Callable[[int], None] | None) -> int:
    """Wait for one chunk's segments, move their files into gen_dir and report progress."""
    future, size = job
    part_dir, written, words = future.result()
    vocabulary.update(words)
    for segment in written:
        move_segment(segment, Path(part_dir), gen_dir)
        segments.append(segment)
    count += size
    if on_progress is not None:
        on_progress(count)
    return count


def write_segments(part_dir: str, talks: list[IndexedTalk]) -> tuple[str, list[Any], set[str]]:
    """Write talks into a new index in part_dir (run in a worker process); return its segments and words."""
    os.makedirs(part_dir)
    ix = whoosh_index.create_in(part_dir, build_schema(), indexname=INDEX_NAME)
    writer = open_writer(ix, timeout=0)
    _count, vocabulary = _add_talks(writer, talks)
    writer.commit(merge=False)
    segments = segments_of(ix)
    ix.close()
    return part_dir, segments, vocabulary
