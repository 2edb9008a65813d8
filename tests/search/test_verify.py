"""Whether the live generation can be read: one answer for missing, incomplete, outdated and damaged indexes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from meetup.search import TalkIndex

from tests.search.corpus import CORPUS


def nothing(directory: Path) -> None:
    """Leave the index as it was built."""


def no_index_at_all(directory: Path) -> None:
    (directory / "current").unlink()


def no_whoosh_files(directory: Path) -> None:
    for path in (directory / "current").glob("*.toc"):
        path.unlink()


def an_older_schema(directory: Path) -> None:
    meta = directory / "current" / "meta.json"
    meta.write_text(json.dumps(json.loads(meta.read_text()) | {"schema": 1}))


def no_metadata(directory: Path) -> None:
    (directory / "current" / "meta.json").unlink()


def a_class_this_code_lacks(directory: Path) -> None:
    """Name a class no module has in the table of contents, as an index of older code might."""
    for path in (directory / "current").glob("*.toc"):
        path.write_bytes(path.read_bytes().replace(b"\nPreparedText\n", b"\nPreparedTeXt\n"))


def a_cut_segment(directory: Path) -> None:
    segment = max((directory / "current").glob("*.seg"), key=os.path.getsize)
    os.truncate(segment, os.path.getsize(segment) // 2)


# Whoosh leaves the file of a segment it fails to parse to the garbage collector.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("damage", "said"), [
    (nothing, None),
    (no_index_at_all, "no search index in"),
    (no_whoosh_files, "is incomplete or was built by an older version"),
    (an_older_schema, "is incomplete or was built by an older version"),
    (no_metadata, "is incomplete or was built by an older version"),
    (a_cut_segment, "cannot be read"),
    (a_class_this_code_lacks, "cannot be read: AttributeError"),
])
def test_the_problem_of_the_live_generation(tmp_path: Path, damage, said: str | None) -> None:
    TalkIndex(tmp_path).rebuild(CORPUS)
    damage(tmp_path)
    problem = TalkIndex(tmp_path).problem()
    if said is None:
        assert problem is None
    else:
        assert problem is not None and said in problem and str(tmp_path) in problem
