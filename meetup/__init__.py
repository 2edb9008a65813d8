"""The talk archive of a bilingual tech meetup: a Flask application factory."""
from __future__ import annotations

import logging

from flask import Flask
from htmx_flask import Htmx

from .settings import PROJECT_ROOT, Settings, instance_path, load_settings
from .web.forwarding import trust_forwarded
from .web.hosts import PublicBaseURL, RefuseBadHost


def create_app(test_config: dict | None = None) -> Flask:
    """Build the site from its settings (meetup/settings.py): defaults, then instance/config.py and the environment, or test_config."""
    app = Flask(
        __name__,
        instance_path=instance_path(),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    settings = load_settings(app, test_config)
    _configure_logging(app)
    _serve_behind_proxies(app, settings)

    from . import cli
    from .catalog import db
    from .indexing import follower, serving
    from .web import api, caching, cards, events, feeds, fragments, health, i18n, language_switch, pages, security, sharing

    Htmx(app)
    i18n.init_app(app)
    language_switch.init_app(app)
    health.init_app(app)
    db.init_app(app, settings.database_url, settings.database_timeout_seconds)
    security.init_app(app)
    caching.init_app(app)
    serving.init_app(app)
    fragments.init_app(app)
    cards.init_app(app)
    pages.init_app(app)
    api.init_app(app)
    feeds.init_app(app)
    events.init_app(app)
    sharing.init_app(app)
    cli.init_app(app)
    follower.init_app(app)
    return app


def _serve_behind_proxies(app: Flask, settings: Settings) -> None:
    """Wrap the app in the public base URL, the Host check and the trusted proxies' headers, innermost first."""
    if settings.public_base_url:
        app.wsgi_app = PublicBaseURL(app.wsgi_app, PublicBaseURL.check(settings.public_base_url))
    # Inside ProxyFix, so a forwarded host is checked too; the map is filled as blueprints register.
    app.wsgi_app = RefuseBadHost(app.wsgi_app, app.url_map)
    if settings.trusted_proxies:
        # Behind a reverse proxy that ends TLS: trust its X-Forwarded-* headers for URLs and addresses.
        app.wsgi_app = trust_forwarded(app.wsgi_app, settings.trusted_proxies)


def _configure_logging(app: Flask) -> None:
    if not app.logger.handlers or app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
