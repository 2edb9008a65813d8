"""The settings: read once, in order, typed, and refused with a clear message when unknown or malformed."""
from __future__ import annotations

import pytest

from meetup import create_app
from meetup.settings import SettingsError, settings_of


@pytest.fixture
def base(tmp_path, monkeypatch):
    monkeypatch.setenv("MEETUP_INSTANCE_PATH", str(tmp_path / "instance"))
    return {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "test", "SEED_ON_EMPTY": False, "TRANSLATIONS_CACHE": str(tmp_path / "translations")}


@pytest.mark.parametrize(("given", "field", "expected"), [
    ({}, "results_per_page", 20),
    ({"RESULTS_PER_PAGE": 5}, "results_per_page", 5),
    ({"INDEX_CHECK_SECONDS": 0}, "index_check_seconds", 0.0),  # a whole number where seconds are asked
    ({"ENV_NAME": " Testing "}, "env_name", "testing"),
    ({"PUBLIC_BASE_URL": "https://talks.example.org/"}, "public_base_url", "https://talks.example.org"),
    ({"FRAGMENT_CACHE_BYTES": 0}, "fragment_cache_bytes", 0),
])
def test_test_config_sets_typed_settings(base, given, field, expected):
    app = create_app({**base, **given})
    assert getattr(settings_of(app), field) == expected
    app.extensions["meetup_index"].close()


@pytest.mark.parametrize(("given", "message"), [
    ({"RESULTS_PER_PAG": 5}, "unknown setting 'RESULTS_PER_PAG'"),
    ({"RESULTS_PER_PAGE": "5"}, "RESULTS_PER_PAGE='5' is not a whole number"),
    ({"SEED_ON_EMPTY": 1}, "SEED_ON_EMPTY=1 is not true or false"),
    ({"INDEX_STALE_SECONDS": -1}, "INDEX_STALE_SECONDS=-1 is not a number"),
    ({"INDEX_DIR": 3}, "INDEX_DIR=3 is not text"),
])
def test_unknown_or_malformed_settings_stop_the_start(base, given, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        create_app({**base, **given})


@pytest.mark.parametrize(("variable", "value", "field", "expected"), [
    ("FRAGMENT_CACHE_MB", "1.5", "fragment_cache_bytes", 3 * 2**19),
    ("TRUSTED_PROXIES", "2", "trusted_proxies", 2),
    ("SEED_ON_EMPTY", "no", "seed_on_empty", False),
    ("SEED_ON_EMPTY", "1", "seed_on_empty", True),
    ("INDEX_STALE_SECONDS", "30", "index_stale_seconds", 30.0),
])
def test_the_environment_sets_settings(base, monkeypatch, variable, value, field, expected):
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("DATABASE_URL", base["DATABASE_URL"])
    monkeypatch.setenv("INDEX_DIR", base["INDEX_DIR"])
    app = create_app()
    assert getattr(settings_of(app), field) == expected
    app.extensions["meetup_index"].close()


@pytest.mark.parametrize(("variable", "value"), [("TRUSTED_PROXIES", "one"), ("INDEX_CHECK_SECONDS", "5s"),
                                                 ("FRAGMENT_CACHE_MB", "lots")])
def test_a_malformed_environment_variable_stops_the_start(base, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("DATABASE_URL", base["DATABASE_URL"])
    with pytest.raises(SettingsError, match=f"{variable}='{value}' is not"):
        create_app()
