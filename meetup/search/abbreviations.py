"""The organisers' abbreviations: short forms (k8s, ML, DB) and the terms they stand for, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .analysis import word_tokens

ABBREVIATIONS_FILE = Path(__file__).parent.parent / "data" / "abbreviations.yaml"
MAX_ENTRIES = 1000
MAX_EXPANSIONS = 12
MAX_EXPANSION_WORDS = 5
# How much an expansion counts, against 1 for the short form itself.
EXPANSION_WEIGHT = 0.9
_TEXT = re.compile(r"^[^\W_]+(?:[- ][^\W_]+)*$")


class AbbreviationsError(ValueError):
    """The abbreviations file is malformed; the message says where and why."""


def load_abbreviations(path: str | Path = ABBREVIATIONS_FILE) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Read and check the file: each short form's expansions, as folded words; none if the file is absent."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise AbbreviationsError(f"{path}: cannot read the abbreviations: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or len(data) > MAX_ENTRIES:
        raise AbbreviationsError(f"{path}: expected at most {MAX_ENTRIES} lines like `ml: [machine learning]`")
    table: dict[str, tuple[tuple[str, ...], ...]] = {}
    for short, expansions in data.items():
        short_text = str(short).strip()
        short_words = _words(short_text)
        if not _TEXT.match(short_text) or len(short_words) != 1:
            raise AbbreviationsError(f"{path}: {short_text!r} is not a single short form")
        if not isinstance(expansions, list) or not 1 <= len(expansions) <= MAX_EXPANSIONS:
            raise AbbreviationsError(f"{path}: {short_text}: expected a list of 1 to {MAX_EXPANSIONS} expansions")
        found = []
        for expansion in expansions:
            text = str(expansion).strip()
            words = _words(text)
            if not _TEXT.match(text) or not 1 <= len(words) <= MAX_EXPANSION_WORDS:
                raise AbbreviationsError(f"{path}: {short_text}: {text!r} is not 1 to {MAX_EXPANSION_WORDS} words")
            if words != short_words and words not in found:
                found.append(words)
        table[short_words[0]] = tuple(found)
    return table


def _words(text: str) -> tuple[str, ...]:
    """Return the folded words of a short form or an expansion, as the search reads a query."""
    return tuple(token.folded for token in word_tokens(text))
