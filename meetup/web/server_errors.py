"""gunicorn's own refusals (a request line over its limit, a malformed request) with the site's security headers.

gunicorn answers these before the site sees the request, through `gunicorn.util.write_error`, which
has no hook: `install` replaces that one function (gunicorn 27) with one that sends plain text and
the same headers as every page (meetup/web/security.py).
"""
from __future__ import annotations

from .security import SECURITY_HEADERS


def error_response(status: int, reason: str) -> bytes:
    """Return a complete HTTP/1.1 error response for gunicorn to send, closing the connection."""
    body = f"{status} {reason}\n".encode("latin-1", "replace")
    headers = {"Connection": "close", "Content-Type": "text/plain; charset=utf-8",
               "Content-Length": str(len(body)), "Cache-Control": "no-store", **SECURITY_HEADERS}
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (head + "\r\n").encode("latin-1") + body


def install() -> None:
    """Make gunicorn send error_response for the requests it refuses itself."""
    from gunicorn import util

    def write_error(sock, status_int, reason, _mesg):
        # What gunicorn would add (the refused request line) is left out: it is the client's own input.
        util.write_nonblock(sock, error_response(status_int, reason))

    util.write_error = write_error
