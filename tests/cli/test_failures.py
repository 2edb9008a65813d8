"""Organiser commands never show a traceback: one line on what failed and what to do, and exit 1."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk
from meetup.search.vocabulary import Vocabulary
from meetup.settings import settings_of

ROOT = Path(__file__).resolve().parents[2]
NEW_TALK = "- title: Observabilidad con eBPF\n  language: es\n  abstract: Sondas en el núcleo.\n"


def one_line_failure(result) -> str:
    """Assert the command failed with a single line and no traceback, and return that line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    return lines[-1]


def full_disk(monkeypatch) -> None:
    """Make the index's write path fail as a full disk does: half a file written, then ENOSPC."""

    def write(self, directory: Path) -> None:
        (directory / ".vocabulary.json.tmp").write_text("{\"en\": {")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(directory / ".vocabulary.json.tmp"))

    monkeypatch.setattr(Vocabulary, "write", write)


def index_files(index_dir: Path) -> dict[str, list[str]]:
    """Return every generation's files, and where the live link points."""
    return {"live": [os.readlink(index_dir / "current")],
            **{gen.name: sorted(path.name for path in gen.iterdir()) for gen in index_dir.glob("gen-*")}}


@pytest.mark.parametrize("args", [
    ["import-talks", "{file}"], ["export-talks"], ["reindex"], ["reindex", "--check"], ["check-data"],
    ["index", "follow", "--once"],
], ids=lambda args: " ".join(args))
def test_every_command_with_the_database_down_says_so_in_one_line(seeded_app, write_file, args):
    path = write_file("new.yaml", NEW_TALK)
    seeded_app.extensions["meetup_sessions"] = sessionmaker(
        create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}))
    result = seeded_app.test_cli_runner().invoke(args=[arg.format(file=path) for arg in args])
    if args[0] == "index":
        # The follower reports through its log, in one line (tests/test_index_follower.py).
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        return
    assert "the database is unavailable" in one_line_failure(result)
    assert "check DATABASE_URL" in result.output


def test_a_command_started_while_the_database_is_down_says_so_in_one_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
           "INDEX_DIR": str(tmp_path / "index"), "MEETUP_INSTANCE_PATH": str(tmp_path / "instance")}
    result = subprocess.run([sys.executable, "-m", "flask", "reindex"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "the database is unavailable" in result.stderr


def test_import_into_an_unwritable_index_directory_keeps_the_talks_and_says_to_reindex(make_app, tmp_path,
                                                                                       write_file):
    (tmp_path / "blocker").write_text("a file, not a directory")
    app = make_app(SEED_ON_EMPTY=True, INDEX_DIR=str(tmp_path / "blocker" / "index"))
    result = app.test_cli_runner().invoke(args=["import-talks", str(write_file("new.yaml", NEW_TALK))])
    line = one_line_failure(result)
    assert "1 added" in result.output
    assert line.startswith("error: the talks are stored, but the search index could not be updated")
    assert "run `flask reindex`" in line
    with app.app_context():
        assert get_session().query(Talk).filter_by(slug="observabilidad-con-ebpf").one()


@pytest.mark.parametrize("args", [["import-talks", "{file}"], ["reindex"]], ids=["import-talks", "reindex"])
def test_a_full_disk_leaves_the_live_generation_as_it_was(seeded_app, write_file, monkeypatch, args):
    index_dir = Path(settings_of(seeded_app).index_dir)
    before = index_files(index_dir)
    full_disk(monkeypatch)
    path = write_file("new.yaml", NEW_TALK)
    result = seeded_app.test_cli_runner().invoke(args=[arg.format(file=path) for arg in args])
    line = one_line_failure(result)
    assert "No space left on device" in line and "run `flask reindex`" in line
    assert index_files(index_dir) == before
    assert seeded_app.test_client().get("/?q=kubernetes").status_code == 200
