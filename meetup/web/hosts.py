"""The site's host: refuse a Host that is not a host name with a plain 400, or use the configured public one."""
from __future__ import annotations

import ipaddress
import json
import logging
import re

from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.wrappers import Response

from .security import SECURITY_HEADERS

access_log = logging.getLogger("meetup.access")
# RFC 1123 labels of 1-63 letters, digits and hyphens (underscores too, as real hosts use them), dot-separated.
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST = re.compile(rf"(?P<name>{_LABEL}(?:\.{_LABEL})*\.?|\[(?P<ipv6>[0-9A-Fa-f:.]+)\])(?::(?P<port>\d{{1,5}}))?")
MAX_HOST_NAME = 253


def valid_host(host: str) -> bool:
    """Return whether a Host header value is a host name or IP literal, with an optional port."""
    found = _HOST.fullmatch(host)
    if found is None or (found["port"] and int(found["port"]) > 65535):
        return False
    if found["ipv6"]:
        try:
            ipaddress.IPv6Address(found["ipv6"])
        except ValueError:
            return False
        return True
    return len(found["name"].rstrip(".")) <= MAX_HOST_NAME


class RefuseBadHost:
    """WSGI middleware: answer 400 before Flask when its URL map cannot be bound to the request's host.

    Flask binds its URL map while creating the request context; a host that fails there leaves no
    way to build URLs, so even its error page would fail. This checks the same binding first.
    """

    def __init__(self, wsgi_app, url_map: Map) -> None:
        self.wsgi_app = wsgi_app
        self.url_map = url_map

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        try:
            if host is not None and not valid_host(host):
                raise ValueError(host)
            self.url_map.bind_to_environ(environ)
        except (HTTPException, ValueError):
            return self._refuse(environ)(environ, start_response)
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _refuse(environ) -> Response:
        path = environ.get("PATH_INFO", "")
        access_log.info('%s "%s %s" 400 bad Host header', environ.get("REMOTE_ADDR"), environ.get("REQUEST_METHOD"),
                        path[:300])
        if path.startswith("/api/"):
            body, mimetype = json.dumps({"error": "the Host header is not a valid host name"}), "application/json"
        else:
            body, mimetype = "Bad request: the Host header is not a valid host name.\n", "text/plain"
        response = Response(body, status=400, mimetype=mimetype)
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        return response


class PublicBaseURL:
    """WSGI middleware: make every request look addressed to PUBLIC_BASE_URL, so absolute links use it.

    Links in robots.txt, the feed, the sitemap, og:url and the API then never echo a client's Host
    or X-Forwarded-Host, and cached copies are the same for everyone.
    """

    def __init__(self, wsgi_app, base_url: str) -> None:
        self.wsgi_app = wsgi_app
        parts = urlsplit(base_url)
        self.scheme, self.host, self.prefix = parts.scheme, parts.netloc, parts.path.rstrip("/")

    @staticmethod
    def check(base_url: str) -> str:
        """Return the base URL without a trailing slash, or raise RuntimeError when it is not http(s)://host[/path]."""
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not valid_host(parts.netloc) or parts.query or parts.fragment:
            raise RuntimeError(f"PUBLIC_BASE_URL={base_url!r} must look like https://talks.example.org")
        return base_url.strip().rstrip("/")

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        environ["SCRIPT_NAME"] = self.prefix
        return self.wsgi_app(environ, start_response)
