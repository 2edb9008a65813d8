"""What a visitor asked for, cleaned and bounded, and its canonical URLs."""
import pytest
from werkzeug.datastructures import MultiDict

from meetup.search import MAX_QUERY_CHARS
from meetup.web.search_state import MAX_PAGE, BadParameter, SearchState, bounded_whole_number


@pytest.mark.parametrize(("args", "expected"), [
    ({}, SearchState()),
    ({"q": " kube  ctl \n"}, SearchState(q="kube ctl")),
    ({"q": "x" * (MAX_QUERY_CHARS + 50)}, SearchState(q="x" * MAX_QUERY_CHARS)),  # cut where search cuts
    ({"lang": "es"}, SearchState(lang="es")),
    ({"lang": "fr"}, SearchState()),
    ({"page": "3"}, SearchState(page=3)),
    ({"page": "0"}, SearchState()),
    ({"page": "-5"}, SearchState()),
    ({"page": "abc"}, SearchState()),
    ({"page": str(MAX_PAGE + 1)}, SearchState(page=MAX_PAGE)),
    ({"exact": "1"}, SearchState(exact=True)),
    ({"exact": "yes"}, SearchState()),
    ({"year": "2019"}, SearchState(year=2019)),
    ({"year": "1899"}, SearchState()),
    ({"year": "2101"}, SearchState()),
])
def test_from_args_cleans_and_bounds_every_parameter(args, expected):
    assert SearchState.from_args(MultiDict(args)) == expected


@pytest.mark.parametrize(("state", "changes", "url"), [
    (SearchState(), {}, "/"),
    (SearchState(q="kube ctl", lang="es", page=1), {}, "/?q=kube+ctl&lang=es"),
    (SearchState(q="x", year=2019, page=2, exact=True), {}, "/?q=x&year=2019&page=2&exact=1"),
    (SearchState(q="x", page=4), {"page": 1}, "/?q=x"),
    (SearchState(q="x", lang="en"), {"lang": ""}, "/?q=x"),
])
def test_url_is_canonical(app, state, changes, url):
    with app.test_request_context():
        assert state.url(**changes) == url


@pytest.mark.parametrize(("state", "url"), [
    (SearchState(), "/feed.atom"),
    (SearchState(q="kube", lang="es", year=2019, page=3), "/feed.atom?q=kube&lang=es&year=2019"),
    (SearchState(exact=True), "/feed.atom"),  # exact means nothing without a query
    (SearchState(q="kube", exact=True), "/feed.atom?q=kube&exact=1"),
])
def test_feed_url_follows_the_search_but_not_its_page(app, state, url):
    with app.test_request_context():
        assert state.feed_url() == url


@pytest.mark.parametrize(("text", "expected"), [
    ("2019", 2019), ("02019", 2019), ("0" * 5000 + "2019", 2019), ("1899", None), ("2" * 5000, None),
    ("", None), ("20 19", None), ("２０１９", None), ("-2019", None),
])
def test_bounded_whole_number(text, expected):
    assert bounded_whole_number(text, 1900, 2100) == expected


@pytest.mark.parametrize(("args", "expected"), [
    ({}, SearchState()),
    ({"q": " kube\nctl "}, SearchState(q="kube ctl")),
    ({"lang": "es", "year": "2019", "page": "3", "exact": "1"}, SearchState(lang="es", year=2019, page=3, exact=True)),
    ({"year": ""}, SearchState()),  # the form's "any year"
    ({"per_page": "50"}, SearchState(per_page=50)),
    ({"event": "devopsdays-madrid-2019"}, SearchState(event="devopsdays-madrid-2019")),
])
def test_strict_reading_keeps_what_is_well_formed(args, expected):
    assert SearchState.from_args(MultiDict(args), strict=True) == expected


@pytest.mark.parametrize(("args", "refusal"), [
    ({"q": "x" * (MAX_QUERY_CHARS + 1)}, f"q: at most {MAX_QUERY_CHARS} characters"),
    ({"lang": "fr"}, "lang: one of"),
    ({"page": "0"}, "page: a whole number from 1 to 500"),
    ({"page": ""}, "page: a whole number"),
    ({"per_page": "1000"}, "per_page: a whole number from 1 to 100"),
    ({"year": "1899"}, "year: a whole number from 1900"),
    ({"exact": "yes"}, "exact: 1 to search q as typed"),
    ({"event": "Not A Slug"}, "event: an event's slug"),
])
def test_strict_reading_refuses_what_pages_would_drop(args, refusal):
    with pytest.raises(BadParameter, match=refusal):
        SearchState.from_args(MultiDict(args), strict=True)
    assert isinstance(SearchState.from_args(MultiDict(args)), SearchState)  # pages never refuse
