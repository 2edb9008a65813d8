"""Which X-Forwarded-* headers count: those set by the TRUSTED_PROXIES proxies in front, read in one place.

Werkzeug's ProxyFix reads them for the site. gunicorn, by its own default, would also turn
X-Forwarded-Proto, -Ssl or -Protocol from 127.0.0.1 into https whatever TRUSTED_PROXIES says;
gunicorn.conf.py takes its trust from here, which is none: every forwarded header reaches the site
untouched, and ProxyFix alone decides.
"""
from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

# The forwarded headers that change absolute links (and so the body a shared cache keeps).
URL_HEADERS = ("X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port")
# gunicorn's settings: trust no front end's headers for the scheme or for anything else.
GUNICORN_FORWARDED_ALLOW_IPS = ""
GUNICORN_SECURE_SCHEME_HEADERS: dict[str, str] = {}


def trust_forwarded(wsgi_app, hops: int):
    """Return wsgi_app reading the client's address, scheme, host and port from `hops` trusted proxies."""
    return ProxyFix(wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def vary_on_forwarded(response: Response) -> None:
    """Name in Vary every forwarded header that changes this response's absolute links."""
    response.vary.update(URL_HEADERS)
