"""Score the site's search, two stock baselines and a tuned one on the judged queries: `python -m tests.relevance.run`.

Options: `--verbose` prints one line per query and engine; `--out FILE` writes every ranking and score as
JSON. The real talks are found through REALDATA or the `shared/realdata` folder beside the checkout.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from .engines import ENGINES, Engines
from .judgements import CLASSES, load_judgements, problems
from .metrics import CUTOFF, ndcg_at, recall_at, reciprocal_rank, wrong_sense_at
from .realdata import find_realdata, read_rows

METRICS = {"ndcg@10": ndcg_at, "mrr": reciprocal_rank, "recall@10": recall_at}


def score(queries, engines: Engines) -> list[dict]:
    """Return, per query, each engine's ranking (sources) and its metrics."""
    scored = []
    for query in queries:
        entry = {"id": query.id, "query": query.text, "classes": list(query.classes), "engines": {}}
        for engine in ENGINES:
            ranked = engines.ranked(engine, query.text)
            entry["engines"][engine] = {
                "ranked": ranked, **{name: metric(ranked, query.grades, CUTOFF) for name, metric in METRICS.items()},
                "wrong_sense": wrong_sense_at(ranked, set(query.wrong_sense), CUTOFF) if query.wrong_sense else None}
        scored.append(entry)
    return scored


def summarise(scored: list[dict]) -> dict[str, dict]:
    """Return the mean of each metric per class and overall, for each engine."""
    groups = {name: [entry for entry in scored if name in entry["classes"]] for name in CLASSES}
    groups["overall"] = scored
    return {
        name: {"queries": len(entries), **{
            engine: {metric: statistics.fmean(entry["engines"][engine][metric] for entry in entries)
                     for metric in METRICS}
            for engine in ENGINES}}
        for name, entries in groups.items() if entries
    }


def wrong_sense_shares(scored: list[dict]) -> dict[str, dict]:
    """Return, per engine, the page-one results judged a wrong sense over the queries that list such talks."""
    judged = [entry for entry in scored if entry["engines"][ENGINES[0]]["wrong_sense"] is not None]
    shares = {}
    for engine in ENGINES:
        wrong = sum(entry["engines"][engine]["wrong_sense"][0] for entry in judged)
        shown = sum(entry["engines"][engine]["wrong_sense"][1] for entry in judged)
        shares[engine] = {"queries": len(judged), "wrong": wrong, "shown": shown,
                          "share": wrong / shown if shown else 0.0}
    return shares


def print_wrong_senses(shares: dict[str, dict]) -> None:
    """Print the wrong-sense share of each engine's page one (lower is better)."""
    queries = next(iter(shares.values()))["queries"]
    print(f"\nPage-one results matched only through a wrong sense ({queries} queries with judged wrong senses; "
          "lower is better):\n")
    print("| engine | wrong / shown | share |")
    print("| --- | ---: | ---: |")
    for engine, row in shares.items():
        print(f"| {engine} | {row['wrong']} / {row['shown']} | {row['share']:.3f} |")


def print_table(summary: dict[str, dict]) -> None:
    """Print the per-class means as a Markdown table, ready for the README."""
    header = ["class", "queries"] + [f"{metric} {engine}" for metric in METRICS for engine in ENGINES]
    print("| " + " | ".join(header) + " |")
    print("| --- | ---: |" + " ---: |" * (len(header) - 2))
    for name, row in summary.items():
        cells = [f"**{name}**" if name == "overall" else name, str(row["queries"])]
        for metric in METRICS:
            values = [row[engine][metric] for engine in ENGINES]
            best = max(values)
            cells += [f"**{value:.3f}**" if value == best else f"{value:.3f}" for value in values]
        print("| " + " | ".join(cells) + " |")


def print_queries(scored: list[dict], grades_of: dict[str, dict[str, int]]) -> None:
    """Print one line per query and engine: nDCG@10 and the grades of the first ten results."""
    for entry in scored:
        print(f"\n{entry['id']} {entry['query']!r} [{', '.join(entry['classes'])}]")
        grades = grades_of[entry["id"]]
        for engine in ENGINES:
            result = entry["engines"][engine]
            shown = " ".join(str(grades.get(source, 0)) for source in result["ranked"]) or "(no results)"
            print(f"  {engine:<13} nDCG {result['ndcg@10']:.3f}  RR {result['mrr']:.2f}  "
                  f"R@10 {result['recall@10']:.2f}  grades: {shown}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query's scores and result grades")
    parser.add_argument("--out", type=Path, help="write the rankings and scores as JSON to this file")
    args = parser.parse_args(argv)
    path = find_realdata()
    if path is None or not path.is_file():
        print("error: the real talk file was not found; set REALDATA=/path/to/devopsdays-talks.yaml",
              file=sys.stderr)
        return 1
    rows = read_rows(path)
    queries = load_judgements()
    wrong = problems(queries, (row["source"] for row in rows))
    if wrong:
        print("error: the judgements do not match the talks: " + "; ".join(wrong), file=sys.stderr)
        return 1
    started = time.perf_counter()
    engines = Engines(rows)
    try:
        scored = score(queries, engines)
    finally:
        engines.close()
    summary = summarise(scored)
    if args.verbose:
        print_queries(scored, {query.id: query.grades for query in queries})
        print()
    print(f"{len(queries)} judged queries over {len(rows)} talks ({path.name}); means per class:\n")
    print_table(summary)
    shares = wrong_sense_shares(scored)
    print_wrong_senses(shares)
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    if args.out:
        args.out.write_text(json.dumps({"talks": len(rows), "cutoff": CUTOFF, "summary": summary,
                                        "wrong_sense": shares,
                                        "queries": scored}, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
