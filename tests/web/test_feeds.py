"""The Atom feed, the sitemap, robots.txt, calendar files and the sharing meta of talk pages."""
from __future__ import annotations

import json
import os
import re
import threading
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.indexing.serving import talk_index
from meetup.indexing.sync import Drift, bring_in_step
from meetup.catalog.models import Talk
from meetup.catalog.formats import parse_talk_text

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
HOSTILE_TITLE = """<script>alert("x")</script> & 'quotes' "here" </script><!-- ]]>"""


def atom_of(client, query: str = "") -> ET.Element:
    response = client.get(f"/feed.atom{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.data)


def entries_of(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def entry_slug(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}link[@rel='alternate']").get("href").rsplit("/", 1)[1]


def change_talk(app, slug: str, **values) -> None:
    with app.app_context():
        session = get_session()
        talk = session.query(Talk).filter_by(slug=slug).one()
        for name, value in values.items():
            setattr(talk, name, value)
        session.commit()


def add_talks(app, count: int) -> None:
    """Store count more talks (dated 2015, each with two speakers) and index them."""
    lines = []
    for number in range(count):
        lines += [
            f"- title: Extra talk number {number}",
            f"  date: 2015-01-{number % 28 + 1:02d}",
            "  language: en",
            f"  speakers: [Speaker {number} (Host), Shared Speaker]",
            "  abstract: A talk about talks.",
        ]
    records = parse_talk_text("\n".join(lines).encode(), "extra.yaml", "yaml")
    with app.app_context():
        session = get_session()
        report = import_records(session, records)
        bring_in_step(session, talk_index(), Drift(missing=report.added))


# The Atom feed

def test_feed_has_the_required_atom_elements(client):
    feed = atom_of(client)
    for name in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + name) is not None and feed.find(ATOM + name).text, name
    assert RFC3339.match(feed.find(f"{ATOM}updated").text)
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://localhost/feed.atom"
    for entry in entries_of(feed):
        assert entry.find(f"{ATOM}id").text == entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert entry.find(f"{ATOM}title").text
        assert RFC3339.match(entry.find(f"{ATOM}updated").text)
        assert entry.get(XML_LANG) in {"en", "es"}


def test_feed_lists_every_talk_newest_first_unknown_dates_included(client):
    slugs = [entry_slug(entry) for entry in entries_of(atom_of(client))]
    api = [talk["slug"] for talk in client.get("/api/talks?per_page=50").get_json()["talks"]]
    assert slugs == api and len(slugs) == 19
    assert slugs[-1] == "mis-primeros-pasos-subiendo-escaleras"


@pytest.mark.parametrize(("slug", "updated"), [
    ("postmortems-at-flywire", "2019-11-27T00:00:00Z"),  # the day it was given
    ("ci-cd-with-kubernetes-helm-and-wercker", "2016-11-30T00:00:00Z"),
    ("anatomy-of-an-object-storage-migration-plan", "2019-01-01T00:00:00Z"),  # only its year is known
])
def test_an_entry_is_dated_when_the_talk_was_given_not_when_it_was_imported(client, slug, updated):
    entries = {entry_slug(entry): entry for entry in entries_of(atom_of(client))}
    assert entries[slug].find(f"{ATOM}updated").text == updated


def test_entries_carry_speakers_abstract_language_and_dates(client):
    entries = {entry_slug(entry): entry for entry in entries_of(atom_of(client))}
    flywire = entries["postmortems-at-flywire"]
    assert [a.find(f"{ATOM}name").text for a in flywire.findall(f"{ATOM}author")] == ["Omar López", "Andoni Alonso"]
    assert flywire.find(f"{ATOM}summary").text.startswith("At Flywire, we have been using blameless")
    assert flywire.get(XML_LANG) == "es"
    assert flywire.find(f"{ATOM}published").text == "2019-11-27T00:00:00Z"
    # Partial and unknown dates have no day to publish; the entry is still there, dated as far as known.
    for slug in ("anatomy-of-an-object-storage-migration-plan", "mis-primeros-pasos-subiendo-escaleras"):
        assert entries[slug].find(f"{ATOM}published") is None
        assert RFC3339.match(entries[slug].find(f"{ATOM}updated").text)


def test_feed_of_a_search_has_what_the_site_finds(client):
    feed = atom_of(client, "?q=terraform&lang=es")
    slugs = {entry_slug(entry) for entry in entries_of(feed)}
    html = client.get("/?q=terraform&lang=es").get_data(as_text=True)
    assert slugs == set(re.findall(r'<article class="talk-card" data-slug="([^"]+)"', html)) != set()
    assert all(entry.get(XML_LANG) == "es" for entry in entries_of(feed))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/feed.atom?q=terraform&lang=es"
    assert "terraform" in feed.find(f"{ATOM}title").text


def test_feed_of_a_search_with_no_match_is_an_empty_valid_feed(client):
    feed = atom_of(client, "?q=zzzzqqqq")
    assert entries_of(feed) == [] and RFC3339.match(feed.find(f"{ATOM}updated").text)


def test_markup_in_a_title_is_text_in_the_feed(seeded_app):
    change_talk(seeded_app, "incident-analysis", title=HOSTILE_TITLE, abstract="a < b && c > d\x01\x0b")
    client = seeded_app.test_client()
    raw = client.get("/feed.atom").get_data(as_text=True)
    assert "<script>" not in raw
    entry = next(e for e in entries_of(ET.fromstring(raw.encode())) if entry_slug(e) == "incident-analysis")
    assert entry.find(f"{ATOM}title").text == HOSTILE_TITLE
    # XML cannot carry control characters even escaped: they are left out.
    assert entry.find(f"{ATOM}summary").text == "a < b && c > d"


def test_feed_holds_the_newest_fifty(seeded_app):
    add_talks(seeded_app, 40)
    entries = entries_of(atom_of(seeded_app.test_client()))
    assert len(entries) == 50
    assert entry_slug(entries[0]) == "incident-analysis"


def test_feed_headers(client):
    response = client.get("/feed.atom")
    assert response.headers["Cache-Control"] == "public, max-age=900"
    assert client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_pages_announce_the_feed(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/feed.atom"' in html


@pytest.mark.parametrize("path", ["/feed.atom", "/feed.atom?q=talk", "/api/talks?per_page=100", "/api/talks?q=talk&per_page=100"])
def test_lists_make_the_same_few_queries_for_any_number_of_talks(make_app, path):
    app = make_app(indexed=True, SEED_ON_EMPTY=True, INDEX_CHECK_SECONDS=3600)
    client = app.test_client()
    client.get("/")
    before = statements(app, client, path)
    add_talks(app, 40)
    # At most: the content version, a newest-first page's slugs and its two counts (kept per version), the talks
    # and their speakers, links and events.
    assert statements(app, client, path) == before <= 7


def statements(app, client, path: str) -> int:
    executed = []

    def count(*_args):
        executed.append(1)

    engine = app.extensions["meetup_engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(executed)


# The sitemap and robots.txt

def test_sitemap_lists_home_and_every_talk_speaker_and_event(client):
    response = client.get("/sitemap.xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    urls = ET.fromstring(response.data).findall(f"{SITEMAP}url")
    locations = [url.find(f"{SITEMAP}loc").text for url in urls]
    # The home page, 19 talks, 5 speakers and the 12 meetup nights they were given at.
    assert locations[0] == "http://localhost/" and len(locations) == 1 + 19 + 5 + 12
    assert "http://localhost/events/meetup-2019-11-27" in locations
    assert "http://localhost/talks/postmortems-at-flywire" in locations
    talk_urls = [url for url in urls if "/talks/" in url.find(f"{SITEMAP}loc").text]
    assert len(talk_urls) == 19
    assert all(RFC3339.match(url.find(f"{SITEMAP}lastmod").text) for url in talk_urls)


def test_robots_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in response.get_data(as_text=True).splitlines()


# Calendar files (their text alone: test_icalendar.py)

def test_calendar_file_of_a_talk(seeded_app):
    change_talk(seeded_app, "postmortems-at-flywire", title="Postmortems; lessons, learnt\\",
                abstract="Línea uno, con coma.\n\nDos; " + "más texto " * 20)
    client = seeded_app.test_client()
    response = client.get("/talks/postmortems-at-flywire.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    for expected in ("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20191127",
                     "DTEND;VALUE=DATE:20191128", "SUMMARY;LANGUAGE=es:Postmortems\\; lessons\\, learnt\\\\",
                     "URL;VALUE=URI:http://localhost/talks/postmortems-at-flywire", "END:VEVENT", "END:VCALENDAR"):
        assert expected in lines
    assert "DESCRIPTION:Línea uno\\, con coma.\\n\\nDos\\; más texto" in unfolded
    assert any(re.match(r"^DTSTAMP:\d{8}T\d{6}Z$", line) for line in lines)
    uid = [line for line in lines if line.startswith("UID:")]
    assert uid == ["UID:talk-postmortems-at-flywire@localhost"]
    assert uid[0] in client.get("/talks/postmortems-at-flywire.ics").get_data(as_text=True)


@pytest.mark.parametrize(("host", "uid"), [
    ("localhost", "talk-postmortems-at-flywire@localhost"),
    ("talks.example.org:8443", "talk-postmortems-at-flywire@talks.example.org"),
    ("[::1]:8000", "talk-postmortems-at-flywire@[::1]"),
    ("[2001:db8::1]", "talk-postmortems-at-flywire@[2001:db8::1]"),
    ("192.0.2.7:80", "talk-postmortems-at-flywire@192.0.2.7"),
])
def test_a_calendar_event_is_named_after_the_host_without_its_port(client, host, uid):
    text = client.get("/talks/postmortems-at-flywire.ics", headers={"Host": host}).get_data(as_text=True)
    assert f"UID:{uid}\r\n" in text.replace("\r\n ", "")


@pytest.mark.parametrize(
    "slug",
    [
        "anatomy-of-an-object-storage-migration-plan",  # year only
        "mis-primeros-pasos-subiendo-escaleras",  # unknown
        "no-such-talk",
        "Not-A-Slug",
    ],
)
def test_no_calendar_file_without_a_known_day(client, slug):
    assert client.get(f"/talks/{slug}.ics").status_code == 404


def test_talk_page_links_its_calendar_file_only_when_there_is_one(client):
    assert 'href="/talks/postmortems-at-flywire.ics"' in client.get("/talks/postmortems-at-flywire").get_data(as_text=True)
    year_only = client.get("/talks/anatomy-of-an-object-storage-migration-plan").get_data(as_text=True)
    assert ".ics" not in year_only


# Sharing meta and structured data on talk pages

def meta(html: str) -> dict[str, str]:
    found = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', html))
    found.update(re.findall(r'<link rel="(canonical)" href="([^"]+)"', html))
    return found


def structured(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_talk_page_meta_for_link_previews(client):
    html = client.get("/talks/postmortems-at-flywire").get_data(as_text=True)
    tags = meta(html)
    assert tags["og:title"] == tags["twitter:title"] == "Postmortems at Flywire"
    assert tags["og:type"] == "article" and tags["twitter:card"] == "summary"
    assert tags["og:url"] == tags["canonical"] == "http://localhost/talks/postmortems-at-flywire"
    assert tags["og:locale"] == "es_ES"
    assert tags["og:description"].startswith("At Flywire, we have been using blameless")
    assert meta(client.get("/talks/incident-analysis").get_data(as_text=True))["og:locale"] == "en_GB"


def test_talk_page_structured_data(client):
    data = structured(client.get("/talks/postmortems-at-flywire").get_data(as_text=True))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Postmortems at Flywire" and data["inLanguage"] == "es"
    assert data["startDate"] == "2019-11-27"
    assert data["url"] == "http://localhost/talks/postmortems-at-flywire"
    assert data["performer"] == [{"@type": "Person", "name": "Omar López"}, {"@type": "Person", "name": "Andoni Alonso"}]
    unknown = structured(client.get("/talks/mis-primeros-pasos-subiendo-escaleras").get_data(as_text=True))
    assert "startDate" not in unknown


def test_markup_in_a_title_cannot_leave_the_structured_data(seeded_app):
    change_talk(seeded_app, "incident-analysis", title=HOSTILE_TITLE)
    html = seeded_app.test_client().get("/talks/incident-analysis").get_data(as_text=True)
    assert structured(html)["name"] == HOSTILE_TITLE
    assert meta(html)["og:title"] == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39; &#34;here&#34; &lt;/script&gt;&lt;!-- ]]&gt;"
    assert "<script>alert" not in html


# In a browser: the JSON-LD block is data, so the CSP (script-src 'self') reports nothing

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.mark.browser
def test_structured_data_raises_no_csp_violation_in_a_browser(make_app):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    app = make_app(indexed=True, SEED_ON_EMPTY=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            errors = []
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            # Init scripts run outside the page's CSP, so they can listen for its violations.
            page.add_init_script(
                "window.violations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " event => window.violations.push(event.violatedDirective + ' ' + event.blockedURI));"
            )
            page.goto(f"http://127.0.0.1:{server.server_port}/talks/postmortems-at-flywire")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.violations") == []
            assert errors == []
            data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
            assert data["@type"] == "Event"
            browser.close()
    finally:
        server.shutdown()


def test_sitemap_lists_speaker_pages(client):
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert "<loc>http://localhost/speakers/omar-lopez</loc>" in body


@pytest.mark.parametrize(("args", "message"), [
    ("lang=fr", "lang: one of en, es"),
    ("year=2019x", "year: a whole number"),
    ("year=1899", "year: a whole number"),
    ("year=" + "2" * 5000, "year: a whole number"),  # more digits than Python converts
    ("q=kubernetes&year=" + "9" * 5000, "year: a whole number"),
    ("q=" + "a" * 101, "q: at most 100 characters"),
])
def test_feed_refuses_a_filter_the_site_does_not_have(client, args, message):
    response = client.get(f"/feed.atom?{args}")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).startswith(message)


@pytest.mark.parametrize("args", ["year=2019", "q=kubernetes&year=2019", "lang=es&year=2017", "q=kubernetes&lang=en&year=2019"])
def test_feed_honours_the_year_and_language_as_the_site_does(client, args):
    feed = atom_of(client, f"?{args}")
    html = client.get(f"/?{args}").get_data(as_text=True)
    assert {entry_slug(entry) for entry in entries_of(feed)} == set(re.findall(r'data-slug="([^"]+)" data-lang', html)) != set()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"http://localhost/feed.atom?{args}"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"http://localhost/?{args}"


@pytest.mark.parametrize(("path", "feed"), [
    ("/", "/feed.atom"),
    ("/?q=terraform", "/feed.atom?q=terraform"),
    ("/?q=kubernetes&lang=en&year=2019", "/feed.atom?q=kubernetes&amp;lang=en&amp;year=2019"),
])
def test_result_pages_link_the_feed_of_what_they_show(client, path, feed):
    html = client.get(path).get_data(as_text=True)
    assert re.search(rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{re.escape(feed)}">', html)
    assert re.search(rf'<a id="feed-link" class="feed-link" href="{re.escape(feed)}" type="application/atom\+xml"', html)
