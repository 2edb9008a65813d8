"""A small reference search on SQLite FTS5 over the same talks, for latency and build-rate ratios."""
from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Iterable

from meetup.search import IndexedTalk

PREFIX_MIN = 2
PER_PAGE = 20
_WORD = re.compile(r"\w+")


class Fts5Reference:
    """Talks in an FTS5 table: unicode61 without diacritics, prefix indexes, bm25 ranking, snippets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path), check_same_thread=False)

    def build(self, talks: Iterable[IndexedTalk]) -> tuple[int, float]:
        """Load every talk and return (count, seconds)."""
        started = time.perf_counter()
        db = self.db
        db.executescript(
            """
            DROP TABLE IF EXISTS talks_fts;
            CREATE VIRTUAL TABLE talks_fts USING fts5(
                title, speakers, abstract, lang UNINDEXED, date_key UNINDEXED, slug UNINDEXED,
                tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
            );
            """
        )
        rows = ((t.title, "\n".join(t.speakers), t.abstract, t.lang, t.date_key, t.slug) for t in talks)
        with db:
            db.executemany("INSERT INTO talks_fts VALUES (?, ?, ?, ?, ?, ?)", rows)
        count = db.execute("SELECT count(*) FROM talks_fts").fetchone()[0]
        return count, time.perf_counter() - started

    @staticmethod
    def match_expression(text: str, any_word: bool = False) -> str | None:
        """Quote each word; the word being typed becomes a prefix query (dropped under two letters)."""
        words = _WORD.findall(text.replace("_", " "))[:8]
        typing = bool(words) and not text[-1:].isspace() and text.rstrip().endswith(words[-1])
        if typing and len(words[-1]) < PREFIX_MIN:
            words, typing = words[:-1], False
        if not words:
            return None
        terms = [f'"{word}"' for word in words]
        if typing:
            terms[-1] += "*"
        return (" OR " if any_word else " ").join(terms)

    def search(self, text: str, lang: str | None = None) -> tuple[int, list[tuple]]:
        """Return (total, one page of rows with highlighted title and snippet), as the site does."""
        db = self.db
        expression = self.match_expression(text)
        if expression is None:
            total = db.execute("SELECT count(*) FROM talks_fts" + (" WHERE lang = ?" if lang else ""),
                               (lang,) if lang else ()).fetchone()[0]
            db.execute("SELECT lang, count(*) FROM talks_fts GROUP BY lang").fetchall()
            rows = db.execute(
                "SELECT slug, title, abstract FROM talks_fts" + (" WHERE lang = ?" if lang else "")
                + " ORDER BY date_key DESC LIMIT ?", ((lang,) if lang else ()) + (PER_PAGE,)).fetchall()
            return total, rows
        counts = dict(db.execute(
            "SELECT lang, count(*) FROM talks_fts WHERE talks_fts MATCH ? GROUP BY lang", (expression,)).fetchall())
        if not counts:
            # Like the site: when no talk has every word, rank the talks that have any.
            expression = self.match_expression(text, any_word=True)
            counts = dict(db.execute(
                "SELECT lang, count(*) FROM talks_fts WHERE talks_fts MATCH ? GROUP BY lang", (expression,)).fetchall())
        total = counts.get(lang, 0) if lang else sum(counts.values())
        rows = db.execute(
            "SELECT slug, highlight(talks_fts, 0, '<mark>', '</mark>'),"
            " snippet(talks_fts, 2, '<mark>', '</mark>', '…', 35)"
            " FROM talks_fts WHERE talks_fts MATCH ?" + (" AND lang = ?" if lang else "")
            + " ORDER BY bm25(talks_fts, 3.0, 2.0, 1.0) LIMIT ?",
            (expression,) + ((lang,) if lang else ()) + (PER_PAGE,),
        ).fetchall()
        return total, rows

    def close(self) -> None:
        self.db.close()
