"""Export then import at the sizes a growing archive reaches: the backup restores, and changes nothing."""
from __future__ import annotations

import pytest
import yaml

from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.catalog.formats import read_talk_file
from tests.benchmarks.corpus import CorpusGenerator

SIZE = 20_500


@pytest.mark.slow
def test_export_import_round_trip_above_20000_talks(app, runner, tmp_path):
    source = tmp_path / "talks.yaml"
    with source.open("w", encoding="utf-8") as stream:
        yaml.dump(list(CorpusGenerator(SIZE).records()), stream, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    # Stored through the import's own steps, leaving out the search index, which this test is not about.
    with app.app_context():
        assert len(import_records(get_session(), read_talk_file(source)).added) == SIZE
    exported = tmp_path / "backup.yaml"
    export = runner.invoke(args=["export-talks", str(exported)])
    assert export.exit_code == 0, export.output
    assert f"exported {SIZE} talks" in export.output and "exporting talks" in export.output
    assert exported.stat().st_size > 15 * 2**20  # three times the old 5 MiB limit
    restore = runner.invoke(args=["import-talks", str(exported)])
    assert restore.exit_code == 0, restore.output[-2000:]
    assert f"0 added, 0 updated, {SIZE} unchanged, 0 removed" in restore.output
    again = tmp_path / "again.yaml"
    runner.invoke(args=["export-talks", str(again)])
    assert again.read_bytes() == exported.read_bytes()
