"""Fixtures for search tests: the small corpus indexed once per module."""

from __future__ import annotations

import pytest

from meetup.search import TalkIndex
from tests.search.corpus import CORPUS


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    """Build the shared small index once for the read-only tests."""
    index = TalkIndex(tmp_path_factory.mktemp("corpus"))
    index.rebuild(CORPUS, version=7)
    yield index
    index.close()
