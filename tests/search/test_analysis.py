"""The word pattern: its faster spelling finds exactly the words of the plain one."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from meetup.search.analysis import COMBINING_MARKS, WORD_PATTERN, word_tokens

# The definition: a letter or digit, then any letters, digits or combining marks, one choice per character.
PLAIN_PATTERN = re.compile(rf"[^\W_](?:[^\W_]|{COMBINING_MARKS})*")
FAST_PATTERN = re.compile(WORD_PATTERN)

ODD = [
    "", "   ", "_", "a_b_c", "a\u0301_b", "\u0301 lone mark first", "n\u0303andu\u0301 café CAFÉ",
    "x\u0301\u0302\u0303y", "e\u0301\u0301\u0301", "uno \u037a dos \ufe70 tres", "数据 データ 2024 v1.2.3",
    "don't it's O'Brien", "x\u200by soft\u00adhyphen", "Æsir œuvre ø ł đ ð þ ı ħ", "\u20d0\u20d1abc\u1ab0",
    "a\ufe20b\ufe2f_c\u1dc0", "¿Qué? ¡Sí! — «comillas» y “otras”",
]


def texts() -> list[str]:
    """Odd texts, random mixes of letters and marks, real abstracts when reachable, and their NFD forms."""
    rng = random.Random(11)
    alphabet = "aZ9ñé_ -'\u0301\u0303\u1ab5\u20d2\ufe21\u037a\ufe70数"
    found = ODD + ["".join(rng.choices(alphabet, k=rng.randint(1, 40))) for _ in range(2000)]
    from tests.relevance.realdata import find_realdata, read_rows
    path = find_realdata()
    if path is not None:
        for row in read_rows(path):
            found += [row.get("title") or "", row.get("abstract") or ""]
    return found + [unicodedata.normalize("NFD", text) for text in found]


@pytest.mark.parametrize("split", [False, True])
def test_the_fast_word_pattern_finds_the_words_of_the_plain_one(split: bool) -> None:
    for text in texts():
        if split:
            assert re.split(f"({FAST_PATTERN.pattern})", text) == re.split(f"({PLAIN_PATTERN.pattern})", text), text
        else:
            assert [m.span() for m in FAST_PATTERN.finditer(text)] == [m.span() for m in PLAIN_PATTERN.finditer(text)]


def test_a_word_keeps_its_marks_and_splits_at_underscores() -> None:
    assert [token.folded for token in word_tokens("man\u0303ana e\u0301xito_final")] == ["manana", "exito", "final"]
