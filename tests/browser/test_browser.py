"""What only a browser shows: live search as you type, swapping, history, no-JS fallback, CSP.

Drives Debian's Chromium (/usr/bin/chromium) with Playwright against the app served on loopback.
"""
from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from meetup import create_app

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

if not os.path.exists(CHROMIUM):
    if os.environ.get("MEETUP_REQUIRE_BROWSER"):
        raise RuntimeError(f"{CHROMIUM} is missing but MEETUP_REQUIRE_BROWSER is set")
    pytest.skip(f"{CHROMIUM} not installed (sudo apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def seeded_browser_app(folder: Path, server_database_url: str | None):
    """Return an app on a fresh database (this run's PostgreSQL schema, or a SQLite file) with the shipped talks."""
    url = server_database_url or f"sqlite:///{folder / 'site.sqlite3'}"
    if server_database_url:
        from sqlalchemy import create_engine

        from meetup.catalog.models import Base

        engine = create_engine(url)
        Base.metadata.drop_all(engine)
        engine.dispose()
    return create_app({"DATABASE_URL": url, "INDEX_DIR": str(folder / "index"), "SECRET_KEY": "test",
                       "SEED_ON_EMPTY": True, "TRANSLATIONS_CACHE": str(folder / "translations")})


@contextmanager
def serving(app):
    """Serve app on a free loopback port while the block runs, yielding its base URL; close it afterwards."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.extensions["meetup_index"].close()
        app.extensions["meetup_engine"].dispose()


@contextmanager
def launched_chromium():
    """Launch Debian's Chromium headless through Playwright, closed when the block ends."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def live_url(tmp_path_factory, server_database_url):
    """Serve a seeded site on a free loopback port for this module's tests."""
    app = seeded_browser_app(tmp_path_factory.mktemp("live"), server_database_url)
    # The node's follower would do this beside the web workers: seed the database and build the index.
    built = app.test_cli_runner().invoke(args=["index", "follow", "--once"])
    assert built.exit_code == 0, built.output
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors and failed requests."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    # A request the browser itself cancels while navigating away (net::ERR_ABORTED) is not a failure.
    page.on("requestfailed", lambda request: "ERR_ABORTED" not in (request.failure or "")
            and page.problems.append(f"failed: {request.url} ({request.failure})"))
    yield page
    context.close()


def cards(page):
    return page.locator("article.talk-card")


def slugs(page) -> list[str]:
    return cards(page).evaluate_all("els => els.map(e => e.dataset.slug)")


def wait_until(page, predicate: str, arg=None, timeout: float = 10.0) -> None:
    """Poll a JavaScript predicate from here until it holds.

    Not page.wait_for_function: its in-page polling compiles the predicate with eval, which the
    site's Content-Security-Policy (rightly) forbids.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {predicate} ({arg!r})")
        page.wait_for_timeout(50)


def wait_for_query(page, q: str):
    """Wait until the URL and the results describe query q and no request is in flight."""
    wait_until(page, "q => new URLSearchParams(location.search).get('q') === q && !document.querySelector('.htmx-request')", q)


def test_typing_kube_shows_the_kubernetes_talks_without_a_page_load(page, live_url):
    page.goto(live_url)
    assert cards(page).count() == 19
    page.evaluate("window.__samePage = true")
    page.locator("#q").press_sequentially("kube", delay=60)
    wait_for_query(page, "kube")
    wait_until(page, "() => document.querySelectorAll('article.talk-card').length < 19")
    assert page.evaluate("window.__samePage") is True
    titles = cards(page).locator("h2").all_inner_texts()
    assert titles and all("kubernetes" in (t + cards(page).nth(i).inner_text()).lower() for i, t in enumerate(titles))
    assert "non-trusted-shared-kubernetes-at-k8spin" in slugs(page)
    assert page.locator("mark").first.inner_text().lower().startswith("kube")
    assert re.search(r"\d+ talks? match", page.locator("#result-status").inner_text())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    assert page.problems == []


def test_spanish_stem_search_highlights(page, live_url):
    page.goto(live_url)
    page.locator("#q").press_sequentially("contenedor", delay=40)
    wait_for_query(page, "contenedor")
    assert "microcontainers-reduciendo-el-tamano-de-tus-contenedores" in slugs(page)
    assert "contenedores" in [m.lower() for m in page.locator("mark").all_inner_texts()]
    assert page.problems == []


def test_language_filter_narrows_the_list_and_the_url(page, live_url):
    page.goto(f"{live_url}/?q=kubernetes")
    before = cards(page).count()
    page.locator("input[name=lang][value=en]").check()
    wait_until(page, "() => new URLSearchParams(location.search).get('lang') === 'en' && !document.querySelector('.htmx-request')")
    langs = cards(page).evaluate_all("els => els.map(e => e.dataset.lang)")
    assert langs and set(langs) == {"en"} and len(langs) < before
    assert page.locator("#q").input_value() == "kubernetes"
    assert page.problems == []


def test_back_restores_the_previous_query_and_its_results(page, live_url):
    page.goto(live_url)
    page.locator("#q").press_sequentially("postmortem", delay=40)
    wait_for_query(page, "postmortem")
    first = slugs(page)
    page.wait_for_timeout(1500)  # a pause: the next keystrokes start a new search
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("graphql", delay=40)
    wait_for_query(page, "graphql")
    assert slugs(page) != first
    page.go_back()
    wait_for_query(page, "postmortem")
    wait_until(page, "() => document.querySelector('#q').value === 'postmortem'")
    assert slugs(page) == first
    page.go_forward()
    wait_for_query(page, "graphql")
    page.reload()
    assert page.locator("#q").input_value() == "graphql", page.url
    assert slugs(page), (page.url, page.locator("#result-status").inner_text())
    assert slugs(page)[0] == "por-que-api-rest-esta-muerto-y-deberiamos-usar-apis-basadas-en-graphql"
    assert page.problems == []


def test_without_javascript_the_form_still_searches(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url)
    page.locator("#q").fill("terraform")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=terraform"))
    assert 0 < cards(page).count() < 19
    page.locator("input[name=lang][value=es]").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"lang=es"))
    assert set(cards(page).evaluate_all("els => els.map(e => e.dataset.lang)")) == {"es"}
    context.close()


def test_talk_page_and_404_have_no_console_errors(page, live_url):
    page.goto(f"{live_url}/talks/postmortems-at-flywire")
    assert page.locator("h1").inner_text() == "Postmortems at Flywire"
    response = page.goto(f"{live_url}/talks/nope")
    assert response.status == 404
    problems = [p for p in page.problems if "404" not in p and "/talks/nope" not in p]
    assert problems == []


def test_year_filter_narrows_the_list_and_keeps_its_choice_while_typing(page, live_url):
    page.goto(live_url)
    page.locator("#year").select_option("2019")
    wait_until(page, "() => new URLSearchParams(location.search).get('year') === '2019' && !document.querySelector('.htmx-request')")
    dates = cards(page).locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates and all(date.startswith("2019") for date in dates)
    page.locator("#q").press_sequentially("kubernetes", delay=30)
    wait_for_query(page, "kubernetes")
    assert page.locator("#year").input_value() == "2019"
    assert "year=2019" in page.url and 0 < cards(page).count() < 8
    assert page.problems == []
