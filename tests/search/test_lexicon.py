"""The lexicon check: real words of English or Spanish, accents folded, and typos that are neither."""

from __future__ import annotations

import pytest

from meetup.search.lexicon import is_real_word


@pytest.mark.parametrize(("word", "real"), [
    ("moviles", True),
    ("automaticos", True),
    ("monitorizacion", True),
    ("chaos", True),
    ("security", True),
    ("kubernets", False),
    ("secuirty", False),
    ("postmortm", False),
    ("desplieges", False),
    ("", False),
])
def test_is_real_word(word: str, real: bool) -> None:
    assert is_real_word(word) is real
