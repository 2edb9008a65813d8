"""The rendered-fragment cache: bounded, keyed by all a fragment is made from, never stale."""
from __future__ import annotations

import pytest

from meetup.web import pages
from meetup.catalog.store import import_records
from meetup.catalog.db import get_session
from meetup.web.fragments import FragmentCache
from meetup.indexing.serving import talk_index
from meetup.indexing.sync import bring_in_step
from meetup.catalog.models import Talk, TalkLink, lock_content
from meetup.catalog.formats import read_talk_file
from tests.html import card_slugs

HTMX = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}


def fragment(client, **args) -> str:
    headers = dict(HTMX)
    if args.pop("more", False):
        headers["HX-Target"] = "more-results"
    response = client.get("/", query_string=args, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("max_bytes, puts, kept", [
    (10, [("a", 4), ("b", 4)], ["a", "b"]),
    (10, [("a", 4), ("b", 4), ("c", 4)], ["b", "c"]),  # the oldest goes first
    (10, [("a", 4), ("b", 4), ("a", 4), ("c", 4)], ["a", "c"]),  # storing again refreshes
    (10, [("a", 11)], []),  # larger than the whole cache: not kept
    (10, [("a", 3), ("a", 9)], ["a"]),  # a replaced entry is counted once
    (0, [("a", 1)], []),
])
def test_the_cache_keeps_the_most_recent_fragments_within_its_bytes(max_bytes, puts, kept):
    cache = FragmentCache(max_bytes)
    for key, size in puts:
        cache.put(key, b"x" * size)
    assert [key for key in "abc" if cache.get(key) is not None] == kept
    assert cache.nbytes == sum(size for key, size in dict(puts).items() if key in kept) <= max_bytes


def test_reading_refreshes_an_entry():
    cache = FragmentCache(8)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    cache.get("a")
    cache.put("c", b"1234")
    assert cache.get("a") == b"1234" and cache.get("b") is None


def test_a_typed_prefix_is_answered_from_memory(client, monkeypatch):
    first = fragment(client, q="kube")

    def no_search(*args, **kwargs):
        raise AssertionError("searched again")

    monkeypatch.setattr(pages, "pages_from", no_search)
    assert fragment(client, q="kube") == first
    # The history header is worked out per request, not cached with the body.
    response = client.get("/?q=kube", headers={**HTMX, "X-Search-Start": "1"})
    assert "HX-Push-Url" in response.headers


@pytest.mark.parametrize("args, cookie", [
    ({"q": "kube", "lang": "es"}, None),
    ({"q": "kube", "year": "2018"}, None),
    ({"q": "kube", "page": "2"}, None),
    ({"q": "kubernets", "exact": "1"}, None),
    ({"q": "kube", "more": True, "page": "2"}, None),
    ({"q": "kube"}, "es"),
    ({"q": "ku"}, None),
])
def test_each_search_filter_page_and_language_has_its_own_fragment(make_app, args, cookie):
    cached = make_app(SEED_ON_EMPTY=True, indexed=True)
    client = cached.test_client()
    fragment(client, q="kube")
    fragment(client, q="kubernets")
    if cookie:
        client.set_cookie("ui_lang", cookie)
    uncached_client = make_app(FRAGMENT_CACHE_BYTES=0).test_client()
    if cookie:
        uncached_client.set_cookie("ui_lang", cookie)
    assert fragment(client, **dict(args)) == fragment(uncached_client, **dict(args))


def test_an_import_shows_at_the_next_keystroke(seeded_app, write_file):
    client = seeded_app.test_client()
    assert card_slugs(fragment(client, q="ebpf")) == []
    path = write_file("new.yaml", "- title: Observabilidad con eBPF\n  language: es\n")
    assert seeded_app.test_cli_runner().invoke(args=["import-talks", str(path)]).exit_code == 0
    assert card_slugs(fragment(client, q="ebpf")) == ["observabilidad-con-ebpf"]


def test_a_database_change_the_index_does_not_hold_shows_at_once(seeded_app):
    client = seeded_app.test_client()
    assert "https://video.example/postmortems" not in fragment(client, q="postmortem")
    with seeded_app.app_context():
        session = get_session()
        state = lock_content(session)
        session.query(Talk).filter_by(slug="postmortems-at-flywire").one().link_rows = [
            TalkLink(position=1, kind="video", url="https://video.example/postmortems")]
        state.content_version += 1
        session.commit()
    assert "https://video.example/postmortems" in fragment(client, q="postmortem")


def test_an_index_catching_up_shows_at_once(seeded_app, write_file):
    client = seeded_app.test_client()
    path = write_file("new.yaml", "- title: Sondas eBPF\n  language: es\n")
    with seeded_app.app_context():
        # Stored, but the index has not caught up yet: the same content version from here on.
        import_records(get_session(), read_talk_file(path))
    assert card_slugs(fragment(client, q="sondas")) == []
    with seeded_app.app_context():
        bring_in_step(get_session(), talk_index())
    assert card_slugs(fragment(client, q="sondas")) == ["sondas-ebpf"]


def test_a_new_generation_is_never_answered_from_the_old_one(seeded_app):
    client = seeded_app.test_client()
    fragment(client, q="kube")
    with seeded_app.app_context():
        before = talk_index().snapshot()
    assert seeded_app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    with seeded_app.app_context():
        after = talk_index().snapshot()
    assert after[0] != before[0]
    fragment(client, q="kube")
    assert len(seeded_app.extensions["meetup_fragments"]) == 2
