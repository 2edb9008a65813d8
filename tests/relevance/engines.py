"""The engines compared: the site through its JSON API, stock Whoosh BM25F and SQLite FTS5, on one corpus."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import yaml

from meetup import create_app
from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.catalog.formats import read_talk_file
from tests.benchmarks.fts5 import Fts5Reference
from tests.benchmarks.measure import Site

from .metrics import CUTOFF
from .realdata import import_rows, slug_for
from .tantivy_tuned import TunedTantivy
from .whoosh_baseline import WhooshBaseline

ENGINES = ("site", "whoosh-bm25f", "fts5", "tantivy-tuned")
# The stock baselines the site must not trail in any class; the tuned engine is the stronger anchor.
STOCK = ("whoosh-bm25f", "fts5")


class RealdataSite(Site):
    """A site whose database holds the real talks, imported through the organisers' import path."""

    def __init__(self, rows: list[dict], directory: Path) -> None:
        super().__init__(len(rows), directory)
        self.rows = rows

    def prepare(self, log=print) -> None:
        """Write the talks as an import file, import it into a fresh database and build the index."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / "talks.yaml"
        path.write_text(yaml.safe_dump(import_rows(self.rows), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        self.app = create_app(self.config())
        self.app.logger.setLevel(logging.WARNING)
        with self.app.app_context():
            session = get_session()
            import_records(session, read_talk_file(path))
            session.close()
        self.reindex()


class Engines:
    """The three engines over the same talks, each answering a query with sources in rank order."""

    def __init__(self, rows: list[dict]) -> None:
        self._temporary = tempfile.TemporaryDirectory(prefix="meetup-relevance-")
        root = Path(self._temporary.name)
        self.source_of = {slug_for(row["source"]): row["source"] for row in rows}
        self.site = RealdataSite(rows, root / "site")
        self.site.prepare()
        self.client = self.site.app.test_client()
        self.fts5 = Fts5Reference(root / "fts5.sqlite3")
        self.fts5.build(self.site.talks())
        self.whoosh = WhooshBaseline(root / "whoosh")
        self.whoosh.build(self.site.talks())
        self.tantivy = TunedTantivy(root / "tantivy")
        self.tantivy.build(self.site.talks())

    def ranked(self, engine: str, text: str) -> list[str]:
        """Return the sources of the first results of engine for text, best first."""
        if engine == "site":
            response = self.client.get("/api/talks", query_string={"q": text, "per_page": CUTOFF})
            if response.status_code != 200:
                raise RuntimeError(f"/api/talks?q={text!r}: HTTP {response.status_code}")
            slugs = [talk["slug"] for talk in response.get_json()["talks"]]
        elif engine == "whoosh-bm25f":
            slugs = self.whoosh.search(text, CUTOFF)
        elif engine == "tantivy-tuned":
            slugs = self.tantivy.search(text, CUTOFF)
        elif engine == "fts5":
            slugs = [row[0] for row in self.fts5.search(text)[1]]
        else:
            raise ValueError(f"unknown engine {engine!r}")
        return [self.source_of[slug] for slug in slugs[:CUTOFF]]

    def close(self) -> None:
        self.fts5.close()
        self.whoosh.ix.close()
        self.tantivy.close()
        self.site.close()
        self._temporary.cleanup()
