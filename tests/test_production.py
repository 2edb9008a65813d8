"""Production behaviour: configuration, bounds, headers, health, freshness across nodes, concurrency."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import request
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from meetup import create_app
from meetup.settings import settings_of
from meetup.catalog.db import get_session
from meetup.catalog.models import Talk, content_version

ROOT = Path(__file__).resolve().parent.parent


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("MEETUP_ENV", "production")
    monkeypatch.setenv("MEETUP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "s3cret-" + "k" * 32)
    app = create_app()
    assert app.config["SECRET_KEY"] == "s3cret-" + "k" * 32 and not app.debug


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Set the environment create_app reads, with a long enough secret."""
    monkeypatch.setenv("MEETUP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    for name in ("MEETUP_ENV", "PUBLIC_BASE_URL", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(("value", "runs_as"), [
    ("production", "production"), ("Production", "production"), ("PRODUCTION", "production"),
    (" production ", "production"), ("development", "development"), ("testing", "testing"),
    ("prod", None), ("dev", None), ("staging", None), ("productio", None), ("production2", None),
])
def test_unknown_environments_refuse_to_start(environment, value, runs_as):
    environment.setenv("MEETUP_ENV", value)
    if runs_as is None:
        with pytest.raises(RuntimeError, match="MEETUP_ENV"):
            create_app()
    else:
        assert settings_of(create_app()).env_name == runs_as


@pytest.mark.parametrize(("secret", "starts"), [("x", False), ("k" * 31, False), ("k" * 32, True), ("k" * 64, True)])
def test_production_needs_a_long_secret_key(environment, secret, starts):
    environment.setenv("MEETUP_ENV", "production")
    environment.setenv("SECRET_KEY", secret)
    if starts:
        assert create_app().config["SECRET_KEY"] == secret
    else:
        with pytest.raises(RuntimeError, match="at least 32 characters"):
            create_app()


@pytest.mark.parametrize("value", ["talks.example.org", "ftp://talks.example.org", "https://a..b", "https://x.org/?a=1"])
def test_a_malformed_public_base_url_refuses_to_start(environment, value):
    environment.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app()


def test_development_secret_is_made_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("MEETUP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("MEETUP_ENV", raising=False)
    first, second = create_app(), create_app()
    assert len(first.config["SECRET_KEY"]) == 64 and first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_oversized_query_string_gets_a_friendly_400(client):
    response = client.get("/?q=" + "k" * 9000)
    assert response.status_code == 400
    assert "too long" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_a_friendly_405(client, method):
    response = getattr(client, method)("/", data={"q": "x" * 100})
    assert response.status_code == 405
    assert "<h1>" in response.get_data(as_text=True)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(("route", "allowed"), [
    ("/talks/postmortems-at-flywire", {"GET", "HEAD", "OPTIONS"}),
    ("/speakers/", {"GET", "HEAD", "OPTIONS"}),
    ("/feed.atom", {"GET", "HEAD", "OPTIONS"}),
    ("/healthz", {"GET", "HEAD", "OPTIONS"}),
    ("/language/es", {"GET", "HEAD", "OPTIONS"}),
])
def test_html_routes_say_which_methods_they_allow(client, route, allowed):
    response = client.delete(route)
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) == allowed


def test_an_oversized_body_to_a_page_is_refused_by_its_method_first(client):
    response = client.post("/", data="x" * (200 * 1024), content_type="text/plain")
    assert response.status_code == 405
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("size", "status"), [(1024, 200), (64 * 1024, 200), (64 * 1024 + 1, 413), (200 * 1024, 413)])
def test_a_body_over_max_content_length_gets_a_friendly_413(make_app, size, status):
    app = make_app()

    @app.post("/body-length")
    def body_length():
        return str(len(request.get_data()))

    response = app.test_client().post("/body-length", data="x" * size, content_type="text/plain")
    assert response.status_code == status
    body = response.get_data(as_text=True)
    if status == 200:
        assert body == str(size)
    else:
        assert "Please send less" in body and "Traceback" not in body


def test_static_files_carry_security_headers_and_long_cache_when_fingerprinted(client):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', page).group(1)
    response = client.get(css)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    plain = client.get("/static/style.css")
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    plain.close()


def test_htmx_is_configured_for_a_strict_csp(client):
    page = client.get("/").get_data(as_text=True)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    assert '"includeIndicatorStyles": false' in config and '"allowEval": false' in config


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["index"] == "ok"
    assert body["index_version"] == body["content_version"] > 0


def test_healthz_503_when_the_database_is_unreachable(seeded_app):
    seeded_app.extensions["meetup_sessions"] = sessionmaker(
        create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    )
    client = seeded_app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    page = client.get("/")
    assert page.status_code == 503 and "briefly unavailable" in page.get_data(as_text=True)


def test_requests_are_logged_with_timing(client, caplog):
    with caplog.at_level("INFO", logger="meetup.access"):
        client.get("/?q=kube", headers={"HX-Request": "true"})
    assert re.search(r'"GET /\?q=kube" 200 fragment [\d.]+ms', caplog.text)


def _flask(args: list[str], database_url: str, index_dir: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "INDEX_DIR": str(index_dir), "SEED_ON_EMPTY": "0"}
    return subprocess.Popen([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def test_two_concurrent_imports_serialise_without_duplicates(app, database_url, tmp_path, write_file):
    talks = "".join(f"- title: Concurrent talk {n}\n  language: en\n  speakers: [Shared Speaker]\n" for n in range(40))
    path = write_file("many.yaml", talks)
    runs = [_flask(["import-talks", str(path)], database_url, tmp_path / f"index-{n}") for n in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    summaries = sorted(re.search(r"(\d+) added, (\d+) updated, (\d+) unchanged", out).groups() for out in outputs)
    assert summaries == [("0", "0", "40"), ("40", "0", "0")]
    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count()).select_from(Talk)) == 40
        assert content_version(session) == 1


def test_behind_a_trusted_proxy_urls_use_the_forwarded_scheme_and_host(make_app):
    app = make_app(indexed=True, SEED_ON_EMPTY=True, TRUSTED_PROXIES=1)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "talks.example.org"}
    html = app.test_client().get("/talks/postmortems-at-flywire", headers=headers).get_data(as_text=True)
    assert '<link rel="canonical" href="https://talks.example.org/talks/postmortems-at-flywire">' in html
    untrusted = make_app(indexed=True, SEED_ON_EMPTY=True)
    html = untrusted.test_client().get("/talks/postmortems-at-flywire", headers=headers).get_data(as_text=True)
    assert "talks.example.org" not in html


@pytest.mark.parametrize(("proxies", "headers", "hsts"), [
    (0, {}, False),
    (0, {"X-Forwarded-Proto": "https"}, False),
    (1, {"X-Forwarded-Proto": "https"}, True),
    (1, {"X-Forwarded-Proto": "http"}, False),
])
def test_hsts_only_when_the_request_is_https(make_app, proxies, headers, hsts):
    client = make_app(SEED_ON_EMPTY=True, TRUSTED_PROXIES=proxies).test_client()
    for route in ("/", "/api/talks", "/robots.txt"):
        response = client.get(route, headers=headers)
        assert (response.headers.get("Strict-Transport-Security") == "max-age=31536000") is hsts, route
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


FORWARDED = {"X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.example"}
ABSOLUTE_LINKS = [
    ("/robots.txt", "Sitemap: https://talks.example.org/meetup/sitemap.xml"),
    ("/sitemap.xml", "<loc>https://talks.example.org/meetup/talks/postmortems-at-flywire</loc>"),
    ("/feed.atom", 'href="https://talks.example.org/meetup/talks/postmortems-at-flywire"'),
    ("/talks/postmortems-at-flywire", '<meta property="og:url" content="https://talks.example.org/meetup/talks/postmortems-at-flywire">'),
    ("/api/talks?per_page=1", '"next":"https://talks.example.org/meetup/api/talks?'),
]


@pytest.mark.parametrize(("route", "expected"), ABSOLUTE_LINKS)
def test_absolute_links_use_the_public_base_url(make_app, route, expected):
    app = make_app(SEED_ON_EMPTY=True, TRUSTED_PROXIES=1, PUBLIC_BASE_URL="https://talks.example.org/meetup/")
    body = app.test_client().get(route, headers=FORWARDED).get_data(as_text=True).replace(" ", "").replace("\n", "")
    assert expected.replace(" ", "") in body
    assert "evil.example" not in body


@pytest.mark.parametrize("route", ["/robots.txt", "/sitemap.xml", "/feed.atom", "/api/talks", "/"])
def test_without_a_base_url_responses_that_follow_the_forwarded_host_vary_on_it(make_app, route):
    client = make_app(SEED_ON_EMPTY=True, TRUSTED_PROXIES=1).test_client()
    response = client.get(route, headers=FORWARDED)
    assert {"X-Forwarded-Host", "X-Forwarded-Proto"} <= set(response.vary)
    based = make_app(SEED_ON_EMPTY=True, TRUSTED_PROXIES=1, PUBLIC_BASE_URL="https://talks.example.org").test_client()
    assert "X-Forwarded-Host" not in based.get(route, headers=FORWARDED).vary
