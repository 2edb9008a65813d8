"""Give a new site something to show: the shipped talk list, loaded into an empty database."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .formats import load_talk_file
from .models import Talk
from .store import import_records

SEED_FILE = Path(__file__).parents[1] / "data" / "talks.yaml"


def load_seed_if_empty(session: Session) -> int:
    """Load the shipped talk list into an empty database; return how many talks were added."""
    if session.scalar(select(func.count()).select_from(Talk)):
        return 0
    session.rollback()
    seed = load_talk_file(SEED_FILE)
    report = import_records(session, seed.records, events=seed.events)
    return len(report.added)
