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
MAX_PAIRS = 50_000


def load_crosslang_pairs(path: str | Path = CROSSLANG_FILE) -> list[tuple[str, str, float]]:
    """Read the cross-language vocabulary: `en_word<TAB>es_word<TAB>weight` lines, `#` comments; none if absent."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise SynonymsError(f"{path}: cannot read the vocabulary: {error}") from None
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            weight = float(fields[2]) if len(fields) == 3 else -1.0
        except ValueError:
            weight = -1.0
        if not 0.0 < weight <= 1.0 or not all(_WORD.match(word.strip()) for word in fields[:2]):
            raise SynonymsError(f"{path}:{number}: expected en_word<TAB>es_word<TAB>weight in (0, 1]")
        pairs.append((fields[0].strip().lower(), fields[1].strip().lower(), weight))
        if len(pairs) > MAX_PAIRS:
            raise SynonymsError(f"{path}: more than {MAX_PAIRS} pairs")
    return pairs
