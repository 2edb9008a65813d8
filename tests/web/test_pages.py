"""The pages: the talk list, each talk's page, errors, headers."""
import re

import pytest

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk, TalkLink
from tests.html import card_slugs


def test_home_lists_all_19_talks_newest_first_unknown_dates_last(client):
    html = client.get("/").get_data(as_text=True)
    slugs = card_slugs(html)
    assert len(slugs) == 19
    assert slugs[0] == "incident-analysis"
    assert slugs[-2:] == ["coreos-container-linux-baremetal-provisioning-with-terraform-ignition-and-matchbox",
                          "mis-primeros-pasos-subiendo-escaleras"]
    # The year-only 2019 talk sorts after the dated 2019 talks and before 2018.
    assert slugs.index("anatomy-of-an-object-storage-migration-plan") > slugs.index("kubernetes-journey-at-tuenti")
    assert slugs.index("anatomy-of-an-object-storage-migration-plan") < slugs.index("service-mesh-for-your-service-mess")


def test_cards_show_dates_for_people_speakers_and_language(client):
    html = client.get("/").get_data(as_text=True)
    assert '<time datetime="2018-03-23">23 March 2018</time>' in html
    assert '<time datetime="2019">2019</time>' in html
    assert html.count("Date unknown") == 2
    assert "Omar López" in html and "(SRE)" in html
    assert html.count('data-lang="en"') == 4
    assert "Spanish" in html and "English" in html


def test_home_has_one_h1_and_landmarks(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count("<h1") == 1
    for landmark in ("<header", "<main", "<footer", 'role="search"'):
        assert landmark in html


def test_long_abstracts_are_shortened_on_cards_and_whole_on_the_talk_page(client):
    html = client.get("/").get_data(as_text=True)
    full = "Finally, an example of how my globally deployed side-project Apility.io"
    assert full not in html
    page = client.get("/talks/azure-cosmos-db-how-a-planetary-scale-database-was-designed-and-implemented")
    assert full in page.get_data(as_text=True)


def test_talk_page(client):
    response = client.get("/talks/postmortems-at-flywire")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Postmortems at Flywire · Meetup talk archive</title>" in html
    assert '<meta name="description" content="At Flywire, we have been using blameless' in html
    assert "<h1>Postmortems at Flywire</h1>" in html
    assert "27 November 2019" in html
    assert "Andoni Alonso" in html


def test_talk_page_paragraphs(client):
    html = client.get("/talks/anatomy-of-an-object-storage-migration-plan").get_data(as_text=True)
    assert len(re.findall(r'<p lang="en">', html[html.index("abstract-heading"):])) == 3


@pytest.mark.parametrize("path", ["/talks/no-such-talk", "/nope", "/talks/", "/talks/%00", "/talks/" + "x" * 3000])
def test_unknown_pages_get_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert "Traceback" not in html


def test_errors_get_a_friendly_500_without_traceback(make_app, monkeypatch):
    app = make_app(indexed=True, TESTING=False, SEED_ON_EMPTY=True)
    import meetup.web.pages as views

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "page_of_talks", explode)
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_markup_in_any_field_is_shown_as_text(seeded_app):
    with seeded_app.app_context():
        session = get_session()
        talk = session.query(Talk).filter_by(slug="incident-analysis").one()
        talk.title = "<script>alert('t')</script> Incident"
        talk.abstract = "<img src=x onerror=alert(1)> and <b>bold</b>"
        talk.appearances[:] = []
        session.commit()
    client = seeded_app.test_client()
    for path in ("/", "/talks/incident-analysis"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; Incident" in html
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_contain_no_inline_script(client):
    for path in ("/", "/talks/incident-analysis", "/nope"):
        html = client.get(path).get_data(as_text=True)
        # JSON-LD is a data block, never executed, so the CSP's script-src does not apply to it.
        assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/ld\+json\")[^>]*>", html) == []
        assert " style=" not in html


@pytest.fixture
def talk_with_links(seeded_app):
    """Give the Flywire talk a video, slides and an event page."""
    with seeded_app.app_context():
        session = get_session()
        talk = session.query(Talk).filter_by(slug="postmortems-at-flywire").one()
        talk.link_rows = [TalkLink(position=n, kind=kind, url=url) for n, (kind, url) in enumerate(
            [("video", "https://v.example/w"), ("slides", "https://s.example/d"), ("event", "https://e.example/")], 1)]
        session.commit()
    return seeded_app.test_client()


def _card(html: str, slug: str) -> str:
    return html.split(f'data-slug="{slug}"')[1].split("</article>")[0].split("</li>")[0]


@pytest.mark.parametrize(("path", "region", "expected"), [
    ("/", "card", ["resource-video", "https://v.example/w", "resource-slides", "https://s.example/d"]),
    ("/?q=flywire", "card", ["resource-video", "https://v.example/w", "resource-slides", "https://s.example/d"]),
    ("/speakers/omar-lopez", "card", ["resource-video", "https://v.example/w", "resource-slides", "https://s.example/d"]),
    ("/talks/postmortems-at-flywire", "page",
     ["resource-video", "https://v.example/w", "resource-slides", "https://s.example/d", "resource-event", "https://e.example/"]),
])
def test_video_and_slides_show_on_cards_and_first_on_the_talk_page(talk_with_links, path, region, expected):
    html = talk_with_links.get(path).get_data(as_text=True)
    part = _card(html, "postmortems-at-flywire") if region == "card" else html.split("<h1>")[1]
    links = re.findall(r'class="resource(?:-icon)? (resource-\w+)" href="([^"]+)"', part)
    assert [value for pair in links for value in pair] == expected
    # Before the speakers and the abstract, not under them.
    first_resource = part.index("talk-resources")
    if "/speakers/" in path:
        return  # a speaker's own page names no speakers and shows no abstract on its rows
    assert first_resource < part.index("Omar") and first_resource < re.search(r'class="(talk-abstract|abstract)[" ]', part).start()


def test_cards_of_talks_without_video_or_slides_show_no_resource_links(client):
    assert "talk-resources" not in _card(client.get("/").get_data(as_text=True), "incident-analysis")


@pytest.mark.parametrize(("referrer", "back"), [
    ("http://localhost/?q=kube&lang=en", '<a href="/?q=kube&amp;lang=en">← Back to the results for “kube”</a>'),
    ("http://localhost/?q=%3Cb%3E&year=2019&page=2&evil=1",
     '<a href="/?q=%3Cb%3E&amp;year=2019&amp;page=2">← Back to the results for “&lt;b&gt;”</a>'),
    ("http://localhost/?lang=es", '<a href="/?lang=es">← Back to the talk list</a>'),
    ("http://localhost/?page=2", '<a href="/?page=2">← Back to the talk list</a>'),
    ("http://localhost/", '<a href="/">← All talks</a>'),
    ("http://localhost/speakers/?q=kube", '<a href="/">← All talks</a>'),
    ("https://evil.example/?q=kube", '<a href="/">← All talks</a>'),
    ("http://localhost.evil.example/?q=kube", '<a href="/">← All talks</a>'),
    ("not a url", '<a href="/">← All talks</a>'),
    (None, '<a href="/">← All talks</a>'),
])
def test_talk_page_leads_back_to_the_search_that_led_to_it(client, referrer, back):
    headers = {"Referer": referrer} if referrer else {}
    response = client.get("/talks/postmortems-at-flywire", headers=headers)
    assert back in response.get_data(as_text=True)
    assert "Referer" in response.headers["Vary"]


@pytest.fixture
def talk_with_video(seeded_app):
    """Return a client and a way to set the Flywire talk's video address."""
    def set_video(url):
        with seeded_app.app_context():
            session = get_session()
            session.query(Talk).filter_by(slug="postmortems-at-flywire").one().link_rows = [TalkLink(position=1, kind="video", url=url)]
            session.commit()
        return seeded_app.test_client().get("/talks/postmortems-at-flywire").get_data(as_text=True)
    return set_video


@pytest.mark.parametrize(("url", "player", "link"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", None),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", None),
    ("https://vimeo.com/123456", None, "https://vimeo.com/123456"),
])
def test_a_youtube_video_is_a_poster_that_loads_the_private_player_only_when_asked(talk_with_video, url, player, link):
    html = talk_with_video(url)
    page = html.split("<h1>")[1]
    # Nothing from another site is loaded with the page: no frame and no image until the visitor asks.
    assert "<iframe" not in html and "<img" not in html
    if player:
        assert f'data-embed="{player}"' in page
        assert page.index('class="video-poster"') < page.index("Omar") < page.index('class="talk-abstract"')
        assert "resource-video" not in page
    else:
        assert "video-poster" not in page and f'class="resource resource-video" href="{link}"' in page


def test_the_policy_lets_in_only_the_private_player_frame(client):
    csp = dict(part.split(" ", 1) for part in client.get("/").headers["Content-Security-Policy"].split("; "))
    assert csp["frame-src"] == "https://www.youtube-nocookie.com"
    assert csp["img-src"] == "'self' data:" and csp["script-src"] == "'self'" and csp["default-src"] == "'self'"


@pytest.mark.parametrize(("path", "language", "title"), [
    ("/?q=kubernetes", "en", "<title>“kubernetes” — search · Meetup talk archive</title>"),
    ("/?q=kubernetes", "es", "<title>«kubernetes» — búsqueda · Archivo de charlas del meetup</title>"),
    ("/?q=k", "en", "<title>All talks · Meetup talk archive</title>"),  # too short: nothing was searched
    ("/", "en", "<title>All talks · Meetup talk archive</title>"),
])
def test_the_tab_title_names_a_search_only_when_there_was_one(client, path, language, title):
    assert title in client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)


@pytest.mark.parametrize(("path", "says", "link"), [
    ("/?page=999", "This page is past the end of the list", '<a href="/">Back to the first page</a>'),
    ("/?q=kubernetes&page=50", "This page is past the end of the list", '<a href="/?q=kubernetes">Back to the first page</a>'),
])
def test_a_page_past_the_end_says_so_and_leads_back(client, path, says, link):
    html = client.get(path).get_data(as_text=True)
    assert says in html and link in html
    assert "Try fewer or shorter words" not in html and "Showing 0 of" not in html


@pytest.mark.parametrize(("current", "trigger", "header"), [
    ("http://localhost/?q=terraform", "search-form", "HX-Replace-Url"),  # Enter on the search already shown
    ("http://localhost/?q=terra", "search-form", "HX-Push-Url"),
    ("http://localhost/", "search-form", "HX-Push-Url"),
    ("http://elsewhere.example/?q=terraform", "search-form", "HX-Push-Url"),
])
def test_enter_on_the_search_already_shown_adds_no_history_entry(client, current, trigger, header):
    response = client.get("/?q=terraform&lang=&year=", headers={
        "HX-Request": "true", "HX-Trigger": trigger, "HX-Target": "results", "HX-Current-URL": current})
    assert response.headers[header] == "/?q=terraform"


@pytest.mark.parametrize(("headers", "header"), [
    ({"HX-Trigger-Name": "q", "X-Search-Start": "1"}, "HX-Push-Url"),
    ({"HX-Trigger-Name": "q"}, "HX-Replace-Url"),
    ({"HX-Trigger-Name": "q", "X-Search-Start": "1", "HX-Current-URL": "http://localhost/speakers/?q=lopez"}, "HX-Replace-Url"),
])
def test_the_speakers_filter_pushes_a_history_entry_per_search(client, headers, header):
    response = client.get("/speakers/?q=lopez", headers={"HX-Request": "true", "HX-Trigger": "speaker-q", **headers})
    assert response.headers[header] == "/speakers/?q=lopez"
    assert "HX-Request" in response.headers["Vary"]
