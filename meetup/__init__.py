"""The talk archive of a bilingual tech meetup: a Flask application factory."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from htmx_flask import Htmx

from .web.forwarding import trust_forwarded
from .web.hosts import PublicBaseURL, RefuseBadHost

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production", "testing")
MIN_PRODUCTION_SECRET_LENGTH = 32


def create_app(test_config: dict | None = None) -> Flask:
    """Build the site: defaults, then instance/config.py, then the environment, then test_config."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("MEETUP_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(
        ENV_NAME="development",
        DATABASE_URL=None,
        DATABASE_TIMEOUT_SECONDS=5.0,
        HEALTH_TIMEOUT_SECONDS=1.0,
        INDEX_DIR=str(PROJECT_ROOT / "index"),
        SECRET_KEY=None,
        SEED_ON_EMPTY=True,
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        RESULTS_PER_PAGE=20,
        INDEX_CHECK_SECONDS=5.0,
        INDEX_STALE_SECONDS=120.0,
        MAX_QUERY_STRING_BYTES=8000,
        TRUSTED_PROXIES=0,
        PUBLIC_BASE_URL=None,
        FRAGMENT_CACHE_BYTES=32 * 2**20,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _config_from_environment(app)
    else:
        app.config.from_mapping(test_config)
    _finish_config(app)
    _configure_logging(app)

    from . import cli
    from .catalog import db
    from .indexing import follower, serving
    from .web import api, caching, cards, events, feeds, fragments, health, i18n, language_switch, pages, security, sharing

    Htmx(app)
    i18n.init_app(app)
    language_switch.init_app(app)
    health.init_app(app)
    db.init_app(app)
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
    if app.config["PUBLIC_BASE_URL"]:
        app.wsgi_app = PublicBaseURL(app.wsgi_app, app.config["PUBLIC_BASE_URL"])
    # Inside ProxyFix, so a forwarded host is checked too.
    app.wsgi_app = RefuseBadHost(app.wsgi_app, app.url_map)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy that ends TLS: trust its X-Forwarded-* headers for URLs and addresses.
        app.wsgi_app = trust_forwarded(app.wsgi_app, int(app.config["TRUSTED_PROXIES"]))
    return app


def _config_from_environment(app: Flask) -> None:
    for name in ("DATABASE_URL", "INDEX_DIR", "SECRET_KEY", "PUBLIC_BASE_URL"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    for name in ("INDEX_CHECK_SECONDS", "INDEX_STALE_SECONDS", "DATABASE_TIMEOUT_SECONDS", "HEALTH_TIMEOUT_SECONDS"):
        if os.environ.get(name):
            app.config[name] = float(os.environ[name])
    if os.environ.get("FRAGMENT_CACHE_MB"):
        app.config["FRAGMENT_CACHE_BYTES"] = int(float(os.environ["FRAGMENT_CACHE_MB"]) * 2**20)
    if os.environ.get("TRUSTED_PROXIES"):
        app.config["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    if os.environ.get("MEETUP_ENV"):
        app.config["ENV_NAME"] = os.environ["MEETUP_ENV"]
    if os.environ.get("SEED_ON_EMPTY"):
        app.config["SEED_ON_EMPTY"] = os.environ["SEED_ON_EMPTY"].lower() not in {"0", "false", "no"}


def _finish_config(app: Flask) -> None:
    """Fill in the defaults that depend on the instance folder, and refuse unknown or unsafe settings."""
    environment = str(app.config["ENV_NAME"]).strip().lower()
    if environment not in ENVIRONMENTS:
        raise RuntimeError(f"MEETUP_ENV={app.config['ENV_NAME']!r} is not one of {', '.join(ENVIRONMENTS)}")
    app.config["ENV_NAME"] = environment
    production = environment == "production"
    if app.config["PUBLIC_BASE_URL"]:
        app.config["PUBLIC_BASE_URL"] = PublicBaseURL.check(app.config["PUBLIC_BASE_URL"])
    if not app.config["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'meetup.sqlite3'}"
    if not app.config["SECRET_KEY"]:
        if production:
            raise RuntimeError("SECRET_KEY must be set when MEETUP_ENV=production")
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    if production and len(app.config["SECRET_KEY"]) < MIN_PRODUCTION_SECRET_LENGTH:
        raise RuntimeError(f"SECRET_KEY must be at least {MIN_PRODUCTION_SECRET_LENGTH} characters when "
                           "MEETUP_ENV=production (for example: python -c 'import secrets; print(secrets.token_hex(32))')")
    if production and app.debug:
        raise RuntimeError("refusing to run the debugger with MEETUP_ENV=production")


def _development_secret(instance: Path) -> str:
    """Return a secret kept in the instance folder, made on first use, for local development."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key


def _configure_logging(app: Flask) -> None:
    if not app.logger.handlers or app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
