"""The site's pages: the talk list with live search, and each talk's own page."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, current_app, render_template, request, url_for
from htmx_flask import request as htmx_request
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .db import get_session
from .listing import TalkListing, list_talks
from .indexing import talk_index
from .models import LANGUAGES, Speaker, Talk, speakers_with_counts, talks_by_speaker, talks_in_rank_order, talks_query
from .search import IndexMissing
from .staticfiles import static_url
from .talkdate import MAX_YEAR, MIN_YEAR
from .talkfile import SLUG_PATTERN

bp = Blueprint("talks", __name__)
MAX_PAGE = 500
RELATED_TALKS = 4


@dataclass
class SearchState:
    """What the visitor asked for, cleaned: the query text, the language and year filters, the page."""

    q: str = ""
    lang: str = ""
    page: int = 1
    exact: bool = False  # search as typed, without correcting misspellings
    year: int | None = None

    @classmethod
    def from_args(cls, args, max_length: int) -> SearchState:
        q = " ".join(args.get("q", "", type=str)[:max_length].split())
        lang = args.get("lang", "", type=str)
        page = args.get("page", 1, type=int) or 1
        exact = args.get("exact", "") == "1"
        year = args.get("year", 0, type=int)
        return cls(q=q, lang=lang if lang in LANGUAGES else "", page=min(max(page, 1), MAX_PAGE), exact=exact,
                   year=year if MIN_YEAR <= year <= MAX_YEAR else None)

    def url(self, **changes) -> str:
        """Return the canonical URL of this state (with changes), leaving out empty parameters."""
        values = {"q": self.q, "lang": self.lang, "year": self.year, "page": self.page,
                  "exact": "1" if self.exact else "", **changes}
        query = {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}
        return url_for("talks.index") + (f"?{urlencode(query)}" if query else "")


def find_talks(state: SearchState) -> TalkListing:
    """Return the page of talks to show for a search state: search hits, or all talks newest first."""
    try:
        return list_talks(state.q, state.lang or None, page=state.page,
                          per_page=current_app.config["RESULTS_PER_PAGE"], exact=state.exact, year=state.year)
    except IndexMissing:
        current_app.logger.error("search index missing while serving a search: run `flask reindex`")
        abort(503)


@bp.get("/")
def index():
    """Show the talks, newest first, or those matching the visitor's search."""
    state = SearchState.from_args(request.args, current_app.config["MAX_QUERY_LENGTH"])
    results = find_talks(state)
    has_more = bool(results.talks) and results.total > state.page * current_app.config["RESULTS_PER_PAGE"]
    context = {"state": state, "results": results, "has_more": has_more}
    if htmx_request.htmx and not htmx_request.htmx.history_restore_request:
        template = "_more.html" if htmx_request.htmx.target == "more-results" else "_results.html"
        response = current_app.make_response(render_template(template, fragment=True, **context))
        if template == "_results.html":
            history = "HX-Push-Url" if _wants_new_history_entry() else "HX-Replace-Url"
            response.headers[history] = state.url()
    else:
        response = current_app.make_response(render_template("index.html", fragment=False, **context))
    response.vary.add("HX-Request")
    return response


def _wants_new_history_entry() -> bool:
    """Push a history entry for a settled search or a filter change; replace it while typing."""
    typing = htmx_request.htmx.trigger_name == "q"
    return not typing or request.headers.get("X-Search-Start") == "1"


@bp.get("/talks/<slug>")
def talk(slug: str):
    """Show one talk on its own page."""
    # Only well-formed slugs reach the database (PostgreSQL refuses NUL bytes, for one).
    found = get_session().scalar(talks_query().where(Talk.slug == slug)) if SLUG_PATTERN.match(slug) else None
    if found is None:
        abort(404)
    return render_template("talk.html", talk=found, related=related_talks(found.slug))


def related_talks(slug: str) -> list[Talk]:
    """Return the talks most like this one, in either language; none when search is unavailable."""
    try:
        slugs = talk_index().related(slug, limit=RELATED_TALKS)
    except IndexMissing:
        return []
    return talks_in_rank_order(get_session(), slugs)


@bp.get("/speakers/")
def speakers():
    """List everyone who has spoken at the meetup, with their number of talks."""
    return render_template("speakers.html", speakers=speakers_with_counts(get_session()))


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    """Show one speaker and every talk they gave, newest first."""
    session = get_session()
    person = session.scalar(select(Speaker).where(Speaker.slug == slug)) if SLUG_PATTERN.match(slug) else None
    if person is None:
        abort(404)
    return render_template("speaker.html", speaker=person, talks=talks_by_speaker(session, person.id))


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


def render_internal_error(error: Exception):
    current_app.logger.exception("unhandled error", exc_info=error)
    return render_template("error.html", code=500, error=None), 500


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(OperationalError, render_database_unavailable)
    app.register_error_handler(PoolTimeout, render_database_unavailable)
    app.register_error_handler(Exception, render_internal_error)
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
