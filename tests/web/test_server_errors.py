"""What gunicorn refuses itself (before the site sees the request) carries the site's security headers."""
from __future__ import annotations

import socket

import pytest

from meetup.web.security import SECURITY_HEADERS
from tests.gunicorn_load import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("gunicorn")
    with Server(f"sqlite:///{work / 'site.sqlite3'}", work / "index", work / "gunicorn.log", WEB_WORKERS="1") as running:
        running.wait_until_answering()
        yield running


def _ask(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    return status, dict(line.split(": ", 1) for line in lines), body


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", "414"),
    (b"GET /<script> HTTP/9.9\r\nHost: localhost\r\n\r\n", "400"),
    (b"NOT A REQUEST\r\n\r\n", "400"),
])
def test_gunicorns_own_refusals_carry_the_security_headers(server, request_bytes, status):
    line, headers, body = _ask(server.port, request_bytes)
    assert line.split(" ")[1] == status, line
    assert {name: headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert headers["Content-Type"].startswith("text/plain") and b"<" not in body
