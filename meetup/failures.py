"""Say in one line what failed and what to do about it: for organisers' commands and the follower's log."""
from __future__ import annotations

import errno
import os
from pathlib import Path

from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from .search import IndexBusy, IndexMissing

def explain(error: BaseException, index_dir: str | os.PathLike[str]) -> str | None:
    """Return what failed and what to do in one line, or None for an error nobody foresaw (a bug)."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return (f"the database is unavailable ({_first_line(getattr(error, 'orig', None) or error)}): "
                "check DATABASE_URL and that the database server is running, then try again")
    if isinstance(error, SQLAlchemyError):
        return f"the database refused it ({_first_line(getattr(error, 'orig', None) or error)})"
    if isinstance(error, IndexBusy):
        return str(error)
    if isinstance(error, IndexMissing):
        return f"{error}; run `flask reindex`"
    if isinstance(error, OSError):
        return _explain_os_error(error, Path(index_dir))
    return None


def _explain_os_error(error: OSError, index_dir: Path) -> str:
    path = Path(error.filename) if isinstance(error.filename, str) else None
    reason = error.strerror or type(error).__name__
    if path is not None and not _is_within(path, index_dir):
        return f"{path}: {reason}"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "free some space on that disk"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = "make it writable by this user"
    elif error.errno in (errno.ENOTDIR, errno.EEXIST):
        advice = "set INDEX_DIR to a directory"
    else:
        advice = "check the path and the disk"
    return f"could not write the search index in {index_dir} ({reason}): {advice}, then run `flask reindex`"


def _is_within(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return True


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
