"""Search through the site: full page, fragment, history restore, filters, any input."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.html import card_slugs, cards

HTMX = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}


def test_full_page_includes_the_results_a_fragment_gets_alone(client):
    page = client.get("/?q=kube").get_data(as_text=True)
    fragment = client.get("/?q=kube", headers=HTMX).get_data(as_text=True)
    assert "<html" in page and "<html" not in fragment
    assert card_slugs(page) == card_slugs(fragment) and len(card_slugs(page)) > 1
    assert 'id="q"' not in fragment
    assert 'value="kube"' in page


def test_history_restore_gets_the_full_page(client):
    response = client.get("/?q=kube", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Push-Url" not in response.headers and "HX-Replace-Url" not in response.headers


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_vary_on_hx_request(client, headers):
    assert "HX-Request" in client.get("/?q=kube", headers=headers).headers["Vary"]


def test_typing_replaces_the_url_and_a_new_search_or_filter_pushes_it(client):
    typing = client.get("/?q=kube&lang=", headers=HTMX)
    assert typing.headers["HX-Replace-Url"] == "/?q=kube"
    starting = client.get("/?q=k&lang=", headers={**HTMX, "X-Search-Start": "1"})
    assert starting.headers["HX-Push-Url"] == "/?q=k"
    form = client.get("/?q=kube&lang=es", headers={"HX-Request": "true", "HX-Trigger": "search-form", "HX-Target": "results"})
    assert form.headers["HX-Push-Url"] == "/?q=kube&lang=es"


def test_fragment_updates_the_live_count_and_the_language_counts_out_of_band(client):
    fragment = client.get("/?q=kubernetes", headers=HTMX).get_data(as_text=True)
    assert 'id="result-status" hx-swap-oob="innerHTML"' in fragment
    counts = dict(re.findall(r'id="count-(\w+)" hx-swap-oob="innerHTML">(\d+)<', fragment))
    assert int(counts["all"]) == int(counts["en"]) + int(counts["es"]) == len(card_slugs(fragment))


def test_full_page_has_a_polite_live_region(client):
    page = client.get("/?q=kube").get_data(as_text=True)
    assert re.search(r'<p id="result-status"[^>]*role="status"[^>]*aria-live="polite"', page)
    assert re.search(r"\d+ talks match “kube”", page)


def test_language_filter_narrows_results_and_counts_ignore_it(client):
    both = client.get("/?q=kubernetes").get_data(as_text=True)
    spanish = client.get("/?q=kubernetes&lang=es").get_data(as_text=True)
    assert {lang for _, lang in cards(spanish)} == {"es"}
    assert set(card_slugs(spanish)) < set(card_slugs(both))
    es_count = len(card_slugs(spanish))
    assert f'id="count-es">{es_count}<' in both and f'id="count-es">{es_count}<' in spanish


def test_language_filter_without_query_lists_that_language_newest_first(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert [lang for _, lang in cards(html)] == ["en"] * 4
    assert card_slugs(html)[0] == "incident-analysis" and card_slugs(html)[-1].startswith("coreos")


def test_empty_query_lists_all_talks_newest_first(client):
    assert card_slugs(client.get("/?q=+++").get_data(as_text=True)) == card_slugs(client.get("/").get_data(as_text=True))


def test_title_match_ranks_above_abstract_only_match(client):
    found = card_slugs(client.get("/?q=postmortems").get_data(as_text=True))
    assert found[0] == "postmortems-at-flywire"
    assert "incident-analysis" in found


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kube", "kubernetes-journey-at-tuenti"),
        ("contenedor", "microcontainers-reduciendo-el-tamano-de-tus-contenedores"),
        ("TAMAÑO", "microcontainers-reduciendo-el-tamano-de-tus-contenedores"),
        ("tamano", "microcontainers-reduciendo-el-tamano-de-tus-contenedores"),
        ("autoescalar", "autoescalado-con-ladder"),
        ("mercadona", "talk-events-services-and-hives"),
        ("lopez", "postmortems-at-flywire"),
        ("graphql rest", "por-que-api-rest-esta-muerto-y-deberiamos-usar-apis-basadas-en-graphql"),
        ("que", "por-que-api-rest-esta-muerto-y-deberiamos-usar-apis-basadas-en-graphql"),
    ],
)
def test_bilingual_searches_find_the_talk(client, query, expected):
    assert expected in card_slugs(client.get("/", query_string={"q": query}).get_data(as_text=True))


def test_a_misspelt_word_shows_the_corrected_results_and_offers_the_original(client):
    html = client.get("/?q=kubernets").get_data(as_text=True)
    assert "Showing results for <strong>kubernetes</strong>" in html
    assert 'search instead for <a href="/?q=kubernets&amp;exact=1">kubernets</a>' in html
    assert "kubernetes-journey-at-tuenti" in card_slugs(html)
    assert "talks match “kubernetes”" in html


def test_searching_exactly_as_typed_says_so_and_suggests_a_correction(client):
    html = client.get("/?q=kubernets&exact=1").get_data(as_text=True)
    assert card_slugs(html) == []
    assert "Did you mean" in html and 'href="/?q=kubernetes">kubernetes</a>' in html


def test_a_misspelling_with_a_correct_word_falls_back_to_any_word(client):
    html = client.get("/?q=postmortems+kubernets&exact=1").get_data(as_text=True)
    assert "postmortems-at-flywire" in card_slugs(html)
    assert "No talk matches all of “postmortems kubernets”" in html


def test_nothing_found_shows_a_helpful_empty_state(client):
    html = client.get("/?q=zzqxv&lang=en").get_data(as_text=True)
    assert "Nothing found" in html and "No talk matches “zzqxv” in English" in html
    assert "Try fewer or shorter words" in html and 'class="ways-out"' not in html  # no filter would help


@pytest.mark.parametrize(("args", "status", "ways_out"), [
    ("q=postmortem&year=2016", "No talk matches “postmortem” from 2016.",
     [("/?q=postmortem", "2 talks from any year, not only 2016")]),
    ("q=postmortem&year=2016&lang=es", "No talk matches “postmortem” in Spanish from 2016.",
     [("/?q=postmortem&amp;lang=es", "1 talk from any year, not only 2016"), ("/?q=postmortem", "2 talks with no filter")]),
    ("q=graphql&lang=en", "No talk matches “graphql” in English.",
     [("/?q=graphql", "1 talk in either language, not only English")]),
    ("year=2016&lang=es", "No talk in Spanish from 2016.",
     [("/?lang=es", "15 talks from any year, not only 2016"), ("/?year=2016", "1 talk in either language, not only Spanish"), ("/", "19 talks with no filter")]),
])
def test_the_empty_state_names_the_filters_hiding_matches_and_links_past_each(client, args, status, ways_out):
    html = client.get(f"/?{args}").get_data(as_text=True)
    assert status in html
    offered = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html.split('class="ways-out"')[1].split("</ul>")[0])
    assert offered == ways_out


def test_a_chosen_year_without_matches_stays_in_its_place_among_the_years(client):
    html = client.get("/?q=postmortem&year=2016").get_data(as_text=True)
    years = re.findall(r'<option value="(\d+)"', html)
    assert years == sorted(years, reverse=True) and "2016" in years
    assert '<option value="2016" selected>2016 (0)</option>' in html


@pytest.mark.parametrize(("query", "status"), [
    ("k", "Type at least two letters to search. 19 talks, newest first."),
    ("*", "Type at least two letters to search. 19 talks, newest first."),
    ("ku", "talks match “ku”"),
])
def test_a_query_too_short_to_search_says_the_list_is_every_talk(client, query, status):
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert status in " ".join(html.split())
    assert "match “k”" not in html


def test_highlighting_is_escaped_and_marks_stem_matches(seeded_app):
    from meetup.catalog.db import get_session
    from meetup.indexing.serving import talk_index
    from meetup.indexing.sync import rebuild_index
    from meetup.catalog.models import Talk

    with seeded_app.app_context():
        session = get_session()
        talk = session.query(Talk).filter_by(slug="incident-analysis").one()
        talk.title = "<script>alert(1)</script> contenedores"
        talk.abstract = 'Los "contenedores" <b>rotos</b> & más.'
        session.commit()
        rebuild_index(session, talk_index())
    html = seeded_app.test_client().get("/?q=contenedor").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>contenedores</mark>" in html
    assert "&#34;<mark>contenedores</mark>&#34; &lt;b&gt;rotos&lt;/b&gt; &amp; más." in html


HOSTILE = [
    '"', "'", "((", ")", "[]", "AND", "OR NOT", "title:kube", "lang:es", "*", "?", "~2", "kube~", "kube*",
    "a" * 5000, "🚀 kubernetes 🚀", "\x00", "%", "%00", "\\", "\\\\'", "<script>", "&amp;",
    "NOT AND OR", "-", "+kube -docker", "{}", "^", ":", "/", "::", "\u202e", "ｋｕｂｅ",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("lang", ["", "es", "xx"])
def test_hostile_queries_answer_200(client, query, lang):
    for headers in ({}, HTMX):
        response = client.get("/", query_string={"q": query, "lang": lang}, headers=headers)
        assert response.status_code == 200


@pytest.mark.parametrize("args", ["page=-1", "page=abc", "page=99999999999999999999", "lang[]=x", "q=%ff%fe", "q=%ed%a0%80"])
def test_odd_query_strings_answer_200(client, args):
    assert client.get(f"/?{args}").status_code == 200


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=300), lang=st.sampled_from(["", "en", "es", "xx", None]))
def test_any_text_any_lang_answers_200(client, q, lang):
    query = {"q": q} if lang is None else {"q": q, "lang": lang}
    assert client.get("/", query_string=query, headers=HTMX).status_code == 200


def test_paging_with_more_link(make_app):
    app = make_app(indexed=True, SEED_ON_EMPTY=True, RESULTS_PER_PAGE=5)
    client = app.test_client()
    first = client.get("/").get_data(as_text=True)
    assert len(card_slugs(first)) == 5 and 'id="more-results"' in first and 'href="/?page=2#page-2"' in first
    more = client.get("/?page=2", headers={"HX-Request": "true", "HX-Target": "more-results"})
    html = more.get_data(as_text=True)
    assert card_slugs(html) == card_slugs(client.get("/?page=2").get_data(as_text=True))[5:10]
    # The address then describes what is on screen, in the same history entry.
    assert more.headers["HX-Replace-Url"] == "/?page=2" and "HX-Push-Url" not in more.headers
    assert 'id="result-status" hx-swap-oob="innerHTML">19 talks, newest first. Showing 10 of 19.' in " ".join(html.split())
    assert '<h2 class="talk-title" id="page-2">' in html
    last = client.get("/?page=4").get_data(as_text=True)
    assert len(card_slugs(last)) == 19 and 'id="more-results"' not in last


@pytest.mark.parametrize(("path", "shown", "first_page", "more"), [
    ("/?page=2", 10, 1, "/?page=3#page-3"),
    ("/?q=kubernetes&page=2", 8, 1, None),
    ("/?page=12", 50, 3, "/?page=13#page-13"),
    ("/?page=16", 49, 7, None),  # talks 31 to 79: the last batch holds 4
])
def test_a_page_loaded_on_its_own_shows_every_batch_up_to_it(make_app, write_file, path, shown, first_page, more):
    app = make_app(SEED_ON_EMPTY=True, RESULTS_PER_PAGE=5)
    app.test_client().get("/")  # the shipped talks first, then 60 more
    talks = "".join(f"- title: Extra talk {n}\n  date: 2015-01-{n % 28 + 1:02d}\n  language: en\n" for n in range(60))
    app.test_cli_runner().invoke(args=["import-talks", str(write_file("extra.yaml", talks))])
    html = app.test_client().get(path).get_data(as_text=True)
    assert len(card_slugs(html)) == shown
    assert f'<h2 class="talk-title" id="page-{first_page}">' in html
    assert (f'href="{more}"' in html.replace("&amp;", "&")) if more else 'id="more-results"' not in html
    earlier = f'href="/?page={first_page - 1}#page-{first_page - 1}">Earlier talks</a>'
    assert (earlier in html) == (first_page > 1)
    assert f"Showing {shown} of " in html


def test_year_filter_narrows_results_and_counts_years(client):
    html = client.get("/?q=kubernetes").get_data(as_text=True)
    assert '<option value="2019">2019 (4)</option>' in html
    filtered = client.get("/?q=kubernetes&year=2019").get_data(as_text=True)
    assert set(card_slugs(filtered)) == {"non-trusted-shared-kubernetes-at-k8spin", "talk-events-services-and-hives",
                                    "seedtags-microservices-and-infrastructure", "kubernetes-journey-at-tuenti"}
    assert '<option value="2019" selected>2019 (4)</option>' in filtered


def test_year_filter_without_query_and_with_language(client):
    html = client.get("/?year=2017&lang=es").get_data(as_text=True)
    assert card_slugs(html) == ["high-impact-refactors-keeping-the-lights-on", "autoescalado-con-ladder",
                           "por-que-api-rest-esta-muerto-y-deberiamos-usar-apis-basadas-en-graphql"]
    assert "3 talks in Spanish" in html
    assert '<option value="2016">' not in html  # the 2016 talk is in English


@pytest.mark.parametrize(("year", "ignored"), [("1984", False), ("abc", True), ("-1", True), ("99999", True)])
def test_odd_years_are_ignored_or_empty(client, year, ignored):
    response = client.get(f"/?year={year}")
    every_talk = card_slugs(client.get("/").get_data(as_text=True))
    assert response.status_code == 200
    # A year the archive could hold filters (to nothing here); one outside 1900-2100 or not a number is ignored.
    assert card_slugs(response.get_data(as_text=True)) == (every_talk if ignored else [])


def test_year_counts_update_out_of_band_in_fragments(client):
    fragment = client.get("/?q=kubernetes&year=2019", headers=HTMX).get_data(as_text=True)
    assert '<select id="year" name="year" hx-swap-oob="true">' in fragment
    assert fragment.count("data-slug=") == 4
    assert client.get("/?q=kube&year=2019", headers=HTMX).headers["HX-Replace-Url"] == "/?q=kube&year=2019"


@pytest.mark.parametrize(("query", "expected", "expansion"), [
    ("seguridad", "service-mesh-for-your-service-mess", "security"),
    ("despliegue", "secrets-as-code", "deployment"),
    ("k8s", "kubernetes-journey-at-tuenti", "kubernetes"),
    ("autoscaling", "autoescalado-con-ladder", "autoescalado"),
])
def test_synonyms_find_talks_across_languages_and_say_so(client, query, expected, expansion):
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert expected in card_slugs(html)
    assert "Also showing matches for <em" in html and expansion in html.split("Also showing matches for")[1].split("</p>")[0]


def test_direct_and_synonym_matches_are_both_found(client):
    # Synonyms are weighted forms of the word, not always below it (see tests/search/test_synonym_weights.py).
    found = card_slugs(client.get("/?q=seguridad").get_data(as_text=True))
    assert "microcontainers-reduciendo-el-tamano-de-tus-contenedores" in found  # has "seguridad" itself
    assert "service-mesh-for-your-service-mess" in found  # only "security"


def test_synonym_matches_are_highlighted(client):
    html = client.get("/?q=seguridad").get_data(as_text=True)
    assert "<mark>security</mark>" in html and "<mark>seguridad</mark>" in html


def test_talk_page_shows_related_talks_in_either_language(client):
    html = client.get("/talks/postmortems-at-flywire").get_data(as_text=True)
    related = html[html.index('id="related-heading"'):]
    assert '<li class="mini-card" data-slug="incident-analysis">' in related
    assert 'data-slug="postmortems-at-flywire"' not in related


@pytest.mark.parametrize("query", ["seguridad", "kubernets", "seguridad contenedores", "kubernets seguridad"])
def test_the_correction_comes_first_then_the_alternatives_then_the_partial_matches(client, query):
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    results = html[html.index('id="results"'):]
    shown = [results.find(marker) for marker in ('class="notice suggestion"', 'class="expansions"',
                                                 'class="partial-matches"', 'class="talk-card"')]
    present = [at for at in shown if at >= 0]
    # The feed of the search is the icon beside the count, above the results.
    assert present == sorted(present) and len(present) >= 2 and 'id="feed-link"' in html[:html.index('id="results"')]


@pytest.mark.parametrize(("query", "note"), [
    # Few talks have both words: the page says how many, and the talks with one of them follow.
    ("seguridad contenedores", True),
    ("seguridad", False),
])
def test_a_short_page_says_where_the_partial_matches_begin(client, query, note):
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert ('class="partial-matches"' in html) is note
    if note:
        count = int(re.search(r'class="partial-matches">(\d+) talk', html).group(1))
        assert 0 < count < len(card_slugs(html))


@pytest.mark.parametrize(("query", "corrected"), [
    ("kubernets", "kubernetes"),
    # Two typos are corrected like one, even when no talk has both corrected words.
    ("terrafrom microservics", "terraform microservices"),
])
def test_typos_are_corrected_and_their_results_shown(client, query, corrected):
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert f"Showing results for <strong>{corrected}</strong>" in html
    assert card_slugs(html)
