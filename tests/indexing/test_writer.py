"""Commands and the follower write the index through their own door, never through the web's reader."""
from __future__ import annotations

from pathlib import Path

import pytest

from meetup.indexing.follower import IndexFollower
from meetup.indexing.writer import COMMAND_WAIT_SECONDS, index_for_writing
from meetup.settings import settings_of

TALK = """\
- title: Writers have their own door
  language: en
  date: 2024-05-17
  speakers: [Ana Núñez]
  abstract: The web only reads.
"""


class ReaderNotForWriting:
    """Stands in for the web processes' index reader: any use of it is a mistake here."""

    def __getattr__(self, name: str):
        raise AssertionError(f"a writer used the web's index reader ({name})")


@pytest.mark.parametrize(("args", "said"), [
    (["reindex"], "indexed 19 talks"),
    (["reindex", "--check"], "index in step with the database"),
    (["import-talks", "{file}"], "search index updated"),
])
def test_commands_write_without_the_web_reader(make_app, monkeypatch, tmp_path: Path, args, said) -> None:
    app = make_app(SEED_ON_EMPTY=True, indexed=True)
    (tmp_path / "talk.yaml").write_text(TALK, encoding="utf-8")
    monkeypatch.setitem(app.extensions, "meetup_index", ReaderNotForWriting())
    result = app.test_cli_runner().invoke(args=[arg.format(file=tmp_path / "talk.yaml") for arg in args])
    assert result.exit_code == 0, result.output
    assert said in result.output


def test_the_follower_writes_without_the_web_reader(make_app, monkeypatch) -> None:
    app = make_app(SEED_ON_EMPTY=True)
    monkeypatch.setitem(app.extensions, "meetup_index", ReaderNotForWriting())
    follower = IndexFollower(app, interval=0.01)
    follower.retrying = follower.holds_node = False
    follower.step()
    follower.close()
    assert follower.failures == 0
    assert follower.index is not app.extensions["meetup_index"]


@pytest.mark.parametrize(("wait", "expected"), [(None, COMMAND_WAIT_SECONDS), (0.5, 0.5)])
def test_a_writer_waits_for_another_as_told(app, wait, expected) -> None:
    index = index_for_writing(app) if wait is None else index_for_writing(app, wait)
    assert index.writer_timeout == expected
    assert str(index.directory) == settings_of(app).index_dir
