"""Machine-readable views of the archive: the Atom feed, the sitemap, robots.txt and calendar files."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from sqlalchemy import select

from ..catalog.db import get_session
from ..catalog.languages import LANGUAGES
from ..catalog.models import Event, Speaker, Talk, newest_first
from .atom import ATOM_TYPE, FEED_MAX_AGE, as_utc, atom_feed, rfc3339, xml_text
from .caching import cacheable
from .icalendar import CALENDAR_MAX_AGE, talk_event, uid_host
from .listing import newest_matching
from .lookup import event_by_slug, or_404, talk_by_slug
from .search_state import BadParameter, requested_search

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50
# A search feed shows the newest of this many best matches.
FEED_MAX_MATCHES = 500
SITEMAP_MAX_AGE = 3600


@bp.get("/feed.atom")
def feed():
    """Serve an Atom feed of the newest talks, or of the newest talks matching a search and its filters."""
    try:
        state = replace(requested_search(strict=True), page=1)
    except BadParameter as error:
        return current_app.response_class(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
    talks = newest_matching(state, limit=FEED_SIZE, max_matches=FEED_MAX_MATCHES)
    event = event_by_slug(state.event) if state.event else None
    body = atom_feed(_feed_title(state.q, state.lang, state.year, event.name if event else None), talks, self_url=state.feed_url(_external=True),
                     page_url=request.host_url.rstrip("/") + state.url(page=1))
    response = current_app.response_class(body, content_type=ATOM_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return cacheable(response, FEED_MAX_AGE)


@bp.get("/sitemap.xml")
def sitemap():
    """List the home page and every talk, speaker and event page for search engines."""
    rows = get_session().execute(select(Talk.slug, Talk.updated_at).order_by(*newest_first())).all()
    pages = [(url_for("talks.talk", slug=slug, _external=True), rfc3339(updated)) for slug, updated in rows]
    speakers = get_session().scalars(select(Speaker.slug).order_by(Speaker.slug))
    pages += [(url_for("talks.speaker", slug=slug, _external=True), None) for slug in speakers]
    events = get_session().scalars(select(Event.slug).order_by(Event.slug))
    pages += [(url_for("events.event", slug=slug, _external=True), None) for slug in events]
    newest = max((as_utc(updated) for _slug, updated in rows), default=None)
    body = render_template(
        "sitemap.xml",
        home=(url_for("talks.index", _external=True), rfc3339(newest) if newest else None),
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
        uid=f"talk-{found.slug}@{uid_host(request.host)}",
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


def _feed_title(q: str, lang: str, year: int | None, event: str | None = None) -> str:
    title = "Meetup talk archive: new talks"
    if event:
        title += f" of {event}"
    if q:
        title += f" matching “{xml_text(q)}”"
    if lang:
        title += f" in {LANGUAGES[lang]}"
    if year:
        title += f" from {year}"
    return title


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
