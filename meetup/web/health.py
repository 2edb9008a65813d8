"""Operations: /healthz for load balancers, and one log line per request with its timing."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, current_app, g, jsonify, request
from psycopg.errors import QueryCanceled
from sqlalchemy.exc import SQLAlchemyError

from ..catalog.db import check_what_pages_read, get_session
from ..indexing.serving import index_check, talk_index

bp = Blueprint("health", __name__)
access_log = logging.getLogger("meetup.access")


@bp.get("/healthz")
def healthz():
    """Say whether the database answers what pages read, quickly, and the index is readable and in step with it."""
    report: dict[str, object] = {}
    healthy = True
    try:
        report["content_version"] = check_what_pages_read(get_session(), current_app.config["HEALTH_TIMEOUT_SECONDS"])
        report["database"] = "ok"
    except SQLAlchemyError as error:
        # Reachable but too slow (a lock on a table pages read, say), or not reachable at all.
        report["database"] = "timeout" if isinstance(getattr(error, "orig", None), QueryCanceled) else "unreachable"
        current_app.logger.error("health check: database %s: %s", report["database"], error.__class__.__name__)
        healthy = False
    index = talk_index()
    if index_check().problem() is not None:
        # What is wrong goes to the log (it names paths); the answer only says which state.
        report["index"] = "missing" if index.generation() is None else "unreadable"
        healthy = False
    else:
        report["index_version"] = index.built_version()
        report["index"] = _index_state(report)
        healthy = healthy and report["index"] != "stale"
    report["status"] = "ok" if healthy else "unavailable"
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _index_state(report: dict[str, object]) -> str:
    """Return "ok", "catching-up" (briefly behind) or "stale" (behind for too long)."""
    if report.get("index_version") == report.get("content_version") or "content_version" not in report:
        return "ok"
    behind_since = current_app.extensions["meetup_freshness"].behind_since
    grace = current_app.config["INDEX_STALE_SECONDS"]
    if behind_since is None or time.monotonic() - behind_since < grace:
        return "catching-up"
    return "stale"


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.pop("request_started", None)
    if started is not None and request.endpoint != "static":
        elapsed_ms = (time.perf_counter() - started) * 1000
        kind = "fragment" if request.headers.get("HX-Request") == "true" else "page"
        access_log.info(
            '%s "%s %s" %d %s %.1fms', request.remote_addr, request.method, request.full_path.rstrip("?")[:300],
            response.status_code, kind, elapsed_ms,
        )
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_start_timer)
    app.after_request(_log_request)
