"""What an organiser or operator reads when something fails: one line, the cause and what to do."""
from __future__ import annotations

import errno
import os

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from meetup.failures import explain
from meetup.indexing.health import IndexUnreadable
from meetup.search import IndexBusy

INDEX = "/srv/meetup/index"


def os_error(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


@pytest.mark.parametrize("error, expected", [
    (os_error(errno.ENOSPC, f"{INDEX}/gen-1/.vocabulary.json.tmp"),
     f"could not write the search index in {INDEX} (No space left on device): free some space on that disk, "
     "then run `flask reindex`"),
    (os_error(errno.EACCES, f"{INDEX}/.write.lock"),
     f"could not write the search index in {INDEX} (Permission denied): make it writable by this user, "
     "then run `flask reindex`"),
    (os_error(errno.EROFS, f"{INDEX}/gen-2"),
     f"could not write the search index in {INDEX} (Read-only file system): make it writable by this user, "
     "then run `flask reindex`"),
    (os_error(errno.ENOTDIR, INDEX),
     f"could not write the search index in {INDEX} (Not a directory): set INDEX_DIR to a directory, "
     "then run `flask reindex`"),
    (os_error(errno.EACCES, "/home/organiser/talks.yaml"), "/home/organiser/talks.yaml: Permission denied"),
    (OperationalError("SELECT 1", {}, Exception("connection refused\n\tIs the server running?")),
     "the database is unavailable (connection refused): check DATABASE_URL and that the database server is "
     "running, then try again"),
    (IntegrityError("INSERT", {}, Exception("duplicate key value")), "the database refused it (duplicate key value)"),
    (IndexBusy("index busy: another reindex or import is writing it; try again shortly"),
     "index busy: another reindex or import is writing it; try again shortly"),
    (IndexUnreadable(f"the search index in {INDEX} (gen-1) cannot be read: EOFError: Ran out of input"),
     f"the search index in {INDEX} (gen-1) cannot be read: EOFError: Ran out of input; run `flask reindex`"),
    (ValueError("a bug"), None),
], ids=["full-disk", "permission", "read-only", "not-a-directory", "other-file", "database-down",
        "database-refused", "busy", "unreadable", "bug"])
def test_explain(error, expected):
    assert explain(error, INDEX) == expected
    if expected is not None:
        assert "\n" not in expected
