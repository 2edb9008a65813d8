"""Events in a real browser: typing within one event keeps to it, and the cross takes the filter away."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.test_browser import browser  # noqa: F401  (the shared Chromium fixture)
from tests.browser.test_browser import seeded_browser_app, serving, slugs, wait_for_query

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory, server_database_url):
    """Serve the shipped talks (their meetup nights are events) on a free loopback port."""
    app = seeded_browser_app(tmp_path_factory.mktemp("events"), server_database_url)
    assert app.test_cli_runner().invoke(args=["index", "follow", "--once"]).exit_code == 0
    with serving(app) as url:
        yield url


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    yield context.new_page()
    context.close()


def test_typing_within_an_event_keeps_to_it_and_the_cross_takes_it_away(page, site):
    page.goto(site + "/events/meetup-2019-11-27")
    page.get_by_role("link", name="Search this event").click()
    assert sorted(slugs(page)) == ["non-trusted-shared-kubernetes-at-k8spin", "postmortems-at-flywire"]
    page.evaluate("window.__samePage = true")
    page.locator("#q").press_sequentially("kubernetes", delay=60)
    wait_for_query(page, "kubernetes")
    assert slugs(page) == ["non-trusted-shared-kubernetes-at-k8spin"]
    assert parse_qs(urlsplit(page.url).query)["event"] == ["meetup-2019-11-27"]
    assert page.evaluate("window.__samePage === true")
    page.get_by_role("link", name="Search every event").click()
    wait_for_query(page, "kubernetes")
    assert "event" not in parse_qs(urlsplit(page.url).query) and len(slugs(page)) > 1
