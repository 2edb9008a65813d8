"""Find what in the stored talks deserves an organiser's look: language mix-ups, twin speakers, dates."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .fields import DIRECTION_CONTROLS, ZERO_WIDTH
from .languages import LANGUAGES, detect_language
from .models import Speaker, newest_first, talks_query


@dataclass
class DataReport:
    """Findings, each a list of human-readable lines."""

    language_mismatches: list[str] = field(default_factory=list)
    similar_speakers: list[str] = field(default_factory=list)
    missing_dates: list[str] = field(default_factory=list)
    partial_dates: list[str] = field(default_factory=list)
    hidden_characters: list[str] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[str]]]:
        return [
            ("abstract in another language than the talk", self.language_mismatches),
            ("speakers that look like the same person", self.similar_speakers),
            ("talks with no date", self.missing_dates),
            ("talks with only a year or month", self.partial_dates),
            ("text with invisible or direction-changing characters", self.hidden_characters),
        ]


# Stored before files were checked for them: what an import now drops or refuses.
_HIDDEN = re.compile(f"[{ZERO_WIDTH}{DIRECTION_CONTROLS}]")


def name_key(name: str) -> str:
    """Fold a name for comparison: accents, case, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join("".join(char if char.isalnum() else " " for char in folded).split())


def check_data(session: Session) -> DataReport:
    """Look through every talk and speaker and report what may need fixing."""
    report = DataReport()
    for talk in session.scalars(talks_query().order_by(*newest_first())):
        detected = detect_language(talk.abstract)
        if detected and detected != talk.language:
            report.language_mismatches.append(
                f"{talk.slug}: talk in {LANGUAGES[talk.language]}, abstract reads as {LANGUAGES[detected]}"
            )
        hidden = [f"{name} (U+{ord(found.group()):04X})" for name, text in
                  (("title", talk.title), ("abstract", talk.abstract), *(("speaker", name) for name in talk.speaker_names))
                  if (found := _HIDDEN.search(text))]
        if hidden:
            report.hidden_characters.append(f"{talk.slug}: {', '.join(hidden)}")
        if not talk.date.known:
            report.missing_dates.append(f"{talk.slug}: {talk.title}")
        elif talk.date.day is None:
            report.partial_dates.append(f"{talk.slug}: only {talk.date.human()}")
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in session.scalars(select(Speaker.name)):
        by_key[name_key(name)].append(name)
    for names in by_key.values():
        if len(names) > 1:
            report.similar_speakers.append(" / ".join(sorted(names)))
    report.similar_speakers.sort()
    return report
