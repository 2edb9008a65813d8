"""Caching headers as a real HTTP server sends them: one Date, whichever layer writes it."""
from __future__ import annotations

import http.client
import threading

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def served(seeded_app):
    """Serve the seeded app with Werkzeug's server (what `make run` uses) on a free loopback port."""
    server = make_server("127.0.0.1", 0, seeded_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.mark.parametrize("path", [
    "/", "/api/talks", "/api/talks/postmortems-at-flywire", "/feed.atom", "/sitemap.xml",
    "/talks/postmortems-at-flywire.ics", "/static/style.css", "/nope",
])
def test_every_response_has_exactly_one_date_header(served, path):
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert len(response.msg.get_all("Date")) == 1, response.msg.get_all("Date")
