"""Web processes only read the index: without a readable one, database pages serve and searches answer 503."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from meetup.search import TalkIndex
from meetup.settings import settings_of

SEARCHES = [
    ("/?q=kubernetes", {}),
    ("/?q=kubernetes", {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}),
    ("/api/talks?q=kubernetes", {}),
    ("/feed.atom?q=kubernetes", {}),
]
DATABASE_PAGES = ["/", "/talks/postmortems-at-flywire", "/speakers/", "/api/talks", "/feed.atom", "/sitemap.xml"]


def below_a_regular_file(tmp_path: Path) -> str:
    (tmp_path / "a-file").write_text("not a directory")
    return str(tmp_path / "a-file" / "index")


def _truncate_largest_segment(index_dir: Path, size_of) -> None:
    segment = max((index_dir / "current").glob("*.seg"), key=os.path.getsize)
    os.truncate(segment, size_of(os.path.getsize(segment)))


def test_without_an_index_database_pages_serve_searches_answer_503_and_nothing_is_built(make_app, tmp_path,
                                                                                        monkeypatch):
    builds = []
    monkeypatch.setattr(TalkIndex, "rebuild", lambda self, *args, **kwargs: builds.append(1))
    app = make_app(SEED_ON_EMPTY=True)
    client = app.test_client()
    for _round in range(3):
        for path in DATABASE_PAGES:
            assert client.get(path).status_code == 200, path
        for path, headers in SEARCHES:
            response = client.get(path, headers=headers)
            assert response.status_code == 503, path
            assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/api/talks?q=kubernetes").get_json() == {
        "error": "search is unavailable for a moment; try again shortly"}
    page = client.get("/?q=kubernetes")
    assert "Search is briefly unavailable" in page.get_data(as_text=True) and page.headers["Retry-After"] == "30"
    spanish = client.get("/?q=kubernetes", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "La búsqueda no está disponible por un momento" in spanish
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["index"] == "missing"
    assert builds == [], "a web process tried to build the index"
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("index_dir", [below_a_regular_file, lambda tmp_path: str(tmp_path / "index")],
                         ids=["below-a-regular-file", "missing"])
def test_healthz_is_json_503_when_the_index_cannot_exist(make_app, tmp_path, index_dir):
    app = make_app(SEED_ON_EMPTY=True, INDEX_DIR=index_dir(tmp_path))
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/talks/postmortems-at-flywire").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 503 and health.is_json
    assert health.get_json() | {"content_version": 0} == {
        "status": "unavailable", "database": "ok", "index": "missing", "content_version": 0}


# Whoosh leaves the file of a segment it fails to parse to the garbage collector.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("size_of", [lambda size: 0, lambda size: size // 2, lambda size: size - 100],
                         ids=["zero-bytes", "half", "tail-cut"])
def test_a_corrupt_live_generation_answers_503_to_search_keeps_talk_pages_and_reindex_recovers(
        make_app, size_of):
    app = make_app(indexed=True, SEED_ON_EMPTY=True)
    client = app.test_client()
    assert client.get("/?q=kubernetes").status_code == 200
    assert client.get("/healthz").status_code == 200
    app.extensions["meetup_index"].close()
    _truncate_largest_segment(Path(settings_of(app).index_dir), size_of)
    app.extensions["meetup_index_check"].seconds = 0  # do not reuse the answer from before the damage
    for path, headers in SEARCHES:
        assert client.get(path, headers=headers).status_code == 503, path
    talk = client.get("/talks/postmortems-at-flywire")
    assert talk.status_code == 200 and "Postmortems at Flywire" in talk.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["index"] == "unreadable"

    runner = app.test_cli_runner()
    check = runner.invoke(args=["reindex", "--check"])
    assert check.exit_code == 1
    assert check.output.count("\n") == 1 and "cannot be read" in check.output and "run `flask reindex`" in check.output
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert client.get("/?q=kubernetes").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert runner.invoke(args=["reindex", "--check"]).exit_code == 0


def test_health_reads_the_index_at_most_every_few_seconds(make_app, monkeypatch):
    client = make_app(SEED_ON_EMPTY=True, indexed=True).test_client()
    probes = []
    real = TalkIndex.problem
    monkeypatch.setattr(TalkIndex, "problem", lambda index: probes.append(1) or real(index))
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert len(probes) == 1
