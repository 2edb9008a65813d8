"""The speakers index: everyone who spoke, filtered by name and grouped under their initial A–Z."""
from __future__ import annotations

import string
from dataclasses import dataclass, field

from ..catalog.models import Speaker
from ..catalog.quality import name_key

LETTERS = tuple(string.ascii_uppercase)
OTHER = "#"  # names that start with a digit or a letter outside A–Z once accents are folded
MAX_FILTER_LENGTH = 100


@dataclass
class Initial:
    """One letter of the index and the speakers (with their number of talks) filed under it."""

    letter: str
    speakers: list[tuple[Speaker, int]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "letter-other" if self.letter == OTHER else f"letter-{self.letter.lower()}"


def speaker_index(speakers: list[tuple[Speaker, int]], name_filter: str = "") -> list[Initial]:
    """Return the initials that have speakers whose folded name contains the folded filter, in A–Z order."""
    wanted = name_key(name_filter[:MAX_FILTER_LENGTH])
    groups: dict[str, Initial] = {}
    for person, count in sorted(speakers, key=lambda row: (name_key(row[0].name), row[0].name)):
        key = name_key(person.name)
        if wanted and wanted not in key:
            continue
        letter = key[:1].upper() if key[:1].upper() in LETTERS else OTHER
        groups.setdefault(letter, Initial(letter)).speakers.append((person, count))
    return [groups[letter] for letter in (*LETTERS, OTHER) if letter in groups]
