"""The organisers' synonyms file: groups of words a search should also find for one another."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

SYNONYMS_FILE = Path(__file__).parent.parent / "data" / "synonyms.yaml"
MAX_GROUPS = 1000
MAX_GROUP_SIZE = 12
_WORD = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


class SynonymsError(ValueError):
    """The synonyms file is malformed; the message says where and why."""


def load_synonym_groups(path: str | Path = SYNONYMS_FILE) -> list[tuple[str, ...]]:
    """Read and check the synonyms file: a list of groups, each a list of two or more single words."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SynonymsError(f"{path}: cannot read the synonyms: {error}") from None
    if data is None:
        return []
    if not isinstance(data, list) or len(data) > MAX_GROUPS:
        raise SynonymsError(f"{path}: expected a list of at most {MAX_GROUPS} groups like [incidente, incident]")
    groups = []
    for number, group in enumerate(data, start=1):
        if not isinstance(group, list) or not 2 <= len(group) <= MAX_GROUP_SIZE:
            raise SynonymsError(f"{path}: group {number}: expected a list of 2 to {MAX_GROUP_SIZE} words")
        words = tuple(str(word).strip().lower() for word in group)
        bad = [word for word in words if not _WORD.match(word)]
        if bad:
            raise SynonymsError(f"{path}: group {number}: {bad[0]!r} is not a single word")
        groups.append(words)
    return groups


CROSSLANG_FILE = Path(__file__).parent.parent / "data" / "crosslang.tsv"
# Beside the vocabulary file: how much each pair's sense is in use in talks (scripts/learn_senses.py).
SENSES_NAME = "crosslang_senses.tsv"
MAX_PAIRS = 50_000


def load_crosslang_pairs(path: str | Path = CROSSLANG_FILE) -> list[tuple[str, str, float, float]]:
    """Read the cross-language vocabulary and the sense factors beside it; none if absent.

    The vocabulary is `en_word<TAB>es_word<TAB>weight` lines after `#` comments. Each pair is returned
    with its weight when the English word is searched and when the Spanish word is: the weight times
    the factor the senses file (`crosslang_senses.tsv` in the same folder, same format with two
    factors) gives that direction, 1 for a pair it does not list.
    """
    path = Path(path)
    senses = {(en, es): factors for en, es, *factors in _read_tsv(path.with_name(SENSES_NAME), 2)}
    pairs = []
    for english, spanish, weight in load_dictionary_pairs(path):
        searching_en, searching_es = senses.get((english, spanish), (1.0, 1.0))
        pairs.append((english, spanish, weight * searching_en, weight * searching_es))
    return pairs


def load_dictionary_pairs(path: str | Path = CROSSLANG_FILE) -> list[tuple[str, str, float]]:
    """Read the cross-language vocabulary's pairs with their dictionary weights alone; none if absent."""
    return _read_tsv(Path(path), 1)


def _read_tsv(path: Path, numbers: int) -> list[tuple]:
    """Read `en_word<TAB>es_word` lines followed by `numbers` decimals in (0, 1]; none if the file is absent."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise SynonymsError(f"{path}: cannot read the vocabulary: {error}") from None
    expected = "en_word<TAB>es_word" + "<TAB>weight" * numbers
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            values = [float(field) for field in fields[2:]] if len(fields) == 2 + numbers else []
        except ValueError:
            values = []
        if (not values or not all(0.0 < value <= 1.0 for value in values)
                or not all(_WORD.match(word.strip()) for word in fields[:2])):
            raise SynonymsError(f"{path}:{number}: expected {expected} in (0, 1]")
        rows.append((fields[0].strip().lower(), fields[1].strip().lower(), *values))
        if len(rows) > MAX_PAIRS:
            raise SynonymsError(f"{path}: more than {MAX_PAIRS} pairs")
    return rows
