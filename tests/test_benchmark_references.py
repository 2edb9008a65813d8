"""The benchmark's outside references answer a keystroke as the site would: words, prefixes, counts."""
from __future__ import annotations

import pytest

from meetup.search import IndexedTalk

from tests.benchmarks.fts5 import Fts5Reference
from tests.benchmarks.profile import category_of
from tests.benchmarks.tantivy_ref import TantivyReference

TALKS = [
    IndexedTalk("k8s-prod", "Kubernetes en producción", "Contenedores y clústeres.", ("Ana López",), "es", 20190101),
    IndexedTalk("k8s-costs", "Kubernetes costs", "Cutting the cloud bill.", ("Bob Smith",), "en", 20200101),
    IndexedTalk("chaos", "Chaos engineering", "Breaking things on purpose in production.", ("Ana López",), "en", 20210101),
]


@pytest.fixture(scope="module", params=["fts5", "tantivy"])
def reference(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(request.param)
    found = Fts5Reference(directory / "fts5.sqlite3") if request.param == "fts5" else TantivyReference(directory / "t")
    assert found.build(TALKS)[0] == 3
    yield found
    found.close()


@pytest.mark.parametrize("text, lang, total, first", [
    ("kube", None, 2, None),  # the word being typed is a prefix
    ("kubernetes", "es", 1, "k8s-prod"),
    ("produccion", None, 1, "k8s-prod"),  # accents folded
    ("lopez", None, 2, None),  # speakers are searched
    ("kubernetes zzzz", None, 2, None),  # no talk has every word: any word
    ("k", None, 3, "chaos"),  # no word long enough: every talk, newest first
])
def test_references_answer_a_keystroke(reference, text, lang, total, first):
    found, rows = reference.search(text, lang)
    assert found == total and len(rows) == total
    if first:
        assert rows[0][0] == first


@pytest.mark.parametrize("path, expected", [
    ("/x/meetup/search/rank.py", "engine"),
    ("/x/site-packages/sqlalchemy/orm/session.py", "data"),
    ("/x/meetup/catalog/models.py", "data"),
    ("/x/meetup/web/cards.py", "data"),
    ("/x/meetup/web/i18n.py", "rendering"),
    ("/x/meetup/catalog/talkdate.py", "rendering"),
    ("/x/meetup/web/fragments.py", "rendering"),
    ("/x/templates/_talk_card.html", "rendering"),
    ("/x/site-packages/flask/app.py", "framework"),
])
def test_profile_categories(path, expected):
    assert category_of(path, "framework") == expected
