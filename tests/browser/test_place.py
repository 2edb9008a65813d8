"""A visitor never loses their place: language switch, history, titles, "More talks", failures, phones.

Drives Debian's Chromium with Playwright against a site holding the shipped talks and 41 more,
typing like a person (with delays between keys).
"""
from __future__ import annotations

import re

import pytest

from tests.browser.test_browser import (ARTIFACTS, cards, seeded_browser_app, serving, wait_for_query,
                                        wait_until)
from tests.browser.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
EXTRA_TALKS = 41  # with the 19 shipped ones: three batches of "More talks"


@pytest.fixture(scope="module")
def site(tmp_path_factory, server_database_url):
    """Serve the shipped talks and EXTRA_TALKS more on a free loopback port."""
    folder = tmp_path_factory.mktemp("place")
    app = seeded_browser_app(folder, server_database_url)
    app.test_client().get("/")
    extra = folder / "extra.yaml"
    extra.write_text("".join(
        f"- title: Observability notes {n}\n  date: 2015-{n % 12 + 1:02d}-{n % 27 + 1:02d}\n  language: {'en' if n % 3 else 'es'}\n"
        f"  speakers: [Speaker {n}]\n  abstract: Notes on logs, metrics and traces, part {n}.\n"
        + (f"  links: {{video: 'https://video.example/{n}', slides: 'https://slides.example/{n}'}}\n" if n % 4 == 0 else "")
        for n in range(EXTRA_TALKS)), encoding="utf-8")
    assert app.test_cli_runner().invoke(args=["import-talks", str(extra)]).exit_code == 0
    with serving(app) as url:
        yield url


@pytest.fixture
def open_page(browser):
    """Open pages at a viewport (desktop unless told), each in its own context, closed afterwards."""
    contexts = []

    def opener(viewport=DESKTOP, locale="en-GB"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def settled(page) -> None:
    wait_until(page, "() => !document.querySelector('.htmx-request')")


def test_switching_language_keeps_the_search_and_filters(open_page, site):
    page = open_page()
    page.goto(site)
    page.locator("#q").press_sequentially("seguridad", delay=70)
    wait_for_query(page, "seguridad")
    page.locator("input[name=lang][value=es]").check()
    wait_until(page, "() => new URLSearchParams(location.search).get('lang') === 'es'")
    settled(page)
    page.locator(".site-nav").get_by_role("link", name="Español").click()
    page.wait_for_url(re.compile(r"/\?q=seguridad&lang=es$"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#q").input_value() == "seguridad"
    assert page.locator("input[name=lang][value=es]").is_checked()
    assert set(cards(page).evaluate_all("els => els.map(e => e.dataset.lang)")) == {"es"}
    page.locator(".site-nav").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/\?q=seguridad&lang=es$"))
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize(("start", "rest"), [("kub", "ernetes"), ("post", "mortem")])
def test_back_after_a_pause_inside_a_word_returns_to_before_the_search(open_page, site, start, rest):
    page = open_page()
    page.goto(site)
    page.locator("#q").press_sequentially(start, delay=90)
    wait_for_query(page, start)
    page.wait_for_timeout(300)
    page.locator("#q").press_sequentially(rest, delay=170)
    wait_for_query(page, start + rest)
    # The tab title follows the live search, as a direct load of the address would have it.
    assert page.title() == f"“{start + rest}” — search · Meetup talk archive"
    page.go_back()
    wait_until(page, "() => location.search === '' && document.querySelector('#q').value === ''")
    wait_until(page, "() => !document.documentElement.classList.contains('is-restoring')")
    assert page.title() == "All talks · Meetup talk archive"


def test_more_talks_keeps_the_place_focus_and_announcement(open_page, site):
    page = open_page()
    page.goto(site)
    assert cards(page).count() == 20
    page.locator("#more-results").focus()  # a keyboard visitor reaching the link loads the next batch
    wait_until(page, "() => document.querySelectorAll('article.talk-card').length === 40")
    settled(page)
    assert page.url == f"{site}/?page=2"
    # Focus moves once htmx has settled the new cards, a moment after the request's own classes are gone.
    wait_until(page, "() => !!document.activeElement.closest('h2')")
    assert page.evaluate("document.activeElement.closest('h2').id") == "page-2"
    assert page.locator("#result-status").inner_text() == "60 talks, newest first. Showing 40 of 60."
    opened = cards(page).nth(24).locator("h2 a")
    opened.scroll_into_view_if_needed()
    place = page.evaluate("window.scrollY")
    slug = cards(page).nth(24).get_attribute("data-slug")
    opened.click()
    page.wait_for_url(re.compile(rf"/talks/{slug}$"))
    back = page.locator("p.back a")
    assert back.inner_text() == "← Back to the talk list" and back.get_attribute("href") == "/?page=2"
    page.go_back()
    wait_until(page, "() => document.querySelectorAll('article.talk-card').length === 40")
    wait_until(page, "y => Math.abs(window.scrollY - y) < 100", place)
    assert cards(page).nth(24).get_attribute("data-slug") == slug


def test_back_link_of_a_talk_leads_to_the_live_search(open_page, site):
    page = open_page()
    page.goto(site)
    page.locator("#q").press_sequentially("postmortem", delay=60)
    wait_for_query(page, "postmortem")
    settled(page)
    cards(page).first.locator("h2 a").click()
    page.wait_for_url(re.compile(r"/talks/"))
    back = page.locator("p.back a")
    assert back.inner_text() == "← Back to the results for “postmortem”"
    back.click()
    page.wait_for_url(re.compile(r"/\?q=postmortem$"))
    assert page.locator("#q").input_value() == "postmortem"


def failing(failure: str):
    """Return a route handler that makes htmx requests fail: no answer at all, or a 503."""
    def handle(route):
        if not route.request.headers.get("hx-request"):
            route.continue_()
        elif failure == "server down":
            route.abort()
        else:
            route.fulfill(status=503, body="down")
    return handle


def test_a_failed_request_says_so_and_the_next_keystroke_retries(open_page, site):
    page = open_page()
    page.goto(site)
    status = page.locator("#result-status")
    for failure in ("server down", "server error"):
        page.route(re.compile(r"/\?q="), failing(failure))
        page.locator("#q").fill("")
        page.locator("#q").press_sequentially("kube", delay=60)
        wait_until(page, "() => document.querySelector('#result-status').classList.contains('is-error')")
        assert "could not be reached" in status.inner_text() and status.is_visible()
        assert status.get_attribute("role") == "status"
        page.unroute(re.compile(r"/\?q="))
        page.locator("#q").press_sequentially("r", delay=60)
        wait_for_query(page, "kuber")
        wait_until(page, "() => !document.querySelector('#result-status').classList.contains('is-error')")
        assert re.match(r"\d+ talks match “kuber”", status.inner_text())


@pytest.mark.parametrize(("viewport", "locale", "name"), [
    (PHONE, "en-GB", "phone-en"), (PHONE, "es-ES", "phone-es"), (DESKTOP, "en-GB", "desktop-en"), (DESKTOP, "es-ES", "desktop-es"),
])
def test_results_in_view_and_header_on_one_line(open_page, site, viewport, locale, name):
    page = open_page(viewport, locale)
    page.goto(site)
    page.locator("#q").press_sequentially("kubernetes", delay=50)
    wait_for_query(page, "kubernetes")
    settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{name}.png"))
    first = cards(page).first.bounding_box()
    # On a phone the first result starts in the upper half, above where an on-screen keyboard opens.
    assert first["y"] < (viewport["height"] / 2 if viewport is PHONE else viewport["height"] - 200), first
    brand, nav = page.locator(".brand").bounding_box(), page.locator(".site-nav").bounding_box()
    links = page.locator(".site-nav a").evaluate_all("els => els.map(e => e.getBoundingClientRect().top)")
    assert max(links) - min(links) < 4, "the header links wrap onto two lines"
    if viewport is DESKTOP:
        assert nav["y"] < brand["y"] + brand["height"], "the navigation sits below the brand"
    else:
        # Search is live: the button is a small icon in the box, and two results show above the fold.
        form, button = page.locator("#search-form").bounding_box(), page.locator("#search-form button").bounding_box()
        assert button["width"] < 60 and button["y"] < form["y"] + 60, button
        bottoms = cards(page).locator("h2").evaluate_all("els => els.map(e => e.getBoundingClientRect().bottom)")
        assert len([b for b in bottoms if b <= viewport["height"]]) >= 2, bottoms


@pytest.mark.parametrize(("viewport", "locale", "name"), [(PHONE, "es-ES", "phone-es"), (DESKTOP, "en-GB", "desktop-en")])
def test_speakers_filter_live_and_jump_by_initial(open_page, site, viewport, locale, name):
    page = open_page(viewport, locale)
    page.goto(f"{site}/speakers/")
    everyone = page.locator(".speaker-index li").count()
    assert everyone == 46  # 5 shipped speakers and one per extra talk
    page.locator("#speaker-q").press_sequentially("lopez", delay=80)
    wait_until(page, "() => location.search === '?q=lopez' && !document.querySelector('.htmx-request')")
    assert page.locator(".speaker-index li a").all_inner_texts() == ["Omar López"]
    page.locator("#speaker-q").fill("")
    wait_until(page, "n => document.querySelectorAll('.speaker-index li').length === n", everyone)
    settled(page)
    page.locator(".initials a", has_text="S").click()
    wait_until(page, "() => location.hash === '#letter-s'")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"speakers-{name}.png"))
    assert page.locator("#letter-s").bounding_box()["y"] < 100


@pytest.mark.parametrize(("viewport", "locale", "name"), [(PHONE, "en-GB", "phone-en"), (DESKTOP, "es-ES", "desktop-es")])
def test_empty_state_and_talk_page_screenshots(open_page, site, viewport, locale, name):
    page = open_page(viewport, locale)
    page.goto(f"{site}/?year=2016")
    page.locator("#q").press_sequentially("postmortem", delay=60)
    wait_for_query(page, "postmortem")
    settled(page)
    way_out = page.locator(".ways-out a").first
    assert way_out.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"empty-{name}.png"))
    way_out.click()
    page.wait_for_url(re.compile(r"/\?q=postmortem$"))
    cards(page).first.locator("h2 a").click()
    page.wait_for_url(re.compile(r"/talks/"))
    page.screenshot(path=str(ARTIFACTS / f"talk-{name}.png"))
    page.goto(f"{site}/talks/observability-notes-0")
    assert page.locator(".talk-resources a").all_inner_texts() in (["Video", "Slides"], ["Vídeo", "Diapositivas"])
    page.screenshot(path=str(ARTIFACTS / f"talk-links-{name}.png"))
