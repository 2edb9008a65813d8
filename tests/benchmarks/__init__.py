"""Search benchmarks: a synthetic bilingual corpus, per-keystroke latency, an FTS5 reference and a load run.

Run with `make bench` (see README, Performance); pytest does not collect this package.
"""
