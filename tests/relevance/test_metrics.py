"""The rank metrics agree with values worked out by hand."""
import math

import pytest

from tests.relevance.metrics import dcg, ndcg_at, recall_at, reciprocal_rank, wrong_sense_at

JUDGED = {"a": 3, "b": 2, "c": 1, "d": 0}


@pytest.mark.parametrize("grades, expected", [
    ([], 0.0),
    ([3], 7.0),
    ([3, 2], 7.0 + 3.0 / math.log2(3)),
    ([0, 3], 7.0 / math.log2(3)),
    ([1, 0, 1], 1.0 + 1.0 / 2.0),
])
def test_dcg(grades, expected):
    assert dcg(grades) == pytest.approx(expected)


IDEAL = 7.0 + 3.0 / math.log2(3) + 1.0 / 2.0


@pytest.mark.parametrize("ranked, expected", [
    (["a", "b", "c"], 1.0),
    (["c", "b", "a"], (1.0 + 3.0 / math.log2(3) + 7.0 / 2.0) / IDEAL),
    (["x", "a"], (7.0 / math.log2(3)) / IDEAL),
    (["d", "x", "y"], 0.0),
    ([], 0.0),
])
def test_ndcg(ranked, expected):
    assert ndcg_at(ranked, JUDGED) == pytest.approx(expected)


def test_ndcg_counts_only_the_first_k():
    ranked = [f"x{n}" for n in range(10)] + ["a"]
    assert ndcg_at(ranked, JUDGED, k=10) == 0.0
    assert ndcg_at(ranked, JUDGED, k=11) > 0.0


def test_ndcg_ideal_is_cut_at_k():
    judged = {"a": 3, "b": 3}
    assert ndcg_at(["a"], judged, k=1) == pytest.approx(1.0)


def test_ndcg_without_relevant_talks_is_zero():
    assert ndcg_at(["a"], {"a": 0}) == 0.0


@pytest.mark.parametrize("ranked, expected", [
    (["a"], 1.0),
    (["x", "c"], 0.5),
    (["x", "d", "y", "b"], 0.25),
    (["x", "y"], 0.0),
    ([f"x{n}" for n in range(10)] + ["a"], 0.0),
])
def test_reciprocal_rank(ranked, expected):
    assert reciprocal_rank(ranked, JUDGED) == pytest.approx(expected)


@pytest.mark.parametrize("ranked, expected", [
    (["a", "b", "c"], 1.0),
    (["a", "d"], 1 / 3),
    (["x", "c", "b"], 2 / 3),
    ([], 0.0),
    ([f"x{n}" for n in range(10)] + ["a"], 0.0),
])
def test_recall(ranked, expected):
    assert recall_at(ranked, JUDGED) == pytest.approx(expected)


@pytest.mark.parametrize("ranked, wrong, k, expected", [
    ([], {"w"}, 10, (0, 0)),
    (["a", "w", "b"], {"w"}, 10, (1, 3)),
    (["w", "v", "a"], {"w", "v"}, 10, (2, 3)),
    (["a", "b", "w"], {"w"}, 2, (0, 2)),
    (["a", "b"], set(), 10, (0, 2)),
])
def test_wrong_sense_counts_only_the_first_k(ranked, wrong, k, expected):
    assert wrong_sense_at(ranked, wrong, k) == expected
