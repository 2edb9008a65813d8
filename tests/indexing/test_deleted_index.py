"""An index folder deleted while in use: every process lets go of its files, and the follower rebuilds it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from meetup.indexing.follower import IndexFollower
from meetup.settings import settings_of


def deleted_files_held(directory: Path) -> list[str]:
    """Return the files under directory, deleted since, that this process still holds open."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(directory)) and target.endswith(" (deleted)"):
            held.append(target)
    return held


def test_deleting_the_index_folder_releases_its_files_and_the_follower_rebuilds_it(make_app):
    app = make_app(SEED_ON_EMPTY=True, indexed=True, INDEX_CHECK_SECONDS=0)
    directory = Path(settings_of(app).index_dir)
    client = app.test_client()
    assert client.get("/?q=kubernetes").status_code == 200  # a worker reading the index
    follower = IndexFollower(app, interval=0.01)
    assert follower.step() == follower.interval and follower.index.fingerprints()  # the follower reading it too
    shutil.rmtree(directory)
    assert client.get("/?q=kubernetes").status_code == 503
    assert client.get("/healthz").get_json()["index"] == "missing"
    follower.step()
    assert deleted_files_held(directory) == []
    assert client.get("/?q=kubernetes").status_code == 200
    assert client.get("/healthz").get_json()["index"] == "ok"
    follower.close()
