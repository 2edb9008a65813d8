"""The judgement file is well formed and grades only talks that exist in the real data."""
import pytest

from tests.relevance.judgements import CLASSES, MIN_PER_CLASS, JudgedQuery, load_judgements, problems
from tests.relevance.realdata import find_realdata, import_rows, read_rows

QUERIES = load_judgements()


def test_every_class_has_enough_queries():
    for name in CLASSES:
        assert sum(name in query.classes for query in QUERIES) >= MIN_PER_CLASS, name


def test_at_least_45_queries():
    assert len(QUERIES) >= 45


def test_at_least_40_hard_queries_and_some_wrong_senses():
    hard = [query for query in QUERIES if "hard" in query.classes]
    assert len(hard) >= 40
    assert sum(bool(query.wrong_sense) for query in hard) >= 8


@pytest.mark.parametrize("query", QUERIES, ids=[query.id for query in QUERIES])
def test_query_is_well_formed(query):
    assert query.text.strip() == query.text and query.text
    assert query.classes and set(query.classes) <= set(CLASSES)
    assert all(grade in (1, 2, 3) for grade in query.grades.values())
    # A harder query may ask about what the archive covers only in part ("chaos engineering"): a 2 is its best.
    assert max(query.grades.values()) >= (2 if "hard" in query.classes else 3)


def test_every_graded_talk_exists():
    path = find_realdata()
    if path is None:
        pytest.skip("the real talk file is not present (set REALDATA)")
    assert problems(QUERIES, (row["source"] for row in read_rows(path))) == []


def test_imported_slugs_are_unique():
    path = find_realdata()
    if path is None:
        pytest.skip("the real talk file is not present (set REALDATA)")
    slugs = [record["slug"] for record in import_rows(read_rows(path))]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("query, expected", [
    (JudgedQuery("q1", "x", ("english",), {"known": 3}), []),
    (JudgedQuery("q1", "x", ("english",), {"unknown": 3}), ["q1: no talk has source 'unknown'"]),
    (JudgedQuery("q1", "x", ("english",), {"known": 4}), ["q1: grade 4 for known is not 0..3"]),
    (JudgedQuery("q1", "x", ("english",), {"known": True}), ["q1: grade True for known is not 0..3"]),
    (JudgedQuery("q1", "x", ("englsh",), {"known": 3}), ["q1: unknown class 'englsh'"]),
    (JudgedQuery("q1", "x", ("english",), {"known": 0}), ["q1: no relevant talk"]),
    (JudgedQuery("q1", "x", ("english",), {"known": 3}, ("other",)), []),
    (JudgedQuery("q1", "x", ("english",), {"known": 3}, ("gone",)), ["q1: no talk has source 'gone'"]),
    (JudgedQuery("q1", "x", ("english",), {"known": 3}, ("known",)),
     ["q1: known is graded relevant and judged a wrong sense"]),
])
def test_problems_are_reported(query, expected):
    # Padding queries fill every class so only the case's own problem is reported.
    padding = [JudgedQuery(f"p{n}", f"p{n}", CLASSES, {"known": 3}) for n in range(MIN_PER_CLASS)]
    assert problems([query] + padding, ["known", "other"]) == expected


def test_thin_class_is_reported():
    queries = [JudgedQuery("q1", "x", ("english",), {"known": 3})]
    assert "class spanish: 0 queries, fewer than 4" in problems(queries, ["known"])
