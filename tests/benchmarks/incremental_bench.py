"""Time `flask import-talks` of new talks into a large archive and measure how much of the index it rewrites.

`python -m tests.benchmarks.incremental_bench [--size 20000] [--new 1000] [--repeats 3]` reuses (or
generates, imports and indexes) the benchmark site of that size, then per run copies its database
and index aside and imports a file of new talks (slugs of their own) into the copy with the
command. It prints each run's seconds, the bytes of index files the import wrote against the
size of the live generation (files it shares with the previous generation are hard links, not
copies), and the medians.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from meetup import create_app

from .corpus import CorpusGenerator
from .measure import Site


def write_new_talks(count: int, path: Path) -> None:
    """Write count talks none of the archive holds (another seed, slugs of their own) as one import file."""
    records = []
    for record in CorpusGenerator(count, seed=2017).records():
        record["slug"] = record["slug"].replace("talk-", "added-")
        records.append(record)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(records, stream, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)


def live_files(index_dir: Path) -> dict[str, os.stat_result]:
    """Return the files of the live generation by name with their stat results."""
    live = (index_dir / "current").resolve()
    return {entry.name: entry.stat() for entry in os.scandir(live) if entry.is_file()}


def one_run(site: Site, corpus: Path, count: int, work: Path) -> dict[str, float]:
    """Import the new talks into a copy of the site; return seconds, bytes written and the index size."""
    shutil.copy2(site.directory / "meetup.sqlite3", work / "meetup.sqlite3")
    shutil.copytree(site.index_dir, work / "index", symlinks=True)
    app = create_app({"DATABASE_URL": f"sqlite:///{work / 'meetup.sqlite3'}", "INDEX_DIR": str(work / "index"),
                      "SECRET_KEY": "bench", "SEED_ON_EMPTY": False, "INDEX_CHECK_SECONDS": 3600.0})
    app.logger.setLevel(logging.WARNING)
    before = live_files(work / "index")
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["import-talks", str(corpus)])
    elapsed = time.perf_counter() - started
    if result.exit_code != 0 or f"{count} added" not in result.output:
        raise SystemExit(f"import-talks failed:\n{result.output[-2000:]}")
    after = live_files(work / "index")
    kept = {(stat.st_dev, stat.st_ino) for stat in before.values()}
    written = sum(stat.st_size for stat in after.values() if (stat.st_dev, stat.st_ino) not in kept)
    app.extensions["meetup_index"].close()
    app.extensions["meetup_engine"].dispose()
    return {"seconds": elapsed, "written_mb": written / 2**20,
            "index_mb": sum(stat.st_size for stat in after.values()) / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20_000, help="talks in the archive")
    parser.add_argument("--new", type=int, default=1_000, help="talks in the imported file")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", default="/tmp/meetup-bench")
    args = parser.parse_args()
    site = Site.indexed(args.size, args.work_dir)
    site.close()
    runs = []
    with tempfile.TemporaryDirectory(prefix="meetup-incremental-") as scratch:
        corpus = Path(scratch) / "new.yaml"
        write_new_talks(args.new, corpus)
        for number in range(args.repeats):
            work = Path(scratch) / f"run{number}"
            work.mkdir()
            runs.append(one_run(site, corpus, args.new, work))
            shutil.rmtree(work)
            print(f"run {number + 1}: {args.new:,} talks into {args.size:,} in {runs[-1]['seconds']:.2f} s, "
                  f"{runs[-1]['written_mb']:.1f} of {runs[-1]['index_mb']:.1f} MiB of index written", flush=True)
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"median: {median['seconds']:.2f} s, {median['written_mb']:.1f} of {median['index_mb']:.1f} MiB written "
          f"({median['written_mb'] / median['index_mb']:.0%}) (load average {load})")


if __name__ == "__main__":
    main()
