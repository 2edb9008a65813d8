"""Machine-readable views of the archive: the Atom feed, the sitemap, robots.txt and calendar files."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from sqlalchemy import func, select

from ..catalog.db import get_session
from ..catalog.languages import LANGUAGES
from ..catalog.models import Speaker, Talk, newest_first
from ..catalog.talkdate import MAX_YEAR, MIN_YEAR
from .caching import cacheable
from .icalendar import talk_event
from .listing import newest_matching
from .lookup import or_404, talk_by_slug
from .search_state import SearchState

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50
# A search feed shows the newest of this many best matches.
FEED_MAX_MATCHES = 500
FEED_MAX_AGE = 900
SITEMAP_MAX_AGE = 3600
CALENDAR_MAX_AGE = 3600
ATOM_TYPE = "application/atom+xml; charset=utf-8"
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


class BadFeedParameter(ValueError):
    """A feed parameter out of range or malformed, with a message for the feed reader."""


@bp.get("/feed.atom")
def feed():
    """Serve an Atom feed of the newest talks, or of the newest talks matching a search and its filters."""
    try:
        state = _feed_state(request.args)
    except BadFeedParameter as error:
        return current_app.response_class(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
    talks = newest_matching(state.q, state.lang or None, limit=FEED_SIZE, max_matches=FEED_MAX_MATCHES,
                            exact=state.exact, year=state.year)
    entries = [_entry(talk) for talk in talks]
    body = render_template(
        "feed.atom",
        title=_feed_title(state.q, state.lang, state.year),
        self_url=state.feed_url(_external=True),
        page_url=request.host_url.rstrip("/") + state.url(page=1),
        updated=max(entry.updated for entry in entries) if entries else _rfc3339(_last_change()),
        entries=entries,
    )
    response = current_app.response_class(body, content_type=ATOM_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return cacheable(response, FEED_MAX_AGE)


def _feed_state(args) -> SearchState:
    """Return the search a feed follows; raise BadFeedParameter for a value the site has no filter for."""
    if len(args.get("q", "")) > current_app.config["MAX_QUERY_LENGTH"]:
        raise BadFeedParameter(f"q: at most {current_app.config['MAX_QUERY_LENGTH']} characters")
    lang = args.get("lang", "")
    if lang and lang not in LANGUAGES:
        raise BadFeedParameter(f"lang: one of {', '.join(LANGUAGES)}, or empty for every language")
    year = args.get("year", "")
    if year and not (year.isascii() and year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
        raise BadFeedParameter(f"year: a whole number from {MIN_YEAR} to {MAX_YEAR}")
    return replace(SearchState.from_args(args, current_app.config["MAX_QUERY_LENGTH"]), page=1)


@bp.get("/sitemap.xml")
def sitemap():
    """List the home page and every talk page for search engines."""
    rows = get_session().execute(select(Talk.slug, Talk.updated_at).order_by(*newest_first())).all()
    pages = [(url_for("talks.talk", slug=slug, _external=True), _rfc3339(updated)) for slug, updated in rows]
    speakers = get_session().scalars(select(Speaker.slug).order_by(Speaker.slug))
    pages += [(url_for("talks.speaker", slug=slug, _external=True), None) for slug in speakers]
    newest = max((_as_utc(updated) for _slug, updated in rows), default=None)
    body = render_template(
        "sitemap.xml",
        home=(url_for("talks.index", _external=True), _rfc3339(newest) if newest else None),
        pages=pages,
    )
    response = current_app.response_class(body, content_type="application/xml; charset=utf-8")
    return cacheable(response, SITEMAP_MAX_AGE)


@bp.get("/robots.txt")
def robots():
    """Let every crawler in and point it at the sitemap."""
    body = f"User-agent: *\nAllow: /\n\nSitemap: {url_for('feeds.sitemap', _external=True)}\n"
    response = current_app.response_class(body, content_type="text/plain; charset=utf-8")
    return cacheable(response, SITEMAP_MAX_AGE)


@bp.get("/talks/<slug>.ics")
def calendar(slug: str):
    """Serve a talk as an all-day calendar event; only talks whose day is known have one."""
    found = or_404(talk_by_slug(slug))
    day = or_404(found.date.as_date())
    body = talk_event(
        uid=f"talk-{found.slug}@{request.host.split(':')[0]}",
        day=day,
        summary=found.title,
        description=found.abstract,
        url=url_for("talks.talk", slug=found.slug, _external=True),
        updated=found.updated_at,
        language=found.language,
    )
    response = current_app.response_class(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.slug}.ics"'
    return cacheable(response, CALENDAR_MAX_AGE)


def _entry(talk: Talk) -> FeedEntry:
    day = talk.date.as_date()
    return FeedEntry(
        url=url_for("talks.talk", slug=talk.slug, _external=True),
        title=_xml_text(talk.title),
        summary=_xml_text(talk.abstract),
        language=talk.language,
        language_name=talk.language_name,
        authors=[_xml_text(name) for name in talk.speaker_names],
        updated=_when_given(talk) or _rfc3339(talk.updated_at),
        # The archive knows the day of a talk, not its hour: midnight UTC stands for the day.
        published=f"{day.isoformat()}T00:00:00Z" if day else None,
    )


def _when_given(talk: Talk) -> str | None:
    """Return the first moment of the day, month or year the talk was given, as far as it is known.

    An entry's date is the talk's, so readers do not show a talk from 2016 as new on the day it was imported.
    """
    date = talk.date
    if not date.known:
        return None
    start = date.as_date() or date.as_month_start() or dt.date(date.year, 1, 1)
    return f"{start.isoformat()}T00:00:00Z"


def _feed_title(q: str, lang: str, year: int | None) -> str:
    title = "Meetup talk archive: new talks"
    if q:
        title += f" matching “{_xml_text(q)}”"
    if lang:
        title += f" in {LANGUAGES[lang]}"
    if year:
        title += f" from {year}"
    return title


def _last_change() -> dt.datetime:
    """Return when any talk last changed, or now for an empty archive."""
    newest = get_session().scalar(select(func.max(Talk.updated_at)))
    return _as_utc(newest) if newest else dt.datetime.now(dt.timezone.utc)


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back the UTC times it stored without a zone.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _rfc3339(moment: dt.datetime) -> str:
    return _as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
