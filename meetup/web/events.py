"""The events: every meetup night and conference newest first, and each event's page, calendar and feed."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, render_template, request, url_for

from ..catalog.db import get_session
from ..catalog.models import Talk, events_with_counts, talks_of_event
from .caching import cacheable
from .atom import ATOM_TYPE, FEED_MAX_AGE, atom_feed
from .icalendar import CALENDAR_MAX_AGE, event_calendar, uid_host
from .lookup import event_by_slug, or_404

bp = Blueprint("events", __name__)


@bp.get("/events/")
def events():
    """List every event newest first, with how many talks each holds."""
    return render_template("events.html", events=events_with_counts(get_session()))


@bp.get("/events/<slug>")
def event(slug: str):
    """Show one event: when and where it was, and its talks in schedule order."""
    found = or_404(event_by_slug(slug))
    return render_template("event.html", event=found, talks=talks_of_event(get_session(), found.id))


@bp.get("/events/<slug>.ics")
def calendar(slug: str):
    """Serve an event as a calendar file: the event itself, and each talk whose day is known."""
    found = or_404(event_by_slug(slug))
    talks = talks_of_event(get_session(), found.id)
    if found.starts.as_date() is None and not any(talk.date.as_date() for talk in talks):
        abort(404)  # nothing of it has a day to put in a calendar
    body = event_calendar(found, talks, host=uid_host(request.host), event_url=url_for("events.event", slug=found.slug, _external=True),
                          talk_url=lambda talk: url_for("talks.talk", slug=talk.slug, _external=True))
    response = current_app.response_class(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.slug}.ics"'
    return cacheable(response, CALENDAR_MAX_AGE)


@bp.get("/events/<slug>/feed.atom")
def feed(slug: str):
    """Serve an Atom feed of an event's talks."""
    found = or_404(event_by_slug(slug))
    talks: list[Talk] = talks_of_event(get_session(), found.id)
    body = atom_feed(f"Meetup talk archive: {found.name}", talks,
                     self_url=url_for("events.feed", slug=found.slug, _external=True),
                     page_url=url_for("events.event", slug=found.slug, _external=True))
    response = current_app.response_class(body, content_type=ATOM_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return cacheable(response, FEED_MAX_AGE)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
