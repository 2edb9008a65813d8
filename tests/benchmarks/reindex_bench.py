"""Time `flask reindex` (rebuild_index) on a benchmark site and print the median rate.

`python -m tests.benchmarks.reindex_bench [--size 10000] [--repeats 3] [--work-dir /tmp/meetup-bench]`
reuses (or generates and imports) the benchmark site of that size, rebuilds its index repeats times
and prints each run's seconds and talks per second, their medians and the load average.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from .measure import Site


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", default="/tmp/meetup-bench")
    args = parser.parse_args()
    site = Site(args.size, Path(args.work_dir) / f"n{args.size}")
    site.prepare(lambda message: print(message, file=sys.stderr))
    rates, seconds = [], []
    try:
        for run in range(args.repeats):
            site.reindex()
            seconds.append(site.figures["reindex_s"])
            rates.append(site.figures["talks_per_s"])
            print(f"run {run + 1}: {site.figures['talks']:,} talks in {seconds[-1]:.2f} s, "
                  f"{rates[-1]:,.0f} talks/s, {site.figures['index_mb']:.1f} MiB")
    finally:
        site.close()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"median: {statistics.median(seconds):.2f} s, {statistics.median(rates):,.0f} talks/s "
          f"(load average {load})")


if __name__ == "__main__":
    main()
