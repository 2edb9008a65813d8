"""Related talks: found through a talk's key words, their forms and translations, in either language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetup.search import TalkIndex
from tests.search.corpus import built_index, talk

TALKS = [
    talk("micro-es", "Microcontainers: reduciendo el tamaño de tus contenedores",
         "Reducir el tamaño de los contenedores mejora la seguridad y la densidad.", lang="es"),
    talk("containers-en", "Smaller containers", "Slim container images for a smaller attack surface."),
    talk("security-en", "Security reviews", "Threat models."),
    talk("cooking", "Cooking for teams", "Recipes and rituals."),
    talk("unique", "Zzyzx", "Qwerty."),
]
PAIRS = [("container", "contenedor", 0.85), ("security", "seguridad", 1.0), ("size", "tamaño", 1.0)]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TalkIndex]:
    yield from built_index(tmp_path_factory.mktemp("related"), TALKS, pairs=PAIRS)


@pytest.mark.parametrize(("slug", "expected"), [
    # A Spanish abstract finds English talks through translations, the closest first.
    ("micro-es", ["containers-en", "security-en"]),
    ("containers-en", ["micro-es"]),
    # A talk sharing no word with any other has no related talks; an unknown slug neither.
    ("unique", []),
    ("no-such-talk", []),
])
def test_related_talks(index: TalkIndex, slug: str, expected: list[str]) -> None:
    assert index.related(slug) == expected
