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
