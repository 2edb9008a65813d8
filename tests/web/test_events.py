"""Event pages: the events index, an event's page, calendar and feed, the event on cards and talk pages, the API."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
CONFERENCE = """\
events:
- slug: democon-2024
  name: DemoCon 2024
  kind: conference
  starts: 2024-05-17
  ends: 2024-05-18
  place: Sevilla
  url: https://democon.example/2024/
talks:
- title: Second day keynote
  language: en
  date: 2024-05-18
  event: democon-2024
  links:
  - {url: "https://youtu.be/abc", title: "Recording"}
  - {url: "https://youtu.be/old", title: "My previous BSides talk"}
  abstract_html: "<p>First <strong>paragraph</strong>.</p><p>Second <script>alert(1)</script>paragraph.</p>"
- title: Opening <talk> & welcome
  language: es
  date: 2024-05-17
  event: democon-2024
"""


@pytest.fixture
def conference(seeded_app, write_file):
    result = seeded_app.test_cli_runner().invoke(args=["import-talks", str(write_file("democon.yaml", CONFERENCE))])
    assert result.exit_code == 0, result.output
    assert "events: 1 added" in result.output
    return seeded_app.test_client()


def test_the_events_index_lists_events_newest_first_with_their_talks(conference):
    html = conference.get("/events/").get_data(as_text=True)
    slugs = [part.split('"')[0] for part in html.split('class="talk-row event-item" data-slug="')[1:]]
    assert slugs[:3] == ["democon-2024", "meetup-2020-09-23", "meetup-2020-02-05"] and len(slugs) == 13
    democon = html.split('data-slug="democon-2024"')[1].split("</li>")[0]
    assert "DemoCon 2024" in democon and "Sevilla" in democon and "2 talks" in democon and "17\u2009–\u200918 May 2024" in democon


def test_an_event_page_shows_its_talks_in_schedule_order(conference):
    html = conference.get("/events/democon-2024").get_data(as_text=True)
    order = [part.split('"')[0] for part in html.split('class="talk-card" data-slug="')[1:]]
    assert order == ["opening-talk-welcome", "second-day-keynote"]
    assert "Opening &lt;talk&gt; &amp; welcome" in html and 'href="https://democon.example/2024/"' in html
    assert 'href="/events/democon-2024.ics"' in html and 'href="/events/democon-2024/feed.atom"' in html


def test_a_meetup_night_lists_the_talks_of_that_night(client):
    html = client.get("/events/meetup-2020-02-05").get_data(as_text=True)
    assert html.count('class="talk-card"') == 2 and "Meetup night" in html


def test_an_unknown_event_is_a_404_page_and_json(client):
    assert client.get("/events/nope").status_code == 404
    assert client.get("/events/nope.ics").status_code == 404
    response = client.get("/api/events/nope")
    assert response.status_code == 404 and response.get_json() == {"error": "no event has this slug"}


def test_cards_and_talk_pages_name_their_event(conference):
    home = conference.get("/").get_data(as_text=True)
    card = home.split('data-slug="second-day-keynote"')[1].split("</article>")[0]
    assert 'href="/events/democon-2024"' in card and "DemoCon 2024" in card
    page = conference.get("/talks/second-day-keynote").get_data(as_text=True)
    assert 'href="/events/democon-2024"' in page


def test_a_talk_page_shows_sanitised_markup_and_every_link_with_its_title(conference):
    page = conference.get("/talks/second-day-keynote").get_data(as_text=True)
    assert "<p>First <strong>paragraph</strong>.</p>" in page and "<script>alert(1)" not in page
    assert ">Recording</a>" in page and ">My previous BSides talk</a>" in page
    video = page.split('class="resource resource-video"')[1].split(">")[0]
    assert 'href="https://youtu.be/abc"' in video


def test_the_event_calendar_holds_the_event_and_its_talks(conference):
    response = conference.get("/events/democon-2024.ics")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/calendar" and body.count("BEGIN:VEVENT") == 3
    assert "DTSTART;VALUE=DATE:20240517\r\nDTEND;VALUE=DATE:20240519" in body
    assert "LOCATION:Sevilla" in body and "SUMMARY:DemoCon 2024" in body


def test_the_event_feed_lists_its_talks(conference):
    response = conference.get("/events/democon-2024/feed.atom")
    feed = ET.fromstring(response.data)
    assert feed.find(f"{ATOM}title").text == "Meetup talk archive: DemoCon 2024"
    assert len(feed.findall(f"{ATOM}entry")) == 2


def test_the_api_lists_events_and_an_event_with_its_talks(conference):
    events = conference.get("/api/events").get_json()["events"]
    assert events[0] == {
        "slug": "democon-2024", "name": "DemoCon 2024", "url": "http://localhost/events/democon-2024",
        "kind": "conference", "starts": "2024-05-17", "ends": "2024-05-18", "place": "Sevilla",
        "website": "https://democon.example/2024/", "talks": 2, "api": "http://localhost/api/events/democon-2024",
    }
    one = conference.get("/api/events/democon-2024").get_json()
    assert [talk["slug"] for talk in one["talk_list"]] == ["opening-talk-welcome", "second-day-keynote"]
    keynote = one["talk_list"][1]
    assert keynote["links"]["video"] == "https://youtu.be/abc" and keynote["links"]["other"] == "https://youtu.be/old"
    assert keynote["all_links"][1] == {"kind": "other", "url": "https://youtu.be/old", "title": "My previous BSides talk"}


@pytest.mark.parametrize("ui", ["en", "es"])
def test_event_pages_speak_the_interface_language(conference, ui):
    conference.set_cookie("ui_lang", ui)
    html = conference.get("/events/democon-2024").get_data(as_text=True)
    expected = {"en": ("All events", "Conference"), "es": ("Todos los eventos", "Conferencia")}[ui]
    assert all(text in html for text in expected)
