"""Time import-talks and export-talks against a floor: libyaml parsing plus a bare sqlite3 executemany.

`python -m tests.benchmarks.import_bench [--size 10000] [--repeats 3]` (or `make bench-import`) writes a
corpus in the import format, then per run, in this one process: the floor (yaml.load with CSafeLoader,
then the rows into SQLite with executemany), `flask import-talks` into an empty site (validation,
database, search index), `flask export-talks`, and a second import of the export (nothing to change).
It prints medians and the ratio of the import to the floor.
"""
from __future__ import annotations

import argparse
import logging
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from meetup import create_app
from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.indexing.serving import talk_index
from meetup.indexing.sync import Drift, bring_in_step
from meetup.catalog.formats import load_talk_file

from .corpus import CorpusGenerator


def write_corpus_file(size: int, path: Path) -> None:
    """Write a corpus of size talks as one YAML import file."""
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(list(CorpusGenerator(size).records()), stream, Dumper=yaml.CSafeDumper,
                  allow_unicode=True, sort_keys=False, width=100)


def floor_seconds(path: Path, directory: Path) -> float:
    """Parse the file with libyaml and insert its rows with one executemany; return the seconds taken."""
    database = directory / "floor.sqlite3"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    talks = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    rows = [(t["slug"], t["title"], str(t.get("date")), t["language"], "; ".join(t.get("speakers") or ()),
             t.get("abstract") or "") for t in talks]
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE talks (slug TEXT UNIQUE, title TEXT, date TEXT, language TEXT, speakers TEXT, abstract TEXT)")
    connection.executemany("INSERT INTO talks VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def command_seconds(runner, args: list[str], expect: str) -> float:
    started = time.perf_counter()
    result = runner.invoke(args=args)
    elapsed = time.perf_counter() - started
    if result.exit_code != 0 or expect not in result.output:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.output[-2000:]}")
    return elapsed


def bench_app(directory: Path):
    app = create_app({"DATABASE_URL": f"sqlite:///{directory / 'site.sqlite3'}", "INDEX_DIR": str(directory / "index"),
                      "SECRET_KEY": "bench", "SEED_ON_EMPTY": False, "INDEX_CHECK_SECONDS": 3600.0})
    app.logger.setLevel(logging.WARNING)
    return app


def close(app) -> None:
    app.extensions["meetup_index"].close()
    app.extensions["meetup_engine"].dispose()


def phases(corpus: Path, directory: Path) -> dict[str, float]:
    """Time the import's three steps apart, calling what the command calls, into another empty site."""
    directory.mkdir()
    app = bench_app(directory)
    figures = {}
    with app.app_context():
        session = get_session()
        started = time.perf_counter()
        records = load_talk_file(corpus).records
        figures["read"] = time.perf_counter() - started
        started = time.perf_counter()
        report = import_records(session, records)
        figures["database"] = time.perf_counter() - started
        started = time.perf_counter()
        bring_in_step(session, talk_index(), Drift(missing=report.added))
        figures["index"] = time.perf_counter() - started
    close(app)
    return figures


def one_run(size: int, corpus: Path, directory: Path) -> dict[str, float]:
    """Time the floor, an import into an empty site, an export, and a no-op import of the export."""
    app = bench_app(directory)
    runner = app.test_cli_runner()
    exported = directory / "export.yaml"
    figures = {"floor": floor_seconds(corpus, directory)}
    figures["import"] = command_seconds(runner, ["import-talks", str(corpus)], f"{size} added")
    figures["export"] = command_seconds(runner, ["export-talks", str(exported)], f"exported {size} talks")
    figures["reimport"] = command_seconds(runner, ["import-talks", str(exported)], f"{size} unchanged")
    figures["export_mb"] = exported.stat().st_size / 2**20
    close(app)
    figures.update(phases(corpus, directory / "phases"))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="talks in the corpus")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs (medians are reported)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="meetup-import-bench-") as work:
        corpus = Path(work) / "talks.yaml"
        write_corpus_file(args.size, corpus)
        corpus_mb = corpus.stat().st_size / 2**20
        runs = []
        for number in range(args.repeats):
            run_dir = Path(work) / f"run{number}"
            run_dir.mkdir()
            runs.append(one_run(args.size, corpus, run_dir))
            print(f"run {number + 1}: " + ", ".join(f"{key} {value:.2f}" for key, value in runs[-1].items()), flush=True)
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    size = args.size
    print(f"\n{size:,} talks, corpus {corpus_mb:.1f} MiB, export {median['export_mb']:.1f} MiB, "
          f"medians of {args.repeats} runs\n")
    print("| step | seconds | talks/s | × floor |")
    print("| --- | ---: | ---: | ---: |")
    for label, key in (("floor: libyaml parse + sqlite3 executemany", "floor"), ("import-talks (empty site)", "import"),
                       ("export-talks", "export"), ("import-talks of the export (no change)", "reimport"),
                       ("import step: read and validate", "read"), ("import step: database (with language detection)", "database"),
                       ("import step: search index update", "index")):
        seconds = median[key]
        print(f"| {label} | {seconds:.2f} | {size / seconds:,.0f} | {seconds / median['floor']:.1f}× |")


if __name__ == "__main__":
    main()
