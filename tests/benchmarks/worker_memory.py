"""Report the resident memory of a serving process on the benchmark site of a given size.

`python -m tests.benchmarks.worker_memory [--size 20000]` reuses (or generates, imports and
indexes) the benchmark site, then, in this fresh process, starts the app, prepares the live
generation as a worker's start does and answers every request of the benchmark mix once (with and
without `lang=es`) through the search fragment. It prints the resident set size (VmRSS) and its
peak (VmHWM) after each step.
"""
from __future__ import annotations

import argparse
import os
from urllib.parse import urlencode

from meetup.indexing.serving import talk_index

from .measure import HTMX, Site
from .queries import all_requests


def memory_mb() -> tuple[float, float]:
    """Return this process's resident set size and its peak, in MiB."""
    figures = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0]) / 1024
    return figures["VmRSS"], figures["VmHWM"]


def report(step: str) -> None:
    rss, peak = memory_mb()
    print(f"| {step} | {rss:.0f} | {peak:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--work-dir", default="/tmp/meetup-bench")
    args = parser.parse_args()
    site = Site.indexed(args.size, args.work_dir)
    print(f"{args.size:,} talks\n\n| step | RSS MiB | peak MiB |\n| --- | ---: | ---: |")
    report("app created")
    with site.app.app_context():
        talk_index().prepare()
    report("live generation prepared")
    client = site.app.test_client()
    requests = all_requests()
    for lang in ("", "es"):
        for _kind, text in requests:
            response = client.get("/?" + urlencode({"q": text, "lang": lang}), headers=HTMX)
            if response.status_code != 200:
                raise SystemExit(f"{text!r}: HTTP {response.status_code}")
    report(f"after {2 * len(requests)} distinct searches")
    site.close()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\nload average {load}")


if __name__ == "__main__":
    main()
