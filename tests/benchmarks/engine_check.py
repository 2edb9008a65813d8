"""Time the search engine alone over the benchmark's requests and record what it answers, to compare two versions.

`python -m tests.benchmarks.engine_check --size 10000 --out answers.json [--compare before.json] [--reindex]
[--profile profile.txt]`: uses the benchmark site of that size (built by `make bench` in the same work
directory), answers every request cold (each distinct request once, caches emptied first) with and without
the language filter, writes each request's top 20 slugs, counts, suggestion and highlight segments, and
with --compare lists every request whose answer differs from an earlier run's.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

from meetup.search import SYNONYMS_FILE, TalkIndex, load_synonym_groups

from .measure import Site, percentile
from .queries import all_requests


def answer(page) -> dict:
    """Return what a search page shows, in a form that compares equal across runs."""
    segments = json.dumps([[hit.slug, [list(s) for s in hit.title], [list(s) for s in hit.snippet]]
                           for hit in page.hits], default=str)
    return {"top": [hit.slug for hit in page.hits], "total": page.total, "langs": page.lang_counts,
            "years": {str(year): count for year, count in page.year_counts.items()},
            "matched_all": page.matched_all, "suggestion": page.suggestion, "expansions": page.expansions,
            "corrects": page.corrects, "segments": hashlib.sha1(segments.encode()).hexdigest()}


def run(engine: TalkIndex, repeats: int) -> tuple[dict, dict[str, list[float]], dict[str, list[float]]]:
    """Answer every request cold, repeats times; return the answers and each request's wall and CPU times."""
    answers: dict[str, dict] = {}
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    engine.search("warm up", None)
    for _ in range(repeats):
        # Reopened, its pages and word masks are cold; dates and lengths are read as a started worker reads them.
        engine.close()
        engine.prepare()
        for lang in ("", "es"):
            for kind, text in all_requests():
                started, started_cpu = time.perf_counter(), time.thread_time()
                page = engine.search(text, lang or None, page=1, per_page=20)
                elapsed = (time.perf_counter() - started) * 1000
                key = f"{kind}|{lang}|{text}"
                timings.setdefault(key, []).append(elapsed)
                cpu.setdefault(key, []).append((time.thread_time() - started_cpu) * 1000)
                answers[key] = answer(page)
    return answers, timings, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--work-dir", default="/tmp/meetup-bench")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index with this code first")
    parser.add_argument("--out", help="write the answers here")
    parser.add_argument("--compare", help="list requests answered differently than in this earlier file")
    parser.add_argument("--profile", help="profile one cold pass with pyinstrument into this file")
    args = parser.parse_args()
    site = Site(args.size, Path(args.work_dir) / f"n{args.size}")
    site.prepare(lambda message: print(message, file=sys.stderr))
    if args.reindex or not (site.index_dir / "current").exists():
        site.reindex()
        print(f"reindexed in {site.figures['reindex_s']:.1f} s, {site.figures['index_mb']:.0f} MiB", file=sys.stderr)
    site.close()
    synonyms = load_synonym_groups(SYNONYMS_FILE)
    engine = TalkIndex(site.index_dir, synonyms=synonyms)
    answers, timings, cpu = run(engine, args.repeats)
    cpu_medians = {key: statistics.median(values) for key, values in cpu.items()}
    medians = {key: statistics.median(values) for key, values in timings.items()}
    for name, table in (("wall", medians), ("cpu", cpu_medians)):
        for group in ("typing", "query", ""):
            values = [value for key, value in table.items() if key.startswith(group)]
            print(f"{name} {group or 'all'}: n {len(values)} p50 {percentile(values, 0.5):.2f} "
                  f"p95 {percentile(values, 0.95):.2f} max {max(values):.2f} ms")
    print("slowest by CPU time:")
    for key, value in sorted(cpu_medians.items(), key=lambda item: -item[1])[:15]:
        print(f"  {value:7.2f} ms  {key}")
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0002)
        engine.close()
        engine.prepare()
        profiler.start()
        run(engine, 1)
        profiler.stop()
        Path(args.profile).write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    engine.close()
    if args.out:
        Path(args.out).write_text(json.dumps(answers, indent=0, sort_keys=True), encoding="utf-8")
    if args.compare:
        before = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        differing = [key for key in before if before[key] != answers.get(key)]
        print(f"compared with {args.compare}: {len(differing)} of {len(before)} requests differ")
        for key in differing:
            fields = [name for name in before[key] if before[key][name] != answers[key].get(name)]
            print(f"  {key}: {', '.join(fields)}")


if __name__ == "__main__":
    main()
