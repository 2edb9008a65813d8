"""The rough edges a visitor meets: keyboard filters, pauses in a word, Enter, slow networks, focus after Back.

Drives Debian's Chromium with Playwright against the shipped talks; a slow network is a delay the
test server adds to the requests the test's route marks, so answers arrive late and out of step.
"""
from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_browser import cards, seeded_browser_app, serving, wait_for_query, wait_until
from tests.browser.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
SLOW_HEADER = "X-Test-Delay-Ms"


class Delaying:
    """WSGI middleware: hold a request for the milliseconds its X-Test-Delay-Ms header asks, then answer it."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        delay = environ.get("HTTP_X_TEST_DELAY_MS")
        if delay:
            time.sleep(int(delay) / 1000)
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def site(tmp_path_factory, server_database_url):
    """Serve the shipped talks on a free loopback port, able to answer late."""
    app = seeded_browser_app(tmp_path_factory.mktemp("edges"), server_database_url)
    assert app.test_cli_runner().invoke(args=["index", "follow", "--once"]).exit_code == 0
    app.wsgi_app = Delaying(app.wsgi_app)
    with serving(app) as url:
        yield url


@pytest.fixture
def page(browser):  # noqa: F811
    """A fresh desktop page recording console errors, page errors, aborted requests and htmx requests."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.problems, page.htmx_requests = [], []
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    # The site's own requests that fail or are cancelled; a page's favicon cut short by the next navigation is not one.
    page.on("requestfailed", lambda request: request.headers.get("hx-request")
            and page.problems.append(f"failed: {request.url} ({request.failure})"))
    page.on("request", lambda request: request.headers.get("hx-request") and page.htmx_requests.append(request.url))
    yield page
    context.close()


def slow_network(page, milliseconds: int, only_history_restore: bool = False) -> None:
    """Make the site's htmx answers (or only its history restores) arrive milliseconds late."""
    def handle(route):
        headers = route.request.headers
        wanted = headers.get("hx-history-restore-request") if only_history_restore else headers.get("hx-request")
        if wanted:
            route.continue_(headers={**headers, SLOW_HEADER: str(milliseconds)})
        else:
            route.continue_()
    page.route(re.compile(r"/(\?.*)?$"), handle)


def settled(page) -> None:
    wait_until(page, "() => !document.querySelector('.htmx-request')")


def history_length(page) -> int:
    return page.evaluate("history.length")


@pytest.mark.parametrize(("control", "key", "param"), [
    ("#year", "ArrowDown", "year"),
    ("input[name=lang][value='']", "ArrowRight", "lang"),
])
def test_arrow_keys_through_a_filter_search_once_when_the_choice_settles(page, site, control, key, param):
    page.goto(site)
    before = history_length(page)
    page.locator(control).focus()
    for _ in range(4):
        page.keyboard.press(key)
        page.wait_for_timeout(120)
    wait_until(page, "p => new URLSearchParams(location.search).has(p)", param)
    page.wait_for_timeout(900)
    settled(page)
    assert len(page.htmx_requests) == 1, page.htmx_requests
    assert history_length(page) == before + 1
    assert page.problems == []


@pytest.mark.parametrize(("start", "rest", "back_to"), [
    ("kub", "ernetes", ""),  # the same word finished after a pause: one search
    ("post", "mortem", ""),
    ("kubernetes", " helm", "kubernetes"),  # another word after a pause: a new search
])
def test_a_word_finished_after_a_long_pause_is_one_search(page, site, start, rest, back_to):
    page.goto(site)
    page.locator("#q").press_sequentially(start, delay=90)
    wait_for_query(page, start)
    page.wait_for_timeout(1600)
    page.locator("#q").press_sequentially(rest, delay=90)
    wait_for_query(page, start + rest)
    page.go_back()
    wait_until(page, "q => (new URLSearchParams(location.search).get('q') || '') === q", back_to)
    wait_until(page, "q => document.querySelector('#q').value === q", back_to)
    assert page.problems == []


def test_typing_on_a_slow_network_keeps_showing_answers_and_cancels_nothing(page, site):
    page.goto(site)
    slow_network(page, 600)
    page.evaluate("""() => {
        window.__statuses = [];
        new MutationObserver(() => window.__statuses.push(document.querySelector('#result-status').textContent.trim()))
            .observe(document.querySelector('#result-status'), {childList: true, characterData: true, subtree: true});
    }""")
    page.locator("#q").press_sequentially("kubernetes", delay=250)  # a key every quarter second, as people type
    wait_for_query(page, "kubernetes")
    settled(page)
    shown = page.evaluate("window.__statuses")
    # Answers for the word's beginnings arrived while it was being typed, and the last one is the whole word.
    assert len({s for s in shown if "match" in s}) >= 2, shown
    assert re.match(r"\d+ talks? match “kubernetes”", page.locator("#result-status").inner_text())
    assert page.problems == []


@pytest.mark.parametrize("presses", [1, 2])
def test_enter_in_the_box_logs_no_error_and_adds_no_history(page, site, presses):
    page.goto(site)
    page.locator("#q").press_sequentially("terraform", delay=60)
    wait_for_query(page, "terraform")
    settled(page)
    before = history_length(page)
    for _ in range(presses):
        page.locator("#q").press("Enter")
        page.wait_for_timeout(150)
    settled(page)
    page.wait_for_timeout(300)
    assert history_length(page) == before
    assert page.problems == []


def test_back_from_a_talk_opened_with_the_keyboard_focuses_its_link(page, site):
    page.goto(f"{site}/?q=kubernetes")
    link = cards(page).nth(2).locator("h2 a")
    href = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/talks/"))
    page.go_back()
    page.wait_for_url(re.compile(r"q=kubernetes"))
    wait_until(page, "href => document.activeElement && document.activeElement.getAttribute('href') === href", href)


def test_the_speakers_filter_adds_a_history_entry_per_search(page, site):
    page.goto(site)
    page.goto(f"{site}/speakers/")
    page.locator("#speaker-q").press_sequentially("lopez", delay=80)
    wait_until(page, "() => location.search === '?q=lopez' && !document.querySelector('.htmx-request')")
    page.go_back()
    wait_until(page, "() => location.pathname === '/speakers/' && location.search === ''")
    wait_until(page, "() => document.querySelector('#speaker-q').value === ''")
    assert page.problems == []


def test_back_on_a_slow_network_says_it_is_loading_at_once(page, site):
    page.goto(site)
    page.locator("#q").press_sequentially("postmortem", delay=60)
    wait_for_query(page, "postmortem")
    page.wait_for_timeout(1600)
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("graphql", delay=60)
    wait_for_query(page, "graphql")
    settled(page)
    slow_network(page, 1500, only_history_restore=True)
    page.go_back()
    page.wait_for_timeout(200)
    # Long before the old page's answer arrives: the box says what is loading and the results say they are busy.
    assert page.locator("#q").input_value() == "postmortem"
    assert page.locator("#results").get_attribute("aria-busy") == "true"
    assert page.locator("#search-indicator").evaluate("e => getComputedStyle(e).opacity") == "1"
    wait_until(page, "() => document.querySelector('#results').getAttribute('aria-busy') !== 'true'")
    assert "postmortem" in page.locator("#result-status").inner_text()
    assert page.problems == []


@pytest.mark.parametrize(("before", "after", "before_first"), [
    ("postmortem", "graphql", "postmortems-at-flywire"),
    ("graphql", "postmortem", "por-que-api-rest-esta-muerto-y-deberiamos-usar-apis-basadas-en-graphql"),
])
def test_back_on_a_slow_server_is_in_flight_until_the_earlier_results_arrive(page, site, before, after, before_first):
    page.goto(site)
    page.locator("#q").press_sequentially(before, delay=40)
    wait_for_query(page, before)
    earlier = [card.get_attribute("data-slug") for card in cards(page).all()]
    assert earlier[0] == before_first
    page.wait_for_timeout(1500)  # a pause: the next keystrokes start a new search
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially(after, delay=40)
    wait_for_query(page, after)
    slow_network(page, 800, only_history_restore=True)
    page.go_back()
    page.wait_for_timeout(100)
    # The later search's results are still on screen under the earlier query: not to be followed.
    assert page.locator("#results").evaluate("e => e.inert") is True
    # Settled by the page's own signal (address, box, no request in flight) means the earlier results.
    wait_for_query(page, before)
    assert page.locator("#q").input_value() == before
    assert cards(page).evaluate_all("els => els.map(e => e.dataset.slug)") == earlier
    assert page.locator("#results").evaluate("e => e.inert") is False
    assert page.problems == []


def test_the_pages_feed_link_follows_the_live_search(page, site):
    page.goto(site)
    page.locator("#q").press_sequentially("terraform", delay=60)
    wait_for_query(page, "terraform")
    settled(page)
    # The link follows once the answer has been swapped in: wait for it rather than read it at once.
    wait_until(page, "() => document.querySelector(\"link[rel=alternate][type='application/atom+xml']\")"
                     ".getAttribute('href') === '/feed.atom?q=terraform'")
    assert page.title() == "“terraform” — search · Meetup talk archive"
