"""Rank metrics over graded judgements: nDCG@k, reciprocal rank and recall@k.

Grades run from 0 (not relevant) to 3 (the talk is about the query). nDCG uses the exponential gain
2**grade - 1 and the log2(rank + 1) discount of Järvelin and Kekäläinen as popularised by Burges et al.;
reciprocal rank and recall count every talk with a grade of at least 1 as relevant. The wrong-sense count is
the number of the first k results that share a word with the query only through a sense judged wrong.
"""
from __future__ import annotations

import math
from typing import Collection, Mapping, Sequence

CUTOFF = 10


def dcg(grades: Sequence[int]) -> float:
    """Return the discounted cumulative gain of grades listed in rank order."""
    return sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return nDCG@k of a ranked list of keys against graded judgements (0.0 when nothing is relevant)."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(key, 0) for key in ranked[:k]]) / ideal


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return 1/rank of the first relevant key within the first k, or 0.0 when there is none."""
    for rank, key in enumerate(ranked[:k], start=1):
        if judged.get(key, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return the share of relevant keys found within the first k (0.0 when nothing is relevant)."""
    relevant = {key for key, grade in judged.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def wrong_sense_at(ranked: Sequence[str], wrong: Collection[str], k: int = CUTOFF) -> tuple[int, int]:
    """Return (results judged a wrong sense, results shown) among the first k."""
    shown = ranked[:k]
    return sum(key in wrong for key in shown), len(shown)
