"""The interface's language switch: remember the visitor's choice in a cookie and go back to the page."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, redirect, request

from .i18n import COOKIE, interface_languages
from .security import same_site_path

COOKIE_MAX_AGE = 365 * 24 * 3600

# Named i18n: its endpoint (i18n.set_language) predates the module.
bp = Blueprint("i18n", __name__)


@bp.get("/language/<code>")
def set_language(code: str) -> Response:
    """Remember the chosen interface language in a cookie and go back to the page."""
    # `next` is a path within the site (request.full_path); under a path prefix it stays inside the mount.
    response = redirect(request.script_root + (same_site_path(request.args.get("next")) or "/"), code=303)
    if code in interface_languages():
        response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
