"""A Host header that is not a host name gets a plain 400 on every route, never a 500 or a traceback."""
from __future__ import annotations

import pytest

from meetup.web.hosts import valid_host
from meetup.web.security import SECURITY_HEADERS

BAD_HOSTS = ["a" * 64 + ".example.org", "a..b", "exa mple.org", "ex\x00ample.org", "[::1", "[::g]", "example.org:99999",
             "-a.example", ".example.org", "example.org:", "example.org:http", "é" * 10 + ".example", "a.b/c",
             ("a" * 60 + ".") * 5 + "org"]
ROUTES = ["/", "/?q=kubernetes", "/talks/postmortems-at-flywire", "/api/talks", "/api/nowhere", "/healthz", "/robots.txt",
          "/feed.atom", "/sitemap.xml", "/static/style.css", "/language/es?next=/", "/nowhere"]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_bad_host_gets_400_on_every_route(client, caplog, host):
    assert not valid_host(host)
    for route in ROUTES:
        response = client.get(route, headers={"Host": host})
        assert response.status_code == 400, route
        assert response.mimetype == ("application/json" if route.startswith("/api/") else "text/plain"), route
        assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS, route
    assert "Traceback" not in caplog.text and "ERROR" not in caplog.text


def test_bad_forwarded_host_gets_400_behind_a_trusted_proxy(make_app):
    client = make_app(SEED_ON_EMPTY=True, TRUSTED_PROXIES=1).test_client()
    assert client.get("/robots.txt", headers={"X-Forwarded-Host": "a..b"}).status_code == 400


@pytest.mark.parametrize("host", ["example.org", "example.org:8000", "talks.example.org.", "127.0.0.1:5000",
                                  "[::1]:8080", "localhost", "my_host.internal", "xn--caf-dma.example"])
def test_real_hosts_are_served(client, host):
    assert valid_host(host)
    assert client.get("/robots.txt", headers={"Host": host}).status_code == 200
