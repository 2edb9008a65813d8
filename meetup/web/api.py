"""A read-only JSON API over the talks: the list, searches with the site's parameters, and one talk."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, jsonify, redirect, request, url_for
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ..catalog.db import get_session
from ..catalog.models import LINK_KINDS, Event, Talk, events_with_counts, talks_in_rank_order, talks_of_event
from ..search import MAX_PER_PAGE, MAX_QUERY_CHARS, Hit, IndexMissing
from ..settings import settings
from .caching import cacheable
from .listing import page_of_talks
from .lookup import event_by_slug, renamed_talk, talk_by_slug
from .openapi import openapi_document
from .search_state import MAX_PAGE, BadParameter, SearchState, requested_search

bp = Blueprint("api", __name__, url_prefix="/api")

LIST_MAX_AGE = 60
DOCUMENT_MAX_AGE = 3600


@bp.get("/talks")
def talks():
    """List talks newest first, or those matching q, one page at a time."""
    state = requested_search(strict=True)
    per_page = state.per_page or settings().results_per_page
    results = page_of_talks(state, per_page)
    has_more = state.page * per_page < results.total and state.page < MAX_PAGE
    body = {
        "talks": [talk_json(talk, results.hits.get(talk.slug))
                  for talk in talks_in_rank_order(get_session(), results.slugs)],
        "total": results.total,
        "page": state.page,
        "per_page": per_page,
        "next": _list_url(replace(state, page=state.page + 1, per_page=per_page)) if has_more else None,
        "suggestion": results.suggestion,
        "corrected_to": results.corrected_to,
        "also_matching": results.expansions,
        "years": [{"year": found, "count": count} for found, count in results.year_counts.items()],
    }
    return cacheable(jsonify(body), LIST_MAX_AGE)


@bp.get("/talks/<slug>")
def talk(slug: str):
    """Show one talk."""
    found = talk_by_slug(slug)
    if found is None:
        renamed = renamed_talk(slug)
        if renamed is not None:
            return redirect(url_for("api.talk", slug=renamed), 301)
        return _error(404, "no talk has this slug")
    return cacheable(jsonify(talk_json(found)), LIST_MAX_AGE)


@bp.get("/events")
def events():
    """List every event newest first with how many talks it holds."""
    body = {"events": [event_json(event, count) for event, count in events_with_counts(get_session())]}
    return cacheable(jsonify(body), LIST_MAX_AGE)


@bp.get("/events/<slug>")
def event(slug: str):
    """Show one event and its talks in schedule order."""
    found = event_by_slug(slug)
    if found is None:
        return _error(404, "no event has this slug")
    talks = talks_of_event(get_session(), found.id)
    body = {**event_json(found, len(talks)), "talk_list": [talk_json(talk) for talk in talks]}
    return cacheable(jsonify(body), LIST_MAX_AGE)


@bp.get("/openapi.json")
def openapi():
    """Describe this API as an OpenAPI document."""
    document = openapi_document(
        max_query=MAX_QUERY_CHARS,
        max_page=MAX_PAGE,
        max_per_page=MAX_PER_PAGE,
        default_per_page=settings().results_per_page,
    )
    return cacheable(jsonify(document), DOCUMENT_MAX_AGE)


def talk_json(talk: Talk, hit: Hit | None = None) -> dict:
    """Return the public JSON form of a talk, with its highlighted segments when it is a search hit."""
    found = {
        "slug": talk.slug,
        "title": talk.title,
        "abstract": talk.abstract,
        "language": talk.language,
        "date": talk.date.iso(),
        "date_human": talk.date.human(),
        "speakers": [
            {"name": appearance.speaker.name, "role": appearance.role, "slug": appearance.speaker.slug}
            for appearance in talk.appearances
        ],
        "links": {kind: talk.links.get(kind) for kind in LINK_KINDS},
        "all_links": [{"kind": link.kind, "url": link.url, "title": link.title} for link in talk.link_rows],
        "event": event_ref_json(talk.event),
        "url": url_for("talks.talk", slug=talk.slug, _external=True),
    }
    if hit is not None:
        found["highlight"] = {"title": _segments_json(hit.title), "snippet": _segments_json(hit.snippet)}
    return found


def event_ref_json(event: Event | None) -> dict | None:
    """Return the short JSON form of a talk's event (None for a talk of no event)."""
    if event is None:
        return None
    return {"slug": event.slug, "name": event.name, "url": url_for("events.event", slug=event.slug, _external=True)}


def event_json(event: Event, talks: int) -> dict:
    """Return the public JSON form of an event with how many talks it holds."""
    return {
        **event_ref_json(event), "kind": event.kind, "starts": event.starts.iso(), "ends": event.ends.iso(),
        "place": event.place, "website": event.url, "talks": talks,
        "api": url_for("api.event", slug=event.slug, _external=True),
    }


def _segments_json(segments) -> list[dict]:
    return [{"text": text, "match": matched} for text, matched in segments]


def _list_url(state: SearchState) -> str:
    values = {"q": state.q, "lang": state.lang, "year": state.year, "event": state.event,
              "exact": "1" if state.exact else "", "page": state.page, "per_page": state.per_page}
    query = urlencode({key: value for key, value in values.items() if value})
    return f"{url_for('api.talks', _external=True)}?{query}"


def _error(status: int, message: str, headers: dict | None = None) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _bad_parameter(error: BadParameter):
    return _error(400, str(error))


def _http_error(error: HTTPException):
    headers = None
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers = {"Allow": ", ".join(error.valid_methods)}
    message = (error.name or "error").lower()
    if error.description and error.description != type(error).description:
        message = f"{message}: {error.description}"
    return _error(error.code or 500, message, headers)


def _index_missing(_missing: IndexMissing):
    current_app.logger.error("search index missing while serving the API: run `flask reindex`")
    return _error(503, "search is unavailable for a moment; try again shortly")


def _database_unavailable(error: OperationalError | PoolTimeout):
    cause = getattr(error, "orig", None)
    current_app.logger.error("database unavailable: %s", cause.__class__.__name__ if cause else error.__class__.__name__)
    return _error(503, "the talks are unavailable for a moment; try again shortly")


def _internal_error(error: Exception):
    current_app.logger.exception("unhandled error in the API", exc_info=error)
    return _error(500, "internal error")


def _is_api_request() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


def _unrouted_api_request():
    """Answer an /api address that matches no endpoint, or the wrong method, in JSON rather than HTML."""
    # These never reach the blueprint's handlers: no endpoint matched, so Flask uses the site's.
    error = request.routing_exception
    if isinstance(error, (NotFound, MethodNotAllowed)) and _is_api_request():
        return _http_error(error)
    return None


def _allow_any_origin(response: Response) -> Response:
    """The API serves public, read-only data: any web page may read it."""
    if _is_api_request():
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


bp.register_error_handler(BadParameter, _bad_parameter)
bp.register_error_handler(HTTPException, _http_error)
bp.register_error_handler(IndexMissing, _index_missing)
bp.register_error_handler(OperationalError, _database_unavailable)
bp.register_error_handler(PoolTimeout, _database_unavailable)
bp.register_error_handler(Exception, _internal_error)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_unrouted_api_request)
    app.after_request(_allow_any_origin)
