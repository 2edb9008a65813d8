"""Which X-Forwarded-* headers count is decided once, from TRUSTED_PROXIES; Vary names every one that changes a response."""
from __future__ import annotations

import urllib.request

import pytest

from meetup.web.forwarding import URL_HEADERS
from tests.gunicorn_load import Server

SCHEME_HEADERS = [{"X-Forwarded-Ssl": "on"}, {"X-Forwarded-Proto": "https"}, {"X-Forwarded-Protocol": "ssl"},
                  {"X-Forwarded-Port": "444"}, {"X-Forwarded-Host": "evil.example"}]


@pytest.fixture(scope="module")
def gunicorn_servers(tmp_path_factory):
    """Start the shipped gunicorn twice on one database: trusting no proxy, then one."""
    servers = {}
    work = tmp_path_factory.mktemp("forwarding")
    for proxies in (0, 1):
        folder = work / str(proxies)
        folder.mkdir()
        server = Server(f"sqlite:///{work / 'site.sqlite3'}", folder / "index", folder / "gunicorn.log",
                        WEB_WORKERS="1", TRUSTED_PROXIES=str(proxies))
        servers[proxies] = server.__enter__()
        server.wait_until_answering()
    yield servers
    for server in servers.values():
        server.__exit__(None, None, None)


def _robots(port: int, headers: dict[str, str]) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/robots.txt", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return next(line for line in response.read().decode().splitlines() if line.startswith("Sitemap:"))


@pytest.mark.slow
@pytest.mark.parametrize(("proxies", "headers", "sitemap"), [
    *[(0, headers, "Sitemap: http://127.0.0.1:{port}/sitemap.xml") for headers in SCHEME_HEADERS],
    (1, {"X-Forwarded-Ssl": "on"}, "Sitemap: http://127.0.0.1:{port}/sitemap.xml"),
    (1, {"X-Forwarded-Protocol": "ssl"}, "Sitemap: http://127.0.0.1:{port}/sitemap.xml"),
    (1, {"X-Forwarded-Proto": "https"}, "Sitemap: https://127.0.0.1:{port}/sitemap.xml"),
    (1, {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "talks.example.org"},
     "Sitemap: https://talks.example.org/sitemap.xml"),
], ids=repr)
def test_gunicorn_trusts_the_forwarded_headers_trusted_proxies_names_and_no_others(gunicorn_servers, proxies,
                                                                                   headers, sitemap):
    port = gunicorn_servers[proxies].port
    assert _robots(port, headers) == sitemap.format(port=port)


ROUTES = ["/robots.txt", "/sitemap.xml", "/feed.atom", "/api/talks?per_page=1"]


@pytest.mark.parametrize("route", ROUTES)
def test_a_forwarded_port_changes_links_and_is_named_in_vary(make_app, route):
    client = make_app(SEED_ON_EMPTY=True, indexed=True, TRUSTED_PROXIES=1).test_client()
    response = client.get(route, headers={"X-Forwarded-Host": "talks.example.org", "X-Forwarded-Port": "444"})
    assert "talks.example.org:444/" in response.get_data(as_text=True)
    assert set(URL_HEADERS) <= set(response.vary)
    assert {"X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port"} <= set(URL_HEADERS)
