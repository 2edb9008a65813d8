"""The judged evaluation itself: the site must rank at least as well as both stock baselines in every class."""
from __future__ import annotations

import pytest

from .engines import STOCK, Engines
from .judgements import load_judgements
from .realdata import find_realdata, read_rows
from .run import score, summarise

OVERALL_FLOOR = 0.80  # nDCG@10 of the site on the first set (q01-q69); 0.837 when set, 0.677 before BM25F


@pytest.fixture(scope="module")
def scored():
    path = find_realdata()
    if path is None or not path.is_file():
        pytest.skip("the real talk file (shared/realdata/devopsdays-talks.yaml) is not beside this checkout")
    engines = Engines(read_rows(path))
    try:
        return score(load_judgements(), engines)
    finally:
        engines.close()


@pytest.fixture(scope="module")
def summary(scored):
    return summarise(scored)


@pytest.fixture(scope="module")
def first_set(scored):
    return summarise([entry for entry in scored if "hard" not in entry["classes"]])


def test_the_site_ranks_above_its_floor_overall(summary, first_set):
    assert first_set["overall"]["site"]["ndcg@10"] >= OVERALL_FLOOR


def behind_the_stock_baselines(summary: dict, metric: str) -> dict:
    """Return the classes where the site scores below the better stock baseline, with both scores."""
    best = {name: max(row[engine][metric] for engine in STOCK) for name, row in summary.items()}
    return {name: (round(row["site"][metric], 3), round(best[name], 3))
            for name, row in summary.items() if row["site"][metric] < best[name]}


@pytest.mark.parametrize("metric", ["ndcg@10", "mrr", "recall@10"])
def test_the_site_is_at_least_as_good_as_each_baseline_in_every_class(first_set, metric):
    behind = behind_the_stock_baselines(first_set, metric)
    assert not behind, f"{metric}: site below the better baseline in {behind}"


# On all queries, the harder set included, ranking quality (nDCG) and recall must not trail in any class;
# the first relevant talk's rank (MRR) is reported by `make relevance` (one query moves a class of ten by 0.07).
@pytest.mark.parametrize("metric", ["ndcg@10", "recall@10"])
def test_the_site_ranks_at_least_as_well_as_each_baseline_on_every_query_class(summary, metric):
    behind = behind_the_stock_baselines(summary, metric)
    assert not behind, f"{metric}: site below the better baseline in {behind}"
