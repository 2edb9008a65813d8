"""Find the talk, event or speaker a URL names, or answer 404: the one place pages, the API and feeds look one up."""
from __future__ import annotations

from typing import TypeVar

from flask import abort
from sqlalchemy import Select, select

from ..catalog.db import get_session
from ..catalog.models import Event, SlugRedirect, Speaker, Talk, talks_query
from ..catalog.slugs import SLUG_PATTERN

Found = TypeVar("Found")


def talk_by_slug(slug: str) -> Talk | None:
    """Return the talk with this slug, its speakers loaded, or None."""
    return _one(talks_query().where(Talk.slug == slug), slug)


def renamed_talk(slug: str) -> str | None:
    """Return the address now of a talk that had this slug before, or None."""
    query = select(Talk.slug).join(SlugRedirect, SlugRedirect.talk_id == Talk.id).where(SlugRedirect.slug == slug)
    return _one(query, slug)


def event_by_slug(slug: str) -> Event | None:
    """Return the event with this slug, or None."""
    return _one(select(Event).where(Event.slug == slug), slug)


def speaker_by_slug(slug: str) -> Speaker | None:
    """Return the speaker with this slug, or None."""
    return _one(select(Speaker).where(Speaker.slug == slug), slug)


def or_404(found: Found | None) -> Found:
    """Return what was found, or answer 404 Not Found."""
    if found is None:
        abort(404)
    return found


def _one(query: Select, slug: str):
    # Only well-formed slugs reach the database (PostgreSQL refuses NUL bytes, for one).
    return get_session().scalar(query) if SLUG_PATTERN.match(slug) else None
