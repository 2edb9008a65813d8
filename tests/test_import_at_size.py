"""Export then import at the sizes a growing archive reaches: the backup restores, and changes nothing."""
from __future__ import annotations

import pytest
import yaml

from tests.benchmarks.corpus import CorpusGenerator

SIZE = 20_500


@pytest.mark.slow
def test_export_import_round_trip_above_20000_talks(runner, tmp_path):
    source = tmp_path / "talks.yaml"
    with source.open("w", encoding="utf-8") as stream:
        yaml.dump(list(CorpusGenerator(SIZE).records()), stream, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    first = runner.invoke(args=["import-talks", str(source)])
    assert first.exit_code == 0, first.output[-2000:]
    assert f"{SIZE} added, 0 updated, 0 unchanged" in first.output
    assert "storing talks" in first.output  # the progress bar's label; the bar itself only draws on a terminal
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
