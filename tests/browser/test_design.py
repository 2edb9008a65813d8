"""How the site looks and reads: axe-core finds nothing, nothing shifts, results above the fold, the video on click.

Drives Debian's Chromium with Playwright; axe-core comes with axe-playwright-python.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.test_browser import cards, live_url, wait_for_query, wait_until  # noqa: F401  (live_url: the seeded site)
from tests.browser.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PAGES = ["/", "/?q=kubernetes", "/?q=kubernetis", "/talks/postmortems-at-flywire", "/speakers/omar-lopez",
         "/speakers/", "/?year=2016&q=postmortem", "/talks/nope"]
# Layout shift over a page's life, as Chromium reports it (https://web.dev/articles/cls).
CLS_SCRIPT = """() => { window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
  if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true}); }"""


@pytest.fixture
def open_page(browser):  # noqa: F811
    contexts = []

    def opener(size="desktop", language="en", scheme="light", javascript=True):
        context = browser.new_context(viewport=SIZES[size], color_scheme=scheme, java_script_enabled=javascript,
                                      locale="es-ES" if language == "es" else "en-GB")
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_violation_on_any_page(open_page, live_url, size, language, scheme):  # noqa: F811
    page = open_page(size, language, scheme)
    axe = axe_sync.Axe()
    found = {}
    for path in PAGES:
        page.goto(live_url + path)
        results = axe.run(page)
        if results.violations_count:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert found == {}


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("path", ["/", "/talks/postmortems-at-flywire", "/speakers/omar-lopez"])
def test_nothing_shifts_while_a_page_loads_or_search_answers(open_page, live_url, size, path):  # noqa: F811
    page = open_page(size)
    page.goto(live_url + path)
    page.wait_for_load_state("networkidle")
    page.evaluate(CLS_SCRIPT)
    if path == "/":
        page.locator("#q").press_sequentially("kubernetes", delay=60)
        wait_for_query(page, "kubernetes")
    page.wait_for_timeout(500)
    cls = page.evaluate("window.__cls")
    print(f"CLS {path} {size}: {cls:.4f}")
    assert cls < 0.01


@pytest.mark.parametrize("language", ["en", "es"])
def test_on_a_phone_two_results_show_above_the_fold_and_the_box_stays_in_reach(open_page, live_url, language):  # noqa: F811
    page = open_page("phone", language)
    page.goto(live_url)
    page.locator("#q").press_sequentially("kubernetes", delay=60)
    wait_for_query(page, "kubernetes")
    bottoms = cards(page).locator("h2").evaluate_all("els => els.map(e => e.getBoundingClientRect().bottom)")
    assert len([bottom for bottom in bottoms if bottom <= 844]) >= 2, bottoms
    status = page.locator("#result-status").bounding_box()
    box = page.locator("#q").bounding_box()
    assert 0 < status["y"] - (box["y"] + box["height"]) < 80, "the count is not right under the box"
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    box = page.locator("#q").bounding_box()
    assert 0 <= box["y"] < 60, "the search box scrolled away"


@pytest.mark.parametrize(("javascript", "full_width"), [(True, False), (False, True)])
def test_the_phone_search_button_is_full_width_only_without_javascript(open_page, live_url, javascript, full_width):  # noqa: F811
    page = open_page("phone", javascript=javascript)
    page.goto(live_url)
    button, form = page.locator(".search-submit").bounding_box(), page.locator("#search-form").bounding_box()
    assert (button["width"] > form["width"] - 60) is full_width
    assert page.locator(".search-submit").is_visible()


@pytest.mark.parametrize(("path", "current"), [
    ("/", "Talks"), ("/talks/postmortems-at-flywire", "Talks"), ("/speakers/", "Speakers"), ("/speakers/omar-lopez", "Speakers"),
])
def test_the_navigation_marks_the_current_section(open_page, live_url, path, current):  # noqa: F811
    page = open_page()
    page.goto(live_url + path)
    assert page.locator(".site-nav a[aria-current=page]").all_inner_texts() == [current]


def test_the_video_player_loads_only_on_click(open_page, live_url):  # noqa: F811
    page = open_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(re.compile(r"youtube"), lambda route: route.fulfill(status=200, body="<p>player</p>", content_type="text/html"))
    page.goto(f"{live_url}/talks/postmortems-at-flywire")
    # The shipped talks have no video: give this page one, as a talk with a YouTube address renders it.
    page.evaluate("""() => document.querySelector('.talk-meta').insertAdjacentHTML('afterend',
        '<div class="video"><a class="video-poster" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" ' +
        'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1" data-title="Video: x">Play</a></div>')""")
    assert not [url for url in requests if "youtube" in url]
    page.locator(".video-poster").click()
    frame = page.locator(".video iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    wait_until(page, "() => performance.getEntriesByType('resource').some(e => e.name.includes('youtube-nocookie'))")
