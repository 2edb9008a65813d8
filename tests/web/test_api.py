"""The JSON API: the list, searches, one talk, errors, headers, and conformance to its OpenAPI document."""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlalchemy import select

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk

def talks_of(client, query: str = "") -> dict:
    response = client.get(f"/api/talks{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_list_is_newest_first_in_pages_of_twenty(client):
    body = talks_of(client)
    assert body["total"] == 19 and body["page"] == 1 and body["per_page"] == 20
    assert body["next"] is None
    slugs = [talk["slug"] for talk in body["talks"]]
    assert slugs[0] == "incident-analysis"
    assert slugs[-1] == "mis-primeros-pasos-subiendo-escaleras"


def test_list_agrees_with_the_site_order(client):
    html = client.get("/").get_data(as_text=True)
    site = re.findall(r'<article class="talk-card" data-slug="([^"]+)"', html)
    assert [talk["slug"] for talk in talks_of(client)["talks"]] == site


def test_pages_link_to_the_next_until_the_last(client):
    first = talks_of(client, "?per_page=7")
    assert len(first["talks"]) == 7
    assert first["next"] == "http://localhost/api/talks?page=2&per_page=7"
    second = talks_of(client, "?per_page=7&page=2")
    third = talks_of(client, "?per_page=7&page=3")
    assert len(third["talks"]) == 5 and third["next"] is None
    slugs = [talk["slug"] for page in (first, second, third) for talk in page["talks"]]
    assert len(set(slugs)) == 19
    assert talks_of(client, "?page=9")["talks"] == []


def test_a_talk_in_full(client):
    talk = client.get("/api/talks/postmortems-at-flywire").get_json()
    assert talk == {
        "slug": "postmortems-at-flywire",
        "title": "Postmortems at Flywire",
        "abstract": talk["abstract"],
        "language": "es",
        "date": "2019-11-27",
        "date_human": "27 November 2019",
        "speakers": [
            {"name": "Omar López", "role": "SRE", "slug": "omar-lopez"},
            {"name": "Andoni Alonso", "role": "SRE", "slug": "andoni-alonso"},
        ],
        "links": {"video": None, "slides": None, "event": None, "other": None},
        "all_links": [],
        "event": {"slug": "meetup-2019-11-27", "name": "Meetup 2019-11-27",
                  "url": "http://localhost/events/meetup-2019-11-27"},
        "url": "http://localhost/talks/postmortems-at-flywire",
    }
    assert talk["abstract"].startswith("At Flywire, we have been using blameless")


@pytest.mark.parametrize(
    ("slug", "date", "date_human"),
    [
        ("service-mesh-for-your-service-mess", "2018-03-23", "23 March 2018"),
        ("anatomy-of-an-object-storage-migration-plan", "2019", "2019"),
        ("mis-primeros-pasos-subiendo-escaleras", None, "date unknown"),
    ],
)
def test_partial_and_unknown_dates(client, slug, date, date_human):
    talk = client.get(f"/api/talks/{slug}").get_json()
    assert (talk["date"], talk["date_human"]) == (date, date_human)


def test_search_finds_what_the_site_finds_with_highlights(client):
    html = client.get("/?q=kube&lang=es").get_data(as_text=True)
    site = re.findall(r'<article class="talk-card" data-slug="([^"]+)"', html)
    body = talks_of(client, "?q=kube&lang=es")
    assert [talk["slug"] for talk in body["talks"]] == site and body["total"] == len(site) > 1
    assert all(talk["language"] == "es" for talk in body["talks"])
    title = body["talks"][0]["highlight"]["title"]
    assert {"text": "Kubernetes", "match": True} in title
    assert "".join(part["text"] for part in title) == body["talks"][0]["title"]


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20", "?q=%2C%2C"])
def test_an_empty_search_lists_every_talk_without_highlights(client, query):
    body = talks_of(client, query)
    assert body["total"] == 19
    assert all("highlight" not in talk for talk in body["talks"])


def test_the_next_page_of_a_search_keeps_the_search(client):
    body = talks_of(client, "?q=kubernetes&lang=es&per_page=1")
    assert body["next"] == "http://localhost/api/talks?q=kubernetes&lang=es&page=2&per_page=1"


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("?exact=yes", "exact"),
        ("?page=", "page"),
        ("?per_page=1000", "per_page"),
        ("?per_page=0", "per_page"),
        ("?per_page=-1", "per_page"),
        ("?page=abc", "page"),
        ("?page=0", "page"),
        ("?page=501", "page"),
        ("?page=%EF%BC%92", "page"),  # a full-width digit
        ("?lang=fr", "lang"),
        ("?q=" + "x" * 501, "q"),
        ("?page=" + "9" * 5000, "page"),  # more digits than Python converts
        ("?per_page=" + "1" * 5000, "per_page"),
        ("?year=" + "2" * 5000, "year"),
        ("?year=" + "0" * 4999 + "2019x", "year"),
    ],
)
def test_bad_parameters_are_refused_with_400_json(client, query, mentions):
    response = client.get(f"/api/talks{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"].startswith(mentions)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/talks/no-such-talk", 404),
        ("GET", "/api/talks/Not%20A%20Slug", 404),
        ("GET", "/api/talks/%00", 404),
        ("GET", "/api/nothing-here", 404),
        ("GET", "/api", 404),
        ("GET", "/api/talks/", 404),
        ("POST", "/api/talks", 405),
        ("DELETE", "/api/talks/incident-analysis", 405),
        ("GET", "/api/talks?q=" + "x" * 9000, 400),
    ],
)
def test_errors_are_json_never_html(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert set(response.get_json()) == {"error"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_method_not_allowed_says_what_is(client):
    response = client.post("/api/talks")
    assert "GET" in response.headers["Allow"]


def test_failures_are_json_500_without_internals(make_app, monkeypatch):
    app = make_app(indexed=True, TESTING=False, SEED_ON_EMPTY=True)
    import meetup.web.api

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(meetup.web.api, "page_of_talks", explode)
    response = app.test_client().get("/api/talks")
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal error"}


def test_missing_index_is_a_503(seeded_app, monkeypatch):
    from meetup.search import IndexMissing

    def missing(*_args, **_kwargs):
        raise IndexMissing("gone")

    monkeypatch.setattr(seeded_app.extensions["meetup_index"], "search", missing)
    response = seeded_app.test_client().get("/api/talks?q=kube")
    assert response.status_code == 503 and "error" in response.get_json()


def test_public_read_only_headers(client):
    response = client.get("/api/talks")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/talks", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_openapi_document_describes_the_endpoints(client):
    response = client.get("/api/openapi.json")
    document = response.get_json()
    assert document["openapi"].startswith("3.0")
    assert set(document["paths"]) == {"/api/talks", "/api/talks/{slug}", "/api/events", "/api/events/{slug}",
                                      "/api/openapi.json"}
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/talks"]["get"]["parameters"]}
    assert parameters["per_page"]["maximum"] == 100 and parameters["q"]["maxLength"] == 100
    assert {"400", "503"} <= set(document["paths"]["/api/talks"]["get"]["responses"])


def test_a_misspelt_search_is_corrected_as_on_the_site(client):
    body = talks_of(client, "?q=kuberntes")
    assert body["corrected_to"] == "kubernetes" and body["total"] > 1
    site = client.get("/?q=kuberntes").get_data(as_text=True)
    assert [talk["slug"] for talk in body["talks"]] == re.findall(r'<article class="talk-card" data-slug="([^"]+)"', site)
    as_typed = talks_of(client, "?q=kuberntes&exact=1")
    assert as_typed["total"] == 0 and as_typed["corrected_to"] is None and as_typed["suggestion"] == "kubernetes"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("path", ["/api/talks", "/api/talks/{slug}"])
def test_api_conforms_to_its_openapi_document(seeded_app, path, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded_app)

    @given(case=schema[path]["GET"].as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()

    check()


def test_every_talk_conforms_to_the_document(seeded_app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded_app)
    operation = schema["/api/talks/{slug}"]["GET"]
    with seeded_app.app_context():
        slugs = list(get_session().scalars(select(Talk.slug)))
    for slug in slugs:
        operation.Case(path_parameters={"slug": slug}).call_and_validate()
    listing = schema["/api/talks"]["GET"]
    for query in ({"per_page": 100}, {"q": "kubernetes", "lang": "es"}, {"q": "contenedores despliegue"}):
        listing.Case(query=query).call_and_validate()


def test_year_filter_and_year_counts(client):
    body = client.get("/api/talks?q=kubernetes&year=2019").get_json()
    assert body["total"] == 4 and all(t["date"].startswith("2019") for t in body["talks"])
    assert {"year": 2019, "count": 4} in body["years"] and {"year": 2016, "count": 1} in body["years"]
    assert client.get("/api/talks?year=1800").status_code == 400
    assert client.get("/api/talks?year=abc").status_code == 400


def test_synonym_matches_are_named(client):
    body = client.get("/api/talks?q=seguridad").get_json()
    assert "security" in body["also_matching"]
