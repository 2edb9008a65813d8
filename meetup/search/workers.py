"""End a build's worker processes with the process that started them, even when it is killed."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Make this worker process end as soon as parent_pid is gone (a process pool's initializer).

    A worker left behind by a `kill -9` of its parent would otherwise finish its chunk, holding
    hundreds of megabytes, with nobody to read it. On Linux the kernel signals the worker when its
    parent dies (prctl PR_SET_PDEATHSIG); elsewhere a thread watches the parent's pid.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    # The parent may have died before the request took effect.
    if os.getppid() != parent_pid:
        os._exit(1)


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        threading.Event().wait(WATCH_SECONDS)
    os._exit(1)
