"""Find the real devopsdays talks and turn them into the site's import format, keyed by source."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from meetup.catalog.slugs import slugify

RELATIVE = Path("shared") / "realdata" / "devopsdays-talks.yaml"
IMPORT_FIELDS = ("title", "date", "language", "speakers", "abstract")


def find_realdata() -> Path | None:
    """Return the talk file from REALDATA, or the first shared/realdata beside an ancestor of this checkout."""
    if os.environ.get("REALDATA"):
        return Path(os.environ["REALDATA"])
    for directory in Path(__file__).resolve().parents:
        if (directory / RELATIVE).is_file():
            return directory / RELATIVE
    return None


def read_rows(path: Path) -> list[dict]:
    """Return the talk records of the real data file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def slug_for(source: str) -> str:
    """Return the slug a talk is imported under: its event folder and page name ("2017-cuba-lee-fox")."""
    parts = Path(source).parts
    return slugify(f"{parts[-3]}-{Path(parts[-1]).stem}")


def import_rows(rows: list[dict]) -> list[dict]:
    """Return the records in the site's import format, slugs made from their sources."""
    # The real data carries fields the import format does not have (event, links as a list, source, ...).
    return [{"slug": slug_for(row["source"]), **{name: row[name] for name in IMPORT_FIELDS}} for row in rows]
