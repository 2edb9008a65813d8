"""The talk index: build and update generations, and answer searches with pages of results.

`results` is the site's one question (a Search in, a ResultPage out); `search` runs one text as given.

Layout of the index directory: one `gen-<number>` directory per build, a `current`
symlink to the live one, and `.write.lock` serialising the writers (see generations).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Iterable, Mapping

from whoosh import index as whoosh_index
from whoosh.reading import ReaderClosed

from .analysis import LANGS, TEXT_FIELDS
from .build import INDEX_NAME, SCHEMA_VERSION, IndexedTalk, fill_generation
from .find import match_and_rank
from .generations import IndexDirectory, IndexMissing, now_iso
from .highlight import MatchRule, snippet_segments, title_segments
from .lexicon import lexicon
from .query import ParsedQuery, parse_query
from .rank import length_norms
from .reader import OpenGeneration
from .related import related_docnums
from .results import MAX_PER_PAGE, Hit, Ranked, ResultPage, Search, SearchPage
from .schema import build_schema
from .synonyms import SynonymTable
from .updating import write_changes
from .verify import readability_problem
from .whoosh_adapter import open_unmapped

# Result pages kept per process, keyed by query, filter, page and index commit.
PAGE_CACHE_SIZE = 512


class TalkIndex:
    """Build, update and search the talk index stored under one directory."""

    def __init__(self, directory: str | os.PathLike[str], *, writer_timeout: float = 3.0,
                 synonyms: Iterable[Iterable[str]] = (),
                 pairs: Iterable[tuple[str, str, float]] = (),
                 abbreviations: Mapping[str, Iterable[tuple[str, ...]]] | None = None) -> None:
        self.directory = Path(directory)
        self.writer_timeout = writer_timeout
        # The organisers' groups and abbreviations, and the weighted cross-language pairs.
        self._synonyms = SynonymTable(synonyms, pairs, abbreviations)
        self._store = IndexDirectory(self.directory)
        self._schema = build_schema()
        # Whoosh readers seek and read shared file objects, so searches take turns on them.
        self._lock = threading.Lock()
        self._open: OpenGeneration | None = None
        self._pages: OrderedDict[tuple, SearchPage] = OrderedDict()

    # --- writer side ---------------------------------------------------------

    def rebuild(self, talks: Iterable[IndexedTalk], *, version: int = 0,
                on_progress: Callable[[int], None] | None = None) -> int:
        """Index all talks into a new generation, make it live and prune old ones."""
        self.release_if_gone()  # files deleted under this process take up the space a rebuild needs
        with self._store.write_lock(self.writer_timeout):
            gen_dir = self._store.new_generation()
            try:
                count = fill_generation(gen_dir, talks, on_progress)
                self._store.write_meta(gen_dir.name, {
                    "version": version, "count": count, "schema": SCHEMA_VERSION,
                    "built_at": now_iso(), "updated_at": now_iso(),
                })
                self._store.make_live(gen_dir.name)
            except BaseException:
                shutil.rmtree(gen_dir, ignore_errors=True)
                raise
            self._store.prune()
            return count

    def writing(self):
        """Hold this directory's writer lock across several steps (rebuild and apply take it again)."""
        return self._store.write_lock(self.writer_timeout)

    def apply(self, upserts: Iterable[IndexedTalk], deletions: Iterable[str], *,
              version: int | None = None) -> None:
        """Delete then upsert talks in one commit, into a copy of the live generation swapped in on success.

        A failure (a full disk, say) leaves the live generation exactly as it was.
        """
        with self._store.write_lock(self.writer_timeout):
            name = self._store.live_name()
            if name is None:
                raise IndexMissing(f"no live search index in {self.directory}; run a full rebuild")
            gen_dir = self._store.copy_generation(name)
            try:
                write_changes(gen_dir, self._store, upserts, deletions, version=version,
                              schema=self._schema, writer_timeout=self.writer_timeout)
                self._store.make_live(gen_dir.name)
            except BaseException:
                shutil.rmtree(gen_dir, ignore_errors=True)
                raise
            self._store.prune()

    # --- reader side ---------------------------------------------------------

    def generation(self) -> str | None:
        """Return the name of the live generation directory."""
        return self._store.live_name()

    def problem(self) -> str | None:
        """Say what keeps the live generation from being read (opened afresh, every segment), or None.

        The one answer to "can this index be read": health checks, the follower and the commands ask it.
        """
        return readability_problem(self._store)

    def built_version(self) -> int | None:
        """Return the version recorded by the live generation."""
        name = self._store.live_name()
        meta = self._store.read_meta(name) if name else None
        version = meta.get("version") if meta else None
        return version if isinstance(version, int) else None

    def snapshot(self) -> tuple[str, int]:
        """Return the live generation and the commit this process reads: both change with what it finds."""
        with self._lock:
            opened = self._current_or_reopened()
            return opened.name, opened.token

    def _current_or_reopened(self) -> OpenGeneration:
        """Return the live generation's searcher, reopening once when its files vanished under it."""
        try:
            return self._current()
        except (OSError, ReaderClosed):
            self._forget_open()
            return self._current()

    def _current(self) -> OpenGeneration:
        """Return the live generation's searcher, reopening after a swap or an apply."""
        name = self._store.live_name()
        if name is None:
            self._forget_open()  # deleted: its files would take up disk space for as long as they stay open
            raise IndexMissing(f"no live search index in {self.directory}; run a full rebuild")
        opened = self._open
        if opened is not None and opened.name == name:
            opened.refresh_if_stale()
            return opened
        try:
            ix = open_unmapped(self._store.generation_path(name), self._schema, INDEX_NAME)
        except (OSError, whoosh_index.EmptyIndexError) as error:
            raise IndexMissing(f"live search index {name} cannot be opened: {error}") from error
        self._open = OpenGeneration.open(name, ix, self._store.generation_path(name), previous=opened)
        if opened is not None:
            opened.close()
        return self._open

    def _forget_open(self) -> None:
        """Close the open searcher so the next call reopens the live generation."""
        if self._open is not None:
            self._open.close()
            self._open = None

    def release_if_gone(self) -> None:
        """Close the open searcher when its generation is no longer on disk (its folder deleted, say)."""
        with self._lock:
            if self._open is not None and not self._store.generation_path(self._open.name).is_dir():
                self._forget_open()

    def close(self) -> None:
        """Close the open searcher."""
        with self._lock:
            self._forget_open()

    def fingerprints(self) -> dict[str, str]:
        """Return slug -> fingerprint for every indexed talk."""
        with self._lock:
            searcher = self._current().searcher
            return {stored["slug"]: stored["fingerprint"] for stored in searcher.all_stored_fields()}

    def prepare(self) -> None:
        """Compute what every search of the live generation reads, before a visitor's first search waits for it.

        Dates, lengths, language masks and the vocabulary's lookup tables are built on first use,
        once per open generation: at 100,000 talks that first search took 0.3-0.8 s; the lexicon once
        per process.
        """
        with self._lock:
            opened = self._current()
            for code in LANGS:
                opened.newest_first(code)
            opened.years()
            for fieldname in TEXT_FIELDS:
                length_norms(opened, fieldname)
            opened.vocabulary.starting_with("a")
            opened.vocabulary.near("a", 1)
        # The English and Spanish word lists (about 0.4 s to read) are checked before any correction.
        lexicon()

    def results(self, search: Search) -> ResultPage:
        """Answer a search with one page of results, searching the correction instead when that is worth it.

        A misspelt text (unless exact) is searched again as corrected; the correction is shown instead
        when it finds more: talks with every word, or any talks at all when the text found none (so two
        typos are corrected like one). A text with no searchable word is not searched.
        """
        if not parse_query(search.text).words:
            return ResultPage([], 0, searched=False)
        options = {"page": search.page, "per_page": search.per_page, "year": search.year, "event": search.event}
        found = self.search(search.text, search.lang, **options)
        if found.suggestion and not search.exact and (found.corrects or not found.matched_all):
            corrected = self.search(found.suggestion, search.lang, **options)
            if (corrected.matched_all or not found.total) and corrected.total > (found.total if found.matched_all else 0):
                return ResultPage.of(corrected, corrected_to=found.suggestion)
        return ResultPage.of(found)

    def search(self, text: str, lang: str | None = None, *, page: int = 1,
               per_page: int = 20, year: int | None = None, event: str | None = None) -> SearchPage:
        """Search talks for text, optionally in one language, one year and one event (by slug), returning one page."""
        year = int(year) if year else None
        page = max(1, int(page))
        per_page = max(1, min(int(per_page), MAX_PER_PAGE))
        lang_filter = lang if lang in LANGS else None
        parsed = parse_query(text)
        with self._lock:
            opened = self._current_or_reopened()
            # Visitors typing the same words ask for the same pages; a new commit changes the token.
            key = (opened.name, opened.token, parsed, lang_filter, year, event, page, per_page)
            cached = self._pages.get(key)
            if cached is not None:
                self._pages.move_to_end(key)
                return cached
            try:
                ranked = self._rank(parsed, lang_filter, year, page, per_page, event)
            except (OSError, ReaderClosed):
                # Files of a generation vanished under an old searcher: reopen once and retry.
                self._forget_open()
                ranked = self._rank(parsed, lang_filter, year, page, per_page, event)
        # Highlighting needs only the stored text, so it runs outside the lock.
        searched = ranked.searched or parsed
        if ranked.expansions:
            searched = ParsedQuery(searched.words + tuple(ranked.expansions), searched.phrases, searched.prefix)
        rule = MatchRule.for_query(searched, ranked.forms)
        hits = [Hit(slug, title_segments(title, rule), snippet_segments(abstract, rule))
                for slug, title, abstract in ranked.rows]
        found = SearchPage(hits=hits, total=ranked.total, lang_counts=ranked.lang_counts,
                           matched_all=ranked.matched_all, suggestion=ranked.suggestion,
                           words=list(parsed.words), year_counts=ranked.year_counts,
                           expansions=ranked.expansions, corrects=ranked.corrects,
                           full_matches=ranked.full_matches)
        with self._lock:
            self._pages[key] = found
            while len(self._pages) > PAGE_CACHE_SIZE:
                self._pages.popitem(last=False)
        return found

    def _rank(self, parsed: ParsedQuery, lang: str | None, year: int | None, page: int,
              per_page: int, event: str | None = None) -> Ranked:
        """Count and rank the matches of parsed, reading one page of stored text."""
        opened = self._current()
        in_year = opened.years() == year if year else None
        within = opened.term_mask([("event", event)]) if event else None
        return match_and_rank(opened, parsed, self._synonyms, lang, in_year, (page - 1) * per_page, per_page, within)

    def related(self, slug: str, limit: int = 4) -> list[str]:
        """Return the slugs of the talks most like this one, in either language (see related.py)."""
        with self._lock:
            opened = self._current()
            searcher = opened.searcher
            docnum = searcher.document_number(slug=slug)
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            text = f"{stored.get('title', '')}\n{stored.get('abstract', '')}"
            # Key terms come from content words: "de", "the", "que" would link every talk to every other.
            found = related_docnums(opened, self._synonyms, docnum, text, limit)
            return [slug for slug, _title, _abstract in opened.stored_rows(found)]
