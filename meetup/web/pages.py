"""The site's pages: the talk list with live search, and each talk's own page."""
from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from htmx_flask import request as htmx_request
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from ..catalog.db import get_session
from ..catalog.models import Event, Talk, speakers_with_counts, talks_by_speaker, talks_in_rank_order
from ..indexing.serving import related_slugs
from ..search import MAX_QUERY_CHARS, IndexMissing, ResultPage
from ..settings import settings
from .cards import cards_in_rank_order
from .fragments import fragment_cache
from .i18n import ui_language
from .listing import page_of_talks, results_edition
from .lookup import event_by_slug, or_404, renamed_talk, speaker_by_slug, talk_by_slug
from .search_state import SearchState, requested_search
from .speakerindex import LETTERS, MAX_FILTER_LENGTH, speaker_index
from .staticfiles import static_url
from .video import youtube_id

bp = Blueprint("talks", __name__)
RELATED_TALKS = 4
RESTORED_PAGES = 10  # the most "More talks" batches a page loaded on its own shows at once
# Seconds a client waits before asking again while search is unavailable.
SEARCH_RETRY_AFTER = 30


@dataclass
class WayOut:
    """A wider search offered when the filters hide every match: which filters it drops, its URL and total."""

    drops: str  # "event", "year", "lang" or "both" (with no filter at all)
    url: str
    total: int


@bp.get("/")
def index():
    """Show the talks, newest first, or those matching the visitor's search."""
    state = requested_search()
    event = event_by_slug(state.event) if state.event else None
    if event is None:
        state = replace(state, event="")  # no such event: the address shows what is searched
    fragment = bool(htmx_request.htmx) and not htmx_request.htmx.history_restore_request
    more = fragment and htmx_request.htmx.target == "more-results"
    # A page loaded on its own shows every batch up to it, as "More talks" had; a fragment only its own.
    first_page = state.page if fragment else max(1, state.page - RESTORED_PAGES + 1)
    if fragment:
        key = fragment_key(state, more)
        body = fragment_cache().get(key)
        if body is None:
            body = render_template("_more.html" if more else "_results.html", fragment=True,
                                   **results_context(state, first_page, more, event)).encode()
            fragment_cache().put(key, body)
        response = current_app.make_response(body)
        # Loading more stays one place in history, described by its page; a new search may add one.
        history = "HX-Push-Url" if not more and _wants_new_history_entry(state.url()) else "HX-Replace-Url"
        response.headers[history] = state.url()
    else:
        response = current_app.make_response(
            render_template("index.html", fragment=False, **results_context(state, first_page, more, event)))
    response.vary.add("HX-Request")
    return response


def results_context(state: SearchState, first_page: int, more: bool, event: Event | None = None) -> dict:
    """Return what the results templates show for a search state, from first_page to its page."""
    per_page = settings().results_per_page
    results = pages_from(state, first_page, per_page)
    talks = cards_in_rank_order(get_session(), results.slugs)
    has_more = bool(talks) and results.total > state.page * per_page
    ways_out = ways_out_of_filters(state) if results.total == 0 else []
    return {"state": state, "results": results, "talks": talks, "has_more": has_more, "ways_out": ways_out,
            "event": event, "first_page": first_page, "per_page": per_page,
            # On screen: every batch so far after "More talks", else the batches this page holds.
            "shown": min(results.total, state.page * per_page) if more else len(talks)}


def fragment_key(state: SearchState, more: bool) -> tuple:
    """Return everything a results fragment is made from: what results are made from, the search, the language."""
    # An unreadable index raises here: the friendly 503 of render_search_unavailable.
    return results_edition(), state, more, ui_language(), request.script_root


def pages_from(state: SearchState, first_page: int, per_page: int) -> ResultPage:
    """Return the talks of the pages from first_page to the state's page, as one page of results."""
    results = page_of_talks(replace(state, page=first_page), per_page)
    for page in range(first_page + 1, state.page + 1):
        results.extend(page_of_talks(replace(state, page=page), per_page))
    return results


def ways_out_of_filters(state: SearchState) -> list[WayOut]:
    """Return the searches without the event, the year, the language or the last two that would show talks."""
    wider = []
    if state.event:
        wider.append(("event", replace(state, event="", page=1)))
    if state.year:
        wider.append(("year", replace(state, year=None, page=1)))
    if state.lang:
        wider.append(("lang", replace(state, lang="", page=1)))
    if state.year and state.lang:
        wider.append(("both", replace(state, year=None, lang="", event="", page=1)))
    ways = [WayOut(drops, other.url(), page_of_talks(other, per_page=1).total) for drops, other in wider]
    return [way for way in ways if way.total]


def _wants_new_history_entry(address: str) -> bool:
    """Push a history entry for a settled search or a filter change; replace it while typing or unchanged."""
    if _shown_now(address):
        return False  # Enter on the search already shown
    typing = htmx_request.htmx.trigger_name == "q"
    return not typing or request.headers.get("X-Search-Start") == "1"


def _shown_now(address: str) -> bool:
    """Return whether the page asking already shows this address (path and query)."""
    shown = urlsplit(request.headers.get("HX-Current-URL", ""))
    return shown.netloc == request.host and shown.path + (f"?{shown.query}" if shown.query else "") == address


@bp.get("/talks/<slug>")
def talk(slug: str):
    """Show one talk on its own page (a talk's old address redirects to its page now)."""
    found = talk_by_slug(slug)
    if found is None:
        return redirect(url_for("talks.talk", slug=or_404(renamed_talk(slug))), 301)
    response = current_app.make_response(
        render_template("talk.html", talk=found, related=related_talks(found.slug), came_from=search_that_led_here()))
    response.vary.add("Referer")
    return response


def search_that_led_here() -> SearchState | None:
    """Return the search on this site's talk list that the visitor came from (by Referer), if any."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.path != url_for("talks.index"):
        return None
    # Parsed and rebuilt as a search state, so the link back only ever carries the site's own parameters.
    return SearchState.from_args(MultiDict(parse_qsl(referrer.query)))


def related_talks(slug: str) -> list[Talk]:
    """Return the talks most like this one, in either language; none when search is unavailable."""
    try:
        slugs = related_slugs(slug, limit=RELATED_TALKS)
    except IndexMissing:
        # The talk itself comes from the database: show it without the related talks.
        return []
    return talks_in_rank_order(get_session(), slugs)


@bp.get("/speakers/")
def speakers():
    """List everyone who has spoken at the meetup under their initials, or those whose name matches q."""
    name_filter = " ".join(request.args.get("q", "", type=str)[:MAX_FILTER_LENGTH].split())
    everyone = speakers_with_counts(get_session())
    initials = speaker_index(everyone, name_filter)
    response = current_app.make_response(render_template(
        "speakers.html", initials=initials, letters=LETTERS, name_filter=name_filter,
        total=len(everyone), shown=sum(len(initial.speakers) for initial in initials)))
    if htmx_request.htmx and not htmx_request.htmx.history_restore_request:
        # Typing a name is one history entry per search, as on the talk list.
        address = url_for("talks.speakers", q=name_filter or None)
        history = "HX-Push-Url" if _wants_new_history_entry(address) else "HX-Replace-Url"
        response.headers[history] = address
    response.vary.add("HX-Request")
    return response


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    """Show one speaker and every talk they gave, newest first."""
    person = or_404(speaker_by_slug(slug))
    return render_template("speaker.html", speaker=person, talks=talks_by_speaker(get_session(), person.id))


def render_error(error: HTTPException):
    """Show a friendly page for an HTTP error, never a traceback."""
    code = error.code or 500
    response = current_app.make_response((render_template("error.html", code=code, error=error), code))
    # Keep what the error says in headers, such as the methods a 405 allows.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def render_database_unavailable(error: OperationalError | PoolTimeout):
    """Show a friendly 503 page while the database cannot be reached or does not answer in time."""
    cause = getattr(error, "orig", None)
    current_app.logger.error("database unavailable: %s", cause.__class__.__name__ if cause else error.__class__.__name__)
    return render_template("error.html", code=503, error=None), 503


def render_search_unavailable(error: IndexMissing):
    """Show a friendly 503 page (pages, fragments, the feed) while this node's index cannot be read."""
    current_app.logger.error("search unavailable: %s", error)
    page = render_template("error.html", code=503, error=None, search_unavailable=True)
    response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(SEARCH_RETRY_AFTER)
    return response


def render_internal_error(error: Exception):
    current_app.logger.exception("unhandled error", exc_info=error)
    return render_template("error.html", code=500, error=None), 500


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(OperationalError, render_database_unavailable)
    app.register_error_handler(IndexMissing, render_search_unavailable)
    app.register_error_handler(PoolTimeout, render_database_unavailable)
    app.register_error_handler(Exception, render_internal_error)
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["youtube_id"] = youtube_id
    app.jinja_env.globals["max_query_chars"] = MAX_QUERY_CHARS
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
