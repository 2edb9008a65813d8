"""The incremental import benchmark imports talks of their own and counts only the index files the import wrote."""
from __future__ import annotations

import yaml
import pytest

from tests.benchmarks.corpus import CorpusGenerator
from tests.benchmarks.incremental_bench import one_run, write_new_talks
from tests.benchmarks.measure import Site


@pytest.mark.parametrize("count", [1, 7])
def test_new_talks_have_slugs_of_their_own(tmp_path, count):
    path = tmp_path / "new.yaml"
    write_new_talks(count, path)
    slugs = [record["slug"] for record in yaml.safe_load(path.read_text(encoding="utf-8"))]
    archive = {record["slug"] for record in CorpusGenerator(count).records()}
    assert len(set(slugs)) == count and not archive & set(slugs)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    found = Site(40, tmp_path_factory.mktemp("site") / "n40")
    found.prepare(lambda _message: None)
    found.reindex()
    found.close()
    return found


@pytest.mark.parametrize("count", [3, 12])
def test_an_import_writes_a_segment_not_the_index(site, tmp_path, count):
    corpus = tmp_path / "new.yaml"
    write_new_talks(count, corpus)
    (tmp_path / "work").mkdir()
    figures = one_run(site, corpus, count, tmp_path / "work")
    assert 0 < figures["written_mb"] < figures["index_mb"]
