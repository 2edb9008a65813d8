"""Building an index: what a talk's fingerprint covers, rebuilds spread over worker processes."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from meetup.search import IndexedTalk, TalkIndex
from meetup.search.build import SCHEMA_VERSION

from tests.search.corpus import CORPUS, slugs, talk

# The project's classes Whoosh pickles into an index's table of contents, by module path, for each
# schema version: an index naming others cannot be opened by this code.
PICKLED_CLASSES = {
    8: {"meetup.search.schema.FoldFilter", "meetup.search.schema.PreparedText",
        "meetup.search.whoosh_adapter.UnscoredCodec"},
}
# A global in a pickle: "c" module, name (protocol 2), or two short strings then STACK_GLOBAL (protocol 4).
PICKLED_GLOBAL = re.compile(rb"c(meetup\.[\w.]+)\n(\w+)\n|\x8c.(meetup\.[\w.]+)\x94\x8c.(\w+)\x94\x93", re.S)


def test_classes_pickled_into_the_index_change_only_with_the_schema_version(tmp_path: Path) -> None:
    TalkIndex(tmp_path).rebuild(CORPUS)
    table = b"".join(path.read_bytes() for path in (tmp_path / "current").glob("*.toc"))
    found = {b".".join(part for part in match.groups() if part).decode() for match in PICKLED_GLOBAL.finditer(table)}
    assert found == PICKLED_CLASSES.get(SCHEMA_VERSION), (
        "the classes an index names changed: bump build.SCHEMA_VERSION (older indexes are then rebuilt)")


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
     "4162967ae33dc210767c062d263bb464eaf062da799631623f6bd5e6340eeada"),
    (IndexedTalk("s", "Título", "", (), "en", 0), "36eb1e2b2ff6d6dc13753b8e06d9ae467b2b99c130886c5cb2cce2449e0c344d"),
])
def test_fingerprints_stay_those_of_indexes_built_before(indexed, fingerprint) -> None:
    # Hashes of schema version 8 as it listed each field: a talk indexed then must not read as stale
    # (a new SCHEMA_VERSION rebuilds every index, and these are written again).
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
