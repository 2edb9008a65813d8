"""Run the search benchmark: `python -m tests.benchmarks.run [--sizes 1000,10000] [--repeats 3] [--no-load]`."""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from .after_reindex import PHASES as AFTER_REINDEX_PHASES, time_after_reindex
from .load import load_run
from .measure import HTMX, SYSTEMS, Site, build_references, forget_caches, process_peak_rss_mb, time_fragments
from .profile import profile_requests
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
    references = build_references(site, log)
    figures = dict(site.figures)
    if not args.no_replay:
        figures["latency"] = time_fragments(site, references, args.repeats, log, args.gc_settled)
    if not args.no_after_reindex:
        figures["after_reindex"] = time_after_reindex(site, references, args.repeats, log, args.gc_settled)
    figures["bench_process_rss_mb"] = process_peak_rss_mb()
    if args.profile:
        out = Path(args.work_dir) / f"profile-n{size}.txt"
        figures["profile"] = profile_requests(site.app, typing_requests()[:100], out, HTMX, forget_caches)
        log(f"  profile written to {out}: {figures['profile']}")
    references.close()
    site.close()
    if not args.no_load:
        figures["load"] = load_run(site, [int(c) for c in args.connections.split(",")], args.load_seconds, log)
    return figures


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.1f}×" if theirs > 0 else "–"


def print_tables(results: dict, args: argparse.Namespace) -> None:
    """Print the figures as Markdown tables, ready for the README."""
    print(f"\nMachine: {results['machine']}; {args.repeats} runs, medians; {results['date']}\n")
    print("p50 / p95 ms per request; ratios compare p95 within the same run.\n")
    print("| talks | phase | requests | filter | fragment | engine | FTS5 | tantivy "
          "| fragment/FTS5 | fragment/tantivy | fragment max |")
    print("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, figures in results["sizes"].items():
        latency = figures.get("latency")
        for phase in ("cold", "warm") if latency else ():
            for group in ("typing", "query", "all"):
                for filtered in ("all", "lang"):
                    cell = {system: latency[f"{phase}/{system}/{group}/{filtered}"] for system in SYSTEMS}
                    shown = " | ".join(f"{cell[system]['p50']:.1f} / {cell[system]['p95']:.1f}" for system in SYSTEMS)
                    print(f"| {int(size):,} | {phase} | {group} | {'lang=es' if filtered == 'lang' else 'none'} "
                          f"| {shown} | {ratio(cell['fragment']['p95'], cell['fts5']['p95'])} "
                          f"| {ratio(cell['fragment']['p95'], cell['tantivy']['p95'])} "
                          f"| {cell['fragment']['max']:.0f} |")
    if any("after_reindex" in figures for figures in results["sizes"].values()):
        print("\nRight after an organiser's change and a reindex, each distinct request once (p50 / p95 ms; "
              "the first request after the switch, median: "
              + ", ".join(f"{phase} {figures['after_reindex'][f'{phase}/first_ms']:.0f} ms"
                          for figures in results["sizes"].values() if "after_reindex" in figures
                          for phase in AFTER_REINDEX_PHASES) + "):\n")
        print("| talks | worker | requests | filter | fragment | engine | FTS5 | tantivy "
              "| fragment/FTS5 | fragment/tantivy | fragment max |")
        print("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for size, figures in results["sizes"].items():
            latency = figures.get("after_reindex")
            for phase in AFTER_REINDEX_PHASES if latency else ():
                for group in ("typing", "query", "all"):
                    for filtered in ("all", "lang"):
                        cell = {system: latency[f"{phase}/{system}/{group}/{filtered}"] for system in SYSTEMS}
                        shown = " | ".join(f"{cell[system]['p50']:.1f} / {cell[system]['p95']:.1f}"
                                           for system in SYSTEMS)
                        print(f"| {int(size):,} | {phase} | {group} | {'lang=es' if filtered == 'lang' else 'none'} "
                              f"| {shown} | {ratio(cell['fragment']['p95'], cell['fts5']['p95'])} "
                              f"| {ratio(cell['fragment']['p95'], cell['tantivy']['p95'])} "
                              f"| {cell['fragment']['max']:.0f} |")
    print("\n| talks | reindex s | talks/s | FTS5 talks/s | tantivy talks/s | index MiB | serving RSS MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, figures in results["sizes"].items():
        rss = figures.get("load", {}).get("rss_mb")
        print(f"| {int(size):,} | {figures['reindex_s']:.1f} | {figures['talks_per_s']:,.0f} "
              f"| {figures['fts5_talks_per_s']:,.0f} | {figures['tantivy_talks_per_s']:,.0f} "
              f"| {figures['index_mb']:.0f} | {f'{rss:.0f}' if rss else '–'} |")
    print("\nGarbage collection pauses (wall clock; CPU of this thread in brackets):\n")
    print("| talks | collector | where | count (young / middle / full) | max ms | p99 ms | total ms |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for size, figures in results["sizes"].items():
        for timed in ("latency", "after_reindex"):
            pauses = figures.get(timed, {}).get("gc")
            for place in ("request", "between") if pauses else ():
                counts = " / ".join(f"{pauses[f'{place}/gen{n}']['count']:.0f}" for n in range(3))
                every = pauses[place]
                where = f"{place} (after reindex)" if timed == "after_reindex" else place
                print(f"| {int(size):,} | {'settled' if args.gc_settled else 'default'} | {where} | {counts} "
                      f"| {every['max_ms']:.1f} ({every['max_cpu_ms']:.1f}) "
                      f"| {every['p99_ms']:.1f} ({every['p99_cpu_ms']:.1f}) | {every['total_ms']:.0f} |")
    if any("profile" in figures for figures in results["sizes"].values()):
        print("\n| talks | ms per cold typing request (profiled) | engine % | data % | rendering % | framework % |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for size, figures in results["sizes"].items():
            if shares := figures.get("profile"):
                print(f"| {int(size):,} | {shares['ms_per_request']:.1f} | {shares['engine']:.0f} | {shares['data']:.0f} "
                      f"| {shares['rendering']:.0f} | {shares['framework']:.0f} |")
    if any("load" in figures for figures in results["sizes"].values()):
        print("\n| talks | requests | connections | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for size, figures in results["sizes"].items():
            for name, run in figures.get("load", {}).items():
                if not isinstance(run, dict):
                    continue
                kind, _, count = name.partition("/")
                print(f"| {int(size):,} | {kind} | {count} | {run.get('rps', 0):,.0f} | {run.get('p50', 0):.1f} "
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
    parser.add_argument("--gc-settled", action="store_true",
                        help="time with the collector settled as gunicorn workers run (meetup/gc_tuning.py)")
    parser.add_argument("--no-replay", action="store_true", help="skip the cold and warm replays")
    parser.add_argument("--no-after-reindex", action="store_true",
                        help="skip timing the first requests after an organiser's change and a reindex")
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
