"""Run the search benchmark: `python -m tests.benchmarks.run [--sizes 1000,10000] [--repeats 3] [--no-load]`."""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from .load import load_run
from .measure import Site, build_reference, process_peak_rss_mb, profile_slowest, time_fragments
from .queries import typing_requests

DEFAULT_SIZES = "1000,10000,100000"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def bench_size(size: int, args: argparse.Namespace) -> dict:
    log(f"== {size:,} talks")
    site = Site(size, Path(args.work_dir) / f"n{size}")
    site.prepare(log)
    site.reindex()
    log(f"  reindex {site.figures['reindex_s']:.1f} s ({site.figures['talks_per_s']:,.0f} talks/s), "
        f"index {site.figures['index_mb']:.0f} MiB")
    reference = build_reference(site)
    figures = dict(site.figures)
    figures["latency"] = time_fragments(site, reference, args.repeats, log)
    figures["bench_process_rss_mb"] = process_peak_rss_mb()
    if args.profile:
        out = Path(args.work_dir) / f"profile-n{size}.txt"
        profile_slowest(site, typing_requests()[:60], out)
        log(f"  profile written to {out}")
    reference.close()
    site.close()
    if not args.no_load:
        figures["load"] = load_run(site, [int(c) for c in args.connections.split(",")], args.load_seconds, log)
    return figures


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.1f}×" if theirs > 0 else "–"


def print_tables(results: dict, args: argparse.Namespace) -> None:
    """Print the figures as Markdown tables, ready for the README."""
    print(f"\nMachine: {results['machine']}; {args.repeats} runs, medians; {results['date']}\n")
    print("| talks | requests | filter | p50 ms | p95 ms | p99 ms | max ms | FTS5 p50 | FTS5 p95 | p95 ours/FTS5 |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, figures in results["sizes"].items():
        latency = figures["latency"]
        for group in ("typing", "query", "all"):
            for filtered in ("all", "lang"):
                ours, theirs = latency[f"ours/{group}/{filtered}"], latency[f"fts5/{group}/{filtered}"]
                print(f"| {int(size):,} | {group} | {'lang=es' if filtered == 'lang' else 'none'} "
                      f"| {ours['p50']:.1f} | {ours['p95']:.1f} | {ours['p99']:.1f} | {ours['max']:.0f} "
                      f"| {theirs['p50']:.1f} | {theirs['p95']:.1f} | {ratio(ours['p95'], theirs['p95'])} |")
    print("\n| talks | reindex s | talks/s | FTS5 talks/s | index MiB | serving RSS MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, figures in results["sizes"].items():
        rss = figures.get("load", {}).get("rss_mb")
        print(f"| {int(size):,} | {figures['reindex_s']:.1f} | {figures['talks_per_s']:,.0f} "
              f"| {figures['fts5_talks_per_s']:,.0f} | {figures['index_mb']:.0f} | {f'{rss:.0f}' if rss else '–'} |")
    if any("load" in figures for figures in results["sizes"].values()):
        print("\n| talks | connections | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for size, figures in results["sizes"].items():
            for count, run in figures.get("load", {}).items():
                if not isinstance(run, dict):
                    continue
                print(f"| {int(size):,} | {count} | {run.get('rps', 0):,.0f} | {run.get('p50', 0):.1f} "
                      f"| {run.get('p90', 0):.1f} | {run.get('p99', 0):.1f} | {run.get('max', 0):.0f} "
                      f"| {run['non_2xx']} | {run['socket_errors']} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated corpus sizes")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per size (medians are reported)")
    parser.add_argument("--work-dir", default="/tmp/meetup-bench", help="where corpora, databases and indexes live")
    parser.add_argument("--connections", default="8,64", help="wrk connection counts")
    parser.add_argument("--load-seconds", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk load run")
    parser.add_argument("--profile", action="store_true", help="also profile typing requests with pyinstrument")
    args = parser.parse_args(argv)
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": {}}
    output = Path(args.work_dir) / "results.json"
    Path(args.work_dir).mkdir(parents=True, exist_ok=True)
    for size in (int(value) for value in args.sizes.split(",")):
        results["sizes"][str(size)] = bench_size(size, args)
        output.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print_tables(results, args)
    log(f"figures saved in {output}")


if __name__ == "__main__":
    main()
