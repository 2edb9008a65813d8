"""Caching for public, read-only responses: the API, feeds, the sitemap and calendar files."""
from __future__ import annotations

from flask import Flask, Response, request


def cacheable(response: Response, max_age: int) -> Response:
    """Let clients and shared caches keep the response for max_age seconds, then revalidate by ETag."""
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.add_etag()
    return response.make_conditional(request)


def leave_date_to_the_server(response: Response) -> Response:
    """Drop the Date header Werkzeug's conditional responses add, since every HTTP server sends its own."""
    # Werkzeug's dev server and gunicorn both always write Date; a second copy from the app is invalid.
    del response.headers["Date"]
    return response


def init_app(app: Flask) -> None:
    app.after_request(leave_date_to_the_server)
