"""Building an index: what a talk's fingerprint covers, rebuilds spread over worker processes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from meetup.search import IndexedTalk, TalkIndex

from tests.search.corpus import slugs, talk


def test_fingerprint_covers_every_indexed_field() -> None:
    base = talk("s", "Title", "Abstract", ("Ana",), "en", 20240101)
    variants = [
        talk("s2", "Title", "Abstract", ("Ana",), "en", 20240101),
        talk("s", "Title!", "Abstract", ("Ana",), "en", 20240101),
        talk("s", "Title", "Abstract.", ("Ana",), "en", 20240101),
        talk("s", "Title", "Abstract", ("Ana", "Bea"), "en", 20240101),
        talk("s", "Title", "Abstract", ("Ana",), "es", 20240101),
        talk("s", "Title", "Abstract", ("Ana",), "en", 20240102),
    ]
    assert base.fingerprint() == talk("s", "Title", "Abstract", ("Ana",), "en", 20240101).fingerprint()
    assert len({base.fingerprint(), *(variant.fingerprint() for variant in variants)}) == 7


@pytest.mark.parametrize(("indexed", "fingerprint"), [
    (IndexedTalk("s", "Title", "Abstract", ("Ana", "Bea"), "es", 20240101, "devopsdays-x"),
     "464f61ecf252328720d7a69287fad1c60db9d002d13e075ea4549ece7bd17fa5"),
    (IndexedTalk("s", "Título", "", (), "en", 0), "334e99d0ce950e7d5dbcf3fc99ba47465c5fab4982beb52ac6b09a5ac3657692"),
])
def test_fingerprints_stay_those_of_indexes_built_before(indexed, fingerprint) -> None:
    # Until SCHEMA_VERSION changes, a talk indexed by an earlier release must not read as stale.
    assert indexed.fingerprint() == fingerprint


@pytest.mark.slow
def test_rebuild_in_worker_processes_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    vocabulary = ["kubernetes", "contenedores", "producción", "observability", "tamaño", "helm", "que"]
    talks = [
        talk(f"t{n}", " ".join(rng.sample(vocabulary, 3)), " ".join(rng.choices(vocabulary, k=12)),
             lang=rng.choice(["en", "es"]), date_key=20160101 + n)
        for n in range(300)
    ]
    alone = TalkIndex(tmp_path / "one")
    alone.rebuild(talks)
    monkeypatch.setattr("meetup.search.build.PARALLEL_FROM", 50)
    monkeypatch.setattr("meetup.search.build.CHUNK_TALKS", 70)
    parallel = TalkIndex(tmp_path / "many")
    progress: list[int] = []
    assert parallel.rebuild(talks + talks[:5], on_progress=progress.append) == 300
    assert progress[-1] == 300 and progress == sorted(progress)
    for query in ["kubernetes", "contenedor produ", "tamano", '"helm que"', "obs", ""]:
        one, many = alone.search(query, per_page=100), parallel.search(query, per_page=100)
        assert (slugs(many), many.total, many.lang_counts) == (slugs(one), one.total, one.lang_counts)
    assert parallel.fingerprints() == alone.fingerprints()
    alone.close()
    parallel.close()
