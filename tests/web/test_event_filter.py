"""Narrowing the talk list, a search, the API and the feed to one event."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
CONFERENCE = """\
events:
- {slug: democon-2024, name: DemoCon 2024, starts: 2024-05-17, ends: 2024-05-18}
talks:
- {title: Kubernetes keynote, language: en, date: 2024-05-18, event: democon-2024, abstract: Clusters at scale.}
- {title: Contenedores en producción, language: es, date: 2024-05-17, event: democon-2024, abstract: Kubernetes y más.}
"""


@pytest.fixture
def client(seeded_app, write_file):
    result = seeded_app.test_cli_runner().invoke(args=["import-talks", str(write_file("democon.yaml", CONFERENCE))])
    assert result.exit_code == 0, result.output
    return seeded_app.test_client()


def slugs(html: str) -> list[str]:
    return re.findall(r'<article class="talk-card" data-slug="([^"]+)"', html)


@pytest.mark.parametrize(("query", "expected"), [
    ("/?event=democon-2024", ["kubernetes-keynote", "contenedores-en-produccion"]),
    ("/?event=democon-2024&q=kubernetes", ["kubernetes-keynote", "contenedores-en-produccion"]),
    ("/?event=democon-2024&q=kubernetes&lang=es", ["contenedores-en-produccion"]),
    ("/?event=democon-2024&year=2024&q=clusters", ["kubernetes-keynote"]),
    ("/?event=meetup-2019-11-27", ["non-trusted-shared-kubernetes-at-k8spin", "postmortems-at-flywire"]),
])
def test_the_list_and_search_keep_to_one_event(client, query, expected):
    html = client.get(query).get_data(as_text=True)
    assert sorted(slugs(html)) == sorted(expected)
    assert '<input type="hidden" name="event"' in html


def test_a_search_in_an_event_says_how_many_it_would_find_elsewhere(client):
    html = client.get("/?event=democon-2024&q=postmortem").get_data(as_text=True)
    assert slugs(html) == []
    assert re.search(r'href="/\?q=postmortem"[^>]*>\s*\d+ talks? at any event', html)


def test_a_fragment_keeps_to_the_event_and_the_counts_follow_it(client):
    html = client.get("/?event=democon-2024&q=kubernetes", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert sorted(slugs(html)) == ["contenedores-en-produccion", "kubernetes-keynote"]
    everywhere = client.get("/?q=kubernetes", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert len(slugs(everywhere)) > 2


def test_an_unknown_event_is_no_filter(client):
    html = client.get("/?event=no-such-event").get_data(as_text=True)
    assert len(slugs(html)) == 20 and 'name="event"' not in html


def test_the_api_and_the_feed_keep_to_one_event(client):
    body = client.get("/api/talks?event=democon-2024&q=kubernetes").get_json()
    assert sorted(talk["slug"] for talk in body["talks"]) == ["contenedores-en-produccion", "kubernetes-keynote"]
    assert body["total"] == 2
    assert client.get("/api/talks?event=no-such-event").get_json()["total"] == 0
    bad = client.get("/api/talks?event=Not%20a%20slug")
    assert bad.status_code == 400 and bad.get_json()["error"].startswith("event:")
    feed = ET.fromstring(client.get("/feed.atom?event=democon-2024").data)
    assert len(feed.findall(f"{ATOM}entry")) == 2 and "DemoCon 2024" in feed.find(f"{ATOM}title").text
    assert ET.fromstring(client.get("/feed.atom?event=no-such-event").data).findall(f"{ATOM}entry") == []
    assert client.get("/feed.atom?event=Not%20a%20slug").status_code == 400


def test_the_event_page_links_a_search_of_its_talks(client):
    html = client.get("/events/democon-2024").get_data(as_text=True)
    assert 'href="/?event=democon-2024"' in html
