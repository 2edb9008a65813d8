"""flask export-talks onto standard output, read by a pipe that may close early."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_export_to_a_reader_that_stops_early_ends_quietly(runner, write_file, database_url, tmp_path):
    talks = "".join(f"- title: Talk number {n} on observability\n  language: en\n  abstract: {'words ' * 60}\n"
                    for n in range(400))  # far more than a pipe holds, so the writer meets the closed end
    assert runner.invoke(args=["import-talks", str(write_file("many.yaml", talks))]).exit_code == 0
    env = {**os.environ, "DATABASE_URL": database_url, "INDEX_DIR": str(tmp_path / "index"),
           "MEETUP_INSTANCE_PATH": str(tmp_path / "instance"), "SEED_ON_EMPTY": "0"}
    export = subprocess.Popen([sys.executable, "-m", "flask", "export-talks"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first_line = export.stdout.readline()  # `flask export-talks | head -1`
    export.stdout.close()
    with export.stderr:
        errors = export.stderr.read().decode()
    assert (bool(first_line.strip()), export.wait(timeout=60), errors) == (True, 0, "")
