"""The site's settings, read once when the app is made into one typed, frozen object.

Defaults (the fields below), then `instance/config.py`, then the environment; or, for tests,
the defaults then `test_config` alone. Every other module reads `settings()`, never the
environment or `app.config` (which keeps only what Flask and its extensions read themselves).
An unknown name or a value of the wrong kind stops the start with a message naming it.
"""
from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Config, Flask, current_app

from .search import ABBREVIATIONS_FILE, CROSSLANG_FILE, SYNONYMS_FILE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production", "testing")
MIN_PRODUCTION_SECRET_LENGTH = 32
MEBIBYTE = 2**20


class SettingsError(RuntimeError):
    """A setting that is unknown, of the wrong kind, or unsafe for the environment the site runs in."""


@dataclass(frozen=True)
class Settings:
    """Every setting of the site; see the README's Configuration section for what each one means."""

    env_name: str = "development"
    database_url: str | None = None  # None: instance/meetup.sqlite3
    database_timeout_seconds: float = 5.0
    health_timeout_seconds: float = 1.0
    index_dir: str = str(PROJECT_ROOT / "index")
    secret_key: str | None = None  # None: made once and kept in the instance folder (never in production)
    seed_on_empty: bool = True
    results_per_page: int = 20
    index_check_seconds: float = 5.0
    index_stale_seconds: float = 120.0
    max_query_string_bytes: int = 8000
    trusted_proxies: int = 0
    public_base_url: str | None = None
    fragment_cache_bytes: int = 32 * MEBIBYTE
    synonyms_file: str = str(SYNONYMS_FILE)
    crosslang_file: str = str(CROSSLANG_FILE)
    abbreviations_file: str = str(ABBREVIATIONS_FILE)
    translations_cache: str | None = None  # None: instance/translations

    @property
    def production(self) -> bool:
        return self.env_name == "production"


# The environment's names for settings, and how each is read from text.
def _seconds(text: str) -> float:
    return float(text)


def _flag(text: str) -> bool:
    return text.strip().lower() not in {"0", "false", "no"}


def _mebibytes(text: str) -> int:
    return int(float(text) * MEBIBYTE)


ENVIRONMENT: dict[str, tuple[str, Callable[[str], object]]] = {
    "MEETUP_ENV": ("env_name", str),
    "DATABASE_URL": ("database_url", str),
    "INDEX_DIR": ("index_dir", str),
    "SECRET_KEY": ("secret_key", str),
    "PUBLIC_BASE_URL": ("public_base_url", str),
    "DATABASE_TIMEOUT_SECONDS": ("database_timeout_seconds", _seconds),
    "HEALTH_TIMEOUT_SECONDS": ("health_timeout_seconds", _seconds),
    "INDEX_CHECK_SECONDS": ("index_check_seconds", _seconds),
    "INDEX_STALE_SECONDS": ("index_stale_seconds", _seconds),
    "FRAGMENT_CACHE_MB": ("fragment_cache_bytes", _mebibytes),
    "TRUSTED_PROXIES": ("trusted_proxies", int),
    "SEED_ON_EMPTY": ("seed_on_empty", _flag),
}
FIELDS = {field.name: field for field in dataclasses.fields(Settings)}
# Names Flask reads itself, kept in app.config; ours are the upper-case names of the fields.
FLASK_NAMES = frozenset(Flask.default_config) | {"SECRET_KEY"}
FLASK_DEFAULTS = {"MAX_CONTENT_LENGTH": 64 * 1024, "MAX_FORM_MEMORY_SIZE": 64 * 1024}


def instance_path() -> str:
    """Return the instance folder: MEETUP_INSTANCE_PATH, else instance/ beside the code."""
    return os.environ.get("MEETUP_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")


def load_settings(app: Flask, test_config: Mapping[str, object] | None = None) -> Settings:
    """Read the settings in order, check them, complete those that depend on the instance folder, and keep them on app."""
    if test_config is None:
        from_file = Config(app.instance_path)
        from_file.from_pyfile("config.py", silent=True)
        given = {**from_file, **_from_environment(os.environ)}
    else:
        given = dict(test_config)
    app.config.update(FLASK_DEFAULTS)
    ours = {}
    for name, value in given.items():
        field = name.lower()
        if field in FIELDS and name == field.upper():
            ours[field] = value
        elif name in FLASK_NAMES:
            app.config[name] = value
        elif name.startswith("BABEL_"):
            app.config[name] = value  # Flask-Babel's own
        else:
            raise SettingsError(f"unknown setting {name!r} (the README's Configuration section lists them)")
    settings = _finished(_checked(ours), Path(app.instance_path), debug=app.debug)
    app.config["SECRET_KEY"] = settings.secret_key
    app.extensions["meetup_settings"] = settings
    return settings


def settings() -> Settings:
    """Return the settings of the app serving this request or command."""
    return current_app.extensions["meetup_settings"]


def settings_of(app: Flask) -> Settings:
    """Return the settings an app was made with."""
    return app.extensions["meetup_settings"]


def _from_environment(environ: Mapping[str, str]) -> dict[str, object]:
    """Return the settings the environment gives (empty variables count as unset), by their config names."""
    found = {}
    for variable, (field, parse) in ENVIRONMENT.items():
        text = environ.get(variable, "")
        if not text:
            continue
        try:
            found[field.upper()] = parse(text)
        except ValueError:
            raise SettingsError(f"{variable}={text!r} is not {_kind(FIELDS[field].type)}") from None
    return found


def _checked(values: dict[str, object]) -> dict[str, object]:
    """Return the values coerced to their fields' types; raise SettingsError for a value of another kind."""
    checked = {}
    for field, value in values.items():
        kind = FIELDS[field].type
        if value is None and "None" in kind:
            checked[field] = None
        elif "bool" in kind and isinstance(value, bool):
            checked[field] = value
        elif "float" in kind and isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            checked[field] = float(value)
        elif "int" in kind and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            checked[field] = value
        elif "str" in kind and isinstance(value, (str, os.PathLike)):
            checked[field] = str(value)
        else:
            raise SettingsError(f"{field.upper()}={value!r} is not {_kind(kind)}")
    return checked


def _kind(annotation: str) -> str:
    for name, said in (("bool", "true or false"), ("float", "a number of 0 or more"),
                       ("int", "a whole number of 0 or more"), ("str", "text")):
        if name in annotation:
            return said
    return annotation


def _finished(values: dict[str, object], instance: Path, *, debug: bool) -> Settings:
    """Return the settings with the instance folder's defaults filled in; refuse unsafe ones for production."""
    environment = str(values.get("env_name", Settings.env_name)).strip().lower()
    if environment not in ENVIRONMENTS:
        raise SettingsError(f"MEETUP_ENV={values.get('env_name')!r} is not one of {', '.join(ENVIRONMENTS)}")
    values["env_name"] = environment
    if values.get("public_base_url"):
        values["public_base_url"] = values["public_base_url"].strip().rstrip("/")  # checked by web/hosts
    if not values.get("database_url"):
        os.makedirs(instance, exist_ok=True)
        values["database_url"] = f"sqlite:///{instance / 'meetup.sqlite3'}"
    if not values.get("translations_cache"):
        values["translations_cache"] = str(instance / "translations")
    production = environment == "production"
    if not values.get("secret_key"):
        if production:
            raise SettingsError("SECRET_KEY must be set when MEETUP_ENV=production")
        values["secret_key"] = _development_secret(instance)
    if production and len(values["secret_key"]) < MIN_PRODUCTION_SECRET_LENGTH:
        raise SettingsError(f"SECRET_KEY must be at least {MIN_PRODUCTION_SECRET_LENGTH} characters when "
                            "MEETUP_ENV=production (for example: python -c 'import secrets; print(secrets.token_hex(32))')")
    if production and debug:
        raise SettingsError("refusing to run the debugger with MEETUP_ENV=production")
    return Settings(**values)


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
