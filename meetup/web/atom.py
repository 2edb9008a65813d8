"""Atom feeds of talks: XML-safe text, absolute URLs, RFC 3339 times (a feed of a search, of an event)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import render_template, url_for
from sqlalchemy import func, select

from ..catalog.db import get_session
from ..catalog.models import Talk

ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_MAX_AGE = 900
# XML 1.0 cannot carry these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class FeedEntry:
    """One talk as an Atom entry: XML-safe text, absolute URL, RFC 3339 times."""

    url: str
    title: str
    summary: str
    language: str
    language_name: str
    authors: list[str]
    updated: str
    published: str | None


def atom_feed(title: str, talks: list[Talk], *, self_url: str, page_url: str) -> str:
    """Return an Atom feed of these talks."""
    entries = [feed_entry(talk) for talk in talks]
    return render_template(
        "feed.atom", title=xml_text(title), self_url=self_url, page_url=page_url,
        updated=max(entry.updated for entry in entries) if entries else rfc3339(last_change()), entries=entries,
    )


def feed_entry(talk: Talk) -> FeedEntry:
    day = talk.date.as_date()
    return FeedEntry(
        url=url_for("talks.talk", slug=talk.slug, _external=True),
        title=xml_text(talk.title),
        summary=xml_text(talk.abstract),
        language=talk.language,
        language_name=talk.language_name,
        authors=[xml_text(name) for name in talk.speaker_names],
        updated=when_given(talk) or rfc3339(talk.updated_at),
        # The archive knows the day of a talk, not its hour: midnight UTC stands for the day.
        published=f"{day.isoformat()}T00:00:00Z" if day else None,
    )


def when_given(talk: Talk) -> str | None:
    """Return the first moment of the day, month or year the talk was given, as far as it is known.

    An entry's date is the talk's, so readers do not show a talk from 2016 as new on the day it was imported.
    """
    date = talk.date
    if not date.known:
        return None
    start = date.as_date() or date.as_month_start() or dt.date(date.year, 1, 1)
    return f"{start.isoformat()}T00:00:00Z"


def last_change() -> dt.datetime:
    """Return when any talk last changed, or now for an empty archive."""
    newest = get_session().scalar(select(func.max(Talk.updated_at)))
    return as_utc(newest) if newest else dt.datetime.now(dt.timezone.utc)


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back the UTC times it stored without a zone.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def rfc3339(moment: dt.datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
