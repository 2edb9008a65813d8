"""Operations: /healthz for load balancers, and one log line per request with its timing."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, current_app, g, jsonify, request
from psycopg.errors import QueryCanceled
from sqlalchemy.exc import SQLAlchemyError

from ..catalog.db import check_what_pages_read, get_session
from ..indexing.serving import index_health
from ..settings import settings

bp = Blueprint("health", __name__)
access_log = logging.getLogger("meetup.access")


@bp.get("/healthz")
def healthz():
    """Say whether the database answers what pages read, quickly, and the index is readable and in step with it."""
    report: dict[str, object] = {}
    healthy = True
    try:
        report["content_version"] = check_what_pages_read(get_session(), settings().health_timeout_seconds)
        report["database"] = "ok"
    except SQLAlchemyError as error:
        # Reachable but too slow (a lock on a table pages read, say), or not reachable at all.
        report["database"] = "timeout" if isinstance(getattr(error, "orig", None), QueryCanceled) else "unreachable"
        current_app.logger.error("health check: database %s: %s", report["database"], error.__class__.__name__)
        healthy = False
    index = index_health(report.get("content_version"))
    report["index"] = index.state
    if index.state not in ("missing", "unreadable"):
        report["index_version"] = index.version
    healthy = healthy and index.state in ("ok", "catching-up")
    report["status"] = "ok" if healthy else "unavailable"
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


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
