"""flask index follow: one writer per node builds the index, applies each change once and backs off on failure."""
from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.catalog.models import Talk
from meetup.indexing.follower import IndexFollower
from meetup.indexing.serving import talk_index
from meetup.indexing.sync import Drift, bring_in_step
from meetup.search.vocabulary import Vocabulary
from meetup.catalog.formats import read_talk_file
from meetup.settings import settings_of

CAUGHT_UP = "index caught up with the database"


def add_talk_behind_the_index(app, title: str) -> str:
    """Store a talk as another node's import would: in the database only."""
    path = Path(settings_of(app).index_dir).parent / "other-node.yaml"
    path.write_text(f"- title: {title}\n  language: en\n", encoding="utf-8")
    with app.app_context():
        report = import_records(get_session(), read_talk_file(path))
    return report.added[0]


def full_disk(monkeypatch) -> None:
    """Make the index's write path fail as a full disk does: half a file written, then ENOSPC."""

    def write(self, directory: Path) -> None:
        (directory / ".vocabulary.json.tmp").write_text("{\"en\": {")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(directory / ".vocabulary.json.tmp"))

    monkeypatch.setattr(Vocabulary, "write", write)


def below_a_regular_file(app) -> None:
    index_dir = Path(settings_of(app).index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    index_dir.parent.joinpath("blocker").write_text("a file, not a directory")
    app.extensions["meetup_settings"] = replace(settings_of(app), index_dir=str(index_dir.parent / "blocker" / "index"))


def database_down(app) -> None:
    app.extensions["meetup_sessions"] = sessionmaker(
        create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}))


def test_a_change_is_applied_once_however_many_writers_look(make_app, caplog):
    app = make_app(indexed=True, SEED_ON_EMPTY=True)
    first, second = IndexFollower(app, interval=0.01), IndexFollower(app, interval=0.01)
    slug = add_talk_behind_the_index(app, "Chaos engineering with Litmus")
    with caplog.at_level("INFO", logger="meetup.index"):
        for _ in range(3):
            first.step()
            second.step()
        with app.app_context():
            generation = talk_index().generation()
            # An import that comes late finds its change already applied and writes nothing.
            bring_in_step(get_session(), talk_index(), Drift(stale=[slug]))
            assert talk_index().generation() == generation
    first.close()
    second.close()
    assert caplog.text.count(CAUGHT_UP) == 1
    assert "1 added, 0 updated, 0 removed" in caplog.text
    assert "another follower is keeping" in caplog.text
    assert slug in app.test_client().get("/?q=litmus").get_data(as_text=True)


# Whoosh leaves the file of a segment it fails to parse to the garbage collector.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_follower_builds_a_missing_index_and_rebuilds_a_corrupt_one(make_app, caplog):
    app = make_app(SEED_ON_EMPTY=True)
    follower = IndexFollower(app, interval=0.01)
    with caplog.at_level("INFO", logger="meetup.index"):
        follower.step()
        assert "no search index in" in caplog.text and "built it from the database: 19 talks" in caplog.text
        live = Path(settings_of(app).index_dir) / "current"
        segment = max(live.glob("*.seg"), key=os.path.getsize)
        os.truncate(segment, 0)
        follower.index.close()
        follower.step()
    follower.close()
    assert "cannot be read" in caplog.text and caplog.text.count("built it from the database") == 2
    assert app.test_client().get("/?q=kubernetes").status_code == 200


@pytest.mark.parametrize("fault, says", [
    (below_a_regular_file, "could not write the search index in"),
    (full_disk, "(No space left on device): free some space"),
    (database_down, "the database is unavailable"),
], ids=["below-a-regular-file", "full-disk", "database-down"])
def test_failures_back_off_exponentially_with_one_line_each(make_app, monkeypatch, caplog, fault, says):
    app = make_app(SEED_ON_EMPTY=True)
    if fault is full_disk:
        fault(monkeypatch)
    else:
        fault(app)
    follower = IndexFollower(app, interval=1, max_delay=8)
    with caplog.at_level("INFO", logger="meetup.index"):
        delays = [follower.step() for _ in range(6)]
    follower.close()
    assert delays == [1, 2, 4, 8, 8, 8]
    failures = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(failures) == 6 and all(says in record.getMessage() for record in failures)
    assert "next attempt in 4 s" in caplog.text
    assert not any(record.exc_info for record in failures)
    index_dir = Path(settings_of(app).index_dir)
    if index_dir.is_dir():
        # A build that failed leaves no half-written generation behind.
        assert [path.name for path in index_dir.iterdir() if path.name.startswith("gen-")] == []


def test_the_follower_recovers_and_says_so(make_app, caplog):
    app = make_app(SEED_ON_EMPTY=True)
    sessions = app.extensions["meetup_sessions"]
    database_down(app)
    follower = IndexFollower(app, interval=1)
    with caplog.at_level("INFO", logger="meetup.index"):
        assert follower.step() == 1 and follower.step() == 2
        app.extensions["meetup_sessions"] = sessions
        assert follower.step() == 1
    follower.close()
    assert "index update succeeded after 2 failed attempt(s)" in caplog.text
    assert app.test_client().get("/?q=kubernetes").status_code == 200


def test_follow_once_builds_the_index_or_fails_in_one_line(make_app, tmp_path):
    app = make_app(SEED_ON_EMPTY=True)
    result = app.test_cli_runner().invoke(args=["index", "follow", "--once"])
    assert result.exit_code == 0, result.output
    assert app.test_client().get("/?q=kubernetes").status_code == 200
    below_a_regular_file(app)
    failed = app.test_cli_runner().invoke(args=["index", "follow", "--once"])
    assert failed.exit_code == 1


def test_the_follower_seeds_an_empty_database_only_when_it_starts(make_app):
    app = make_app(SEED_ON_EMPTY=True)
    follower = IndexFollower(app, interval=0.01)
    follower.step()
    with app.app_context():
        session = get_session()
        assert session.query(Talk).count() == 19
        for talk in session.query(Talk):
            session.delete(talk)
        session.commit()
    follower.step()
    follower.close()
    with app.app_context():
        assert get_session().query(Talk).count() == 0
