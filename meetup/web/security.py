"""Security headers on every response and bounds on what a request may carry."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Flask, Response, abort, request
from werkzeug.urls import iri_to_uri

from ..settings import settings
from .forwarding import vary_on_forwarded

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        # A talk page's video plays in YouTube's privacy-enhanced player, loaded only when a visitor asks.
        "frame-src https://www.youtube-nocookie.com",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Sent on every response, including those answered before the site sees the request (hosts.py, server_errors.py).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
STATIC_MAX_AGE = 3600
HSTS = "max-age=31536000"
MAX_REDIRECT_PATH = 2000
# Browsers (WHATWG URL parsing) trim C0 controls and spaces around a URL and drop tabs and newlines inside it.
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_DROPPED_INSIDE = str.maketrans("", "", "\t\n\r")


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries, and caching suited to pages or static files."""
    headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if request.is_secure:
        # Only over HTTPS (seen through ProxyFix behind a proxy that ends TLS): browsers ignore it over HTTP.
        headers.setdefault("Strict-Transport-Security", HSTS)
    if settings().trusted_proxies and not settings().public_base_url:
        # Absolute links then follow the forwarded scheme, host and port: a shared cache must keep one copy per value.
        vary_on_forwarded(response)
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
    if len(request.query_string) > settings().max_query_string_bytes:
        abort(400, "query string too long")


def same_site_path(target: str | None) -> str | None:
    """Return target as a path on this site, judged as a browser parses URLs, or None when it could lead elsewhere.

    Browsers drop tabs and newlines and read a backslash as a slash, so `/\\t/evil.example` and
    `/\\evil.example` are the host `evil.example` to them. The percent-decoded form is judged too,
    in case anything between here and the browser decodes it once.
    """
    if not target or len(target) > MAX_REDIRECT_PATH:
        return None
    cleaned = _as_browser_reads(target)
    for form in (cleaned, _as_browser_reads(unquote(cleaned))):
        parts = urlsplit(form)
        if (not form.startswith("/") or form.startswith("//") or parts.scheme or parts.netloc
                or any(ord(character) < 0x20 or ord(character) == 0x7F for character in form)):
            return None
    return iri_to_uri(cleaned)


def _as_browser_reads(url: str) -> str:
    return url.strip(_C0_AND_SPACE).translate(_DROPPED_INSIDE).replace("\\", "/")


def init_app(app: Flask) -> None:
    app.before_request(bound_request)
    app.after_request(add_security_headers)
