"""Read the judged queries and check them against the talks they grade."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

JUDGEMENTS = Path(__file__).with_name("judgements.yaml")
CLASSES = ("english", "spanish", "cross-language", "no-accents", "word-forms", "prefix", "speaker", "typo",
           "multi-word", "question", "abbreviation", "hard")
MIN_PER_CLASS = 4


@dataclass(frozen=True)
class JudgedQuery:
    """One query as a visitor types it, its classes and the grade of each relevant talk by source."""

    id: str
    text: str
    classes: tuple[str, ...]
    grades: dict[str, int]
    # Talks that share a word with the query only through a sense a person judges wrong ("sure" for "seguridad").
    wrong_sense: tuple[str, ...] = ()


def load_judgements(path: Path = JUDGEMENTS) -> list[JudgedQuery]:
    """Return the judged queries in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        JudgedQuery(str(entry["id"]), str(entry["query"]), tuple(entry["classes"]),
                    {str(key): grade for key, grade in (entry.get("relevant") or {}).items()},
                    tuple(str(key) for key in entry.get("wrong_sense") or ()))
        for entry in data["queries"]
    ]


def problems(queries: list[JudgedQuery], sources: Iterable[str]) -> list[str]:
    """Return what is wrong with the judgements: unknown talks or classes, bad grades, thin classes."""
    known = set(sources)
    found: list[str] = []
    seen_ids, seen_texts = set(), set()
    for query in queries:
        if query.id in seen_ids or query.text in seen_texts:
            found.append(f"{query.id}: duplicate id or query {query.text!r}")
        seen_ids.add(query.id)
        seen_texts.add(query.text)
        for name in query.classes:
            if name not in CLASSES:
                found.append(f"{query.id}: unknown class {name!r}")
        if not any(grade > 0 for grade in query.grades.values()):
            found.append(f"{query.id}: no relevant talk")
        for key, grade in query.grades.items():
            if key not in known:
                found.append(f"{query.id}: no talk has source {key!r}")
            if not isinstance(grade, int) or isinstance(grade, bool) or not 0 <= grade <= 3:
                found.append(f"{query.id}: grade {grade!r} for {key} is not 0..3")
        for key in query.wrong_sense:
            if key not in known:
                found.append(f"{query.id}: no talk has source {key!r}")
            if query.grades.get(key, 0) > 0:
                found.append(f"{query.id}: {key} is graded relevant and judged a wrong sense")
    for name in CLASSES:
        count = sum(name in query.classes for query in queries)
        if count < MIN_PER_CLASS:
            found.append(f"class {name}: {count} queries, fewer than {MIN_PER_CLASS}")
    return found
