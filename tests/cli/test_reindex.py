"""flask reindex, --check, the writer lock, and keeping the index in step with imports."""
from __future__ import annotations

import fcntl
import re
import threading
from pathlib import Path

from meetup.catalog.db import get_session
from meetup.indexing.serving import talk_index
from meetup.catalog.models import Talk
from meetup.settings import settings_of
from tests.html import card_slugs


def search(app, q: str) -> list[str]:
    return card_slugs(app.test_client().get("/", query_string={"q": q}).get_data(as_text=True))


def test_reindex_builds_a_new_generation_and_prints_a_summary(seeded_app):
    runner = seeded_app.test_cli_runner()
    with seeded_app.app_context():
        before = talk_index().generation()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert re.search(r"indexed 19 talks in [\d.]+ s \([\d,]+ talks/s\); generation gen-", result.output)
    with seeded_app.app_context():
        assert talk_index().generation() != before
    assert "postmortems-at-flywire" in search(seeded_app, "postmortem")


def test_check_reports_missing_stale_and_extra_talks(seeded_app):
    runner = seeded_app.test_cli_runner()
    ok = runner.invoke(args=["reindex", "--check"])
    assert ok.exit_code == 0 and "in step" in ok.output
    with seeded_app.app_context():
        session = get_session()
        session.query(Talk).filter_by(slug="incident-analysis").one().abstract = "Changed behind the index's back."
        session.delete(session.query(Talk).filter_by(slug="secrets-as-code").one())
        session.add(Talk(slug="brand-new", title="Brand new", abstract="", language="en"))
        session.commit()
    drift = runner.invoke(args=["reindex", "--check"])
    assert drift.exit_code == 1
    assert "missing: brand-new" in drift.output
    assert "stale: incident-analysis" in drift.output
    assert "extra: secrets-as-code" in drift.output
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert runner.invoke(args=["reindex", "--check"]).exit_code == 0


def test_check_without_an_index_fails_clearly(app):
    result = app.test_cli_runner().invoke(args=["reindex", "--check"])
    assert result.exit_code == 1 and "no search index in" in result.output and "run `flask reindex`" in result.output


def test_a_second_writer_is_refused_with_index_busy(make_app, tmp_path):
    app = make_app(indexed=True, SEED_ON_EMPTY=True)
    app.test_client().get("/")
    app.extensions["meetup_index"].writer_timeout = 0.3
    lock_path = Path(settings_of(app).index_dir) / ".write.lock"
    with open(lock_path, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = app.test_cli_runner().invoke(args=["reindex"])
        fcntl.flock(held, fcntl.LOCK_UN)
    assert result.exit_code == 1
    assert "index busy" in result.output


def test_import_updates_the_index_after_commit(seeded_app, write_file):
    path = write_file("new.yaml", "- title: Observabilidad con eBPF\n  language: es\n  abstract: Sondas en el núcleo.\n")
    result = seeded_app.test_cli_runner().invoke(args=["import-talks", str(path)])
    assert result.exit_code == 0 and "search index updated" in result.output
    assert search(seeded_app, "ebpf") == ["observabilidad-con-ebpf"]
    assert search(seeded_app, "nucleo") == ["observabilidad-con-ebpf"]
    assert seeded_app.test_cli_runner().invoke(args=["reindex", "--check"]).exit_code == 0


def test_import_prune_removes_from_the_index(seeded_app, write_file):
    path = write_file("one.yaml", "- title: Only talk\n  language: en\n  abstract: Kubernetes everywhere.\n")
    result = seeded_app.test_cli_runner().invoke(args=["import-talks", "--prune", "--yes", str(path)])
    assert result.exit_code == 0, result.output
    assert search(seeded_app, "kubernetes") == ["only-talk"]


def test_import_while_the_index_is_busy_keeps_the_talks_and_says_so(make_app, write_file):
    app = make_app(indexed=True, SEED_ON_EMPTY=True)
    app.test_client().get("/")
    app.extensions["meetup_index"].writer_timeout = 0.3
    path = write_file("new.yaml", "- title: Busy day\n  language: en\n")
    with open(Path(settings_of(app).index_dir) / ".write.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = app.test_cli_runner().invoke(args=["import-talks", str(path)])
        fcntl.flock(held, fcntl.LOCK_UN)
    assert result.exit_code == 0
    assert "1 added" in result.output and "run `flask reindex`" in result.output
    with app.app_context():
        assert get_session().query(Talk).filter_by(slug="busy-day").one()


def test_searches_during_a_reindex_never_come_back_empty(seeded_app):
    client = seeded_app.test_client()
    failures: list[str] = []
    done = threading.Event()

    def keep_searching():
        while not done.is_set():
            found = card_slugs(client.get("/?q=kubernetes").get_data(as_text=True))
            if not found:
                failures.append("empty")

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        runner = seeded_app.test_cli_runner()
        for _ in range(4):
            assert runner.invoke(args=["reindex"]).exit_code == 0
    finally:
        done.set()
        searcher.join()
    assert failures == []
