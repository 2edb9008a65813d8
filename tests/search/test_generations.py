"""Index generations: rebuilds swap atomically, readers see applied changes, one writer at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from meetup.search import IndexBusy, IndexMissing, TalkIndex

from tests.search.corpus import slugs, talk


def generations(directory: Path) -> list[str]:
    """List generation directory names."""
    return sorted(path.name for path in directory.iterdir() if path.name.startswith("gen-"))


def test_rebuild_swaps_generations_and_prunes_old_ones(tmp_path: Path) -> None:
    reader = TalkIndex(tmp_path)
    writer = TalkIndex(tmp_path)
    assert reader.problem() is not None and reader.built_version() is None and reader.generation() is None
    writer.rebuild([talk("one", "First talk")], version=1)
    assert slugs(reader.search("talk")) == ["one"]
    progress: list[int] = []
    for version in (2, 3, 4):
        writer.rebuild([talk("one", "First talk"), talk(f"v{version}", "Another talk")],
                       version=version, on_progress=progress.append)
        assert reader.built_version() == version
        assert f"v{version}" in slugs(reader.search("talk"))
    live = os.readlink(tmp_path / "current")
    assert live == reader.generation() == generations(tmp_path)[-1]
    assert len(generations(tmp_path)) == 3  # the live one and the two before it
    assert reader.problem() is None
    assert progress[-1] == 2
    reader.close()


def test_failed_rebuild_leaves_the_live_generation_alone(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path)
    index.rebuild([talk("one", "First talk")], version=1)
    before = generations(tmp_path)

    def broken():
        yield talk("two", "Second talk")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken(), version=2)
    assert generations(tmp_path) == before and index.built_version() == 1
    assert slugs(index.search("talk")) == ["one"]
    index.close()


def test_apply_updates_are_visible_to_an_open_reader(tmp_path: Path) -> None:
    writer = TalkIndex(tmp_path)
    writer.rebuild([talk("keep", "Kubernetes basics", "old text"), talk("drop", "Kubernetes extra")], version=1)
    reader = TalkIndex(tmp_path)
    assert reader.search("kubernetes").total == 2
    before = reader.fingerprints()
    assert set(before) == {"keep", "drop"}

    writer.apply([talk("keep", "Kubernetes basics", "new text about helm"), talk("new", "Kubernetes news")],
                 ["drop"], version=2)
    assert sorted(slugs(reader.search("kubernetes"))) == ["keep", "new"]
    assert slugs(reader.search("helm")) == ["keep"]
    assert reader.search("", per_page=100).total == 2
    after = reader.fingerprints()
    assert set(after) == {"keep", "new"} and after["keep"] != before["keep"]
    assert after["keep"] == talk("keep", "Kubernetes basics", "new text about helm").fingerprint()
    writer.apply([], [], version=None)
    assert reader.built_version() == 2
    reader.close()


def test_apply_and_search_without_an_index_raise_index_missing(tmp_path: Path) -> None:
    index = TalkIndex(tmp_path / "nothing-here")
    with pytest.raises(IndexMissing):
        index.apply([talk("a", "A")], [])
    with pytest.raises(IndexMissing):
        index.search("anything")
    with pytest.raises(IndexMissing):
        index.fingerprints()


def test_searches_keep_finding_talks_during_rebuilds(tmp_path: Path) -> None:
    corpus = [talk(f"t{n}", f"Kubernetes talk {n}", "contenedores en producción") for n in range(100)]
    TalkIndex(tmp_path).rebuild(corpus, version=1)
    reader = TalkIndex(tmp_path)
    errors: list[BaseException] = []

    def rebuild_three_times() -> None:
        try:
            writer = TalkIndex(tmp_path)
            for version in (2, 3, 4):
                writer.rebuild(corpus, version=version)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    thread = threading.Thread(target=rebuild_three_times)
    thread.start()
    searches = 0
    while thread.is_alive() or searches == 0:
        assert reader.search("kubernetes", per_page=5).total == 100
        searches += 1
    thread.join()
    assert not errors and reader.built_version() == 4 and searches > 1
    reader.close()


HOLD_LOCK = """
import fcntl, sys, time
lock = open(sys.argv[1], "a+b")
fcntl.flock(lock, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("operation", ["rebuild", "apply"])
def test_busy_lock_raises_index_busy_quickly(tmp_path: Path, operation: str) -> None:
    TalkIndex(tmp_path).rebuild([talk("a", "Alpha")], version=1)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".write.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        index = TalkIndex(tmp_path, writer_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(IndexBusy, match="index busy"):
            if operation == "rebuild":
                index.rebuild([talk("b", "Beta")], version=2)
            else:
                index.apply([talk("b", "Beta")], [], version=2)
        assert 0.4 <= time.monotonic() - started < 2.0
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert index.built_version() == 1
    index.rebuild([talk("b", "Beta")], version=2)
    assert slugs(index.search("beta")) == ["b"]
    index.close()


@pytest.mark.parametrize("last_change_seconds_ago", [0, 3600])
def test_a_commit_into_the_live_generation_is_seen(tmp_path: Path, last_change_seconds_ago: int) -> None:
    from whoosh import index as whoosh_index

    reader = TalkIndex(tmp_path)
    reader.rebuild([talk("one", "First talk"), talk("two", "Second talk")])
    live = tmp_path / os.readlink(tmp_path / "current")
    # Whether the folder changed just now or long ago, the next commit into it must be seen.
    past = time.time() - last_change_seconds_ago
    os.utime(live, (past, past))
    assert slugs(reader.search("talk")) == ["one", "two"]
    assert slugs(reader.search("talk")) == ["one", "two"]
    opened = whoosh_index.open_dir(str(live))
    with opened.writer() as writer:
        writer.delete_by_term("slug", "two")
    opened.close()
    assert slugs(reader.search("talk")) == ["one"]
    reader.close()
