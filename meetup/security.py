"""Security headers on every response and bounds on what a request may carry."""
from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
STATIC_MAX_AGE = 3600


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries, and caching suited to pages or static files."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint == "static":
        # Static URLs carry a content hash (?v=...), so a long cache is safe.
        if request.args.get("v"):
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}"
    else:
        headers.setdefault("Cache-Control", "no-cache")
    return response


def bound_request() -> None:
    """Refuse query strings over the configured size with a friendly 400 page."""
    if len(request.query_string) > current_app.config["MAX_QUERY_STRING_BYTES"]:
        abort(400, "query string too long")


def init_app(app: Flask) -> None:
    app.before_request(bound_request)
    app.after_request(add_security_headers)
