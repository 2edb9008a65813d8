"""Card data and newest-first pages kept per content version: read once, never stale."""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from meetup.catalog.db import get_session, make_engine
from meetup.catalog.models import Talk, TalkLink, lock_content
from meetup.indexing.serving import talk_index
from meetup.indexing.sync import bring_in_step
from meetup.catalog.versionreader import VersionReader
from meetup.web.cards import VersionedMemo, cards_in_rank_order
from meetup.web.listing import warm_newest_pages
from tests.html import card_slugs

HTMX = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}


@pytest.mark.parametrize("steps, expected", [
    ([("put", 1, "a", "x"), ("get", 1, "a")], "x"),
    ([("put", 1, "a", "x"), ("get", 2, "a")], None),  # asked at another version: not known
    ([("put", 1, "a", "x"), ("put", 2, "b", "y"), ("get", 2, "a")], None),  # a new version forgets the old
    ([("put", 2, "a", "x"), ("put", 1, "a", "old"), ("get", 2, "a")], "x"),  # an older answer is not kept
    ([("put", 1, "a", "x"), ("put", 1, "b", "y"), ("put", 1, "c", "z"), ("get", 1, "a")], None),  # bounded
    ([("put", 1, "a", "x"), ("put", 1, "b", "y"), ("put", 1, "c", "z"), ("get", 1, "c")], "z"),
    ([("put", 1, "a", "x"), ("clear",), ("get", 1, "a")], None),
    ([("put", 1, "a", "x"), ("previous", 2, "a")], "x"),  # offered for comparison only
    ([("put", 1, "a", "x"), ("put", 2, "b", "y"), ("previous", 2, "a")], "x"),
    ([("put", 1, "a", "x"), ("put", 2, "b", "y"), ("put", 3, "c", "z"), ("previous", 3, "a")], None),
    ([("put", 1, "a", "x"), ("put", 2, "b", "y"), ("previous", 2, "b")], None),
    ([("put", 1, "a", "x"), ("previous", 1, "a")], None),  # the current version has no "before"
    ([("put", 2, "a", "x"), ("previous", 1, "a")], None),
    ([("put", 1, "a", "x"), ("clear",), ("put", 2, "b", "y"), ("previous", 2, "a")], None),
])
def test_memo_answers_only_at_the_version_it_was_filled(steps, expected):
    memo = VersionedMemo(max_entries=2)
    result = "unset"
    for operation, *args in steps:
        result = getattr(memo, operation)(*args)
    assert result == expected


@contextmanager
def statements(app):
    """Collect the SQL statements run while the block runs."""
    seen: list[str] = []
    engine = app.extensions["meetup_engine"]

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def uncached_client(make_app):
    """A seeded site whose rendered fragments are never kept, so every request renders."""
    app = make_app(SEED_ON_EMPTY=True, indexed=True, FRAGMENT_CACHE_BYTES=0)
    client = app.test_client()
    client.get("/")
    return app, client


@pytest.mark.parametrize("first, then", [
    ("postmortem", "postmortem"),  # the same cards again
    ("kubernetes", "kube"),  # cards already read for another search
    ("k", "c"),  # one letter: the newest-first page and its counts
    ("", "x"),
])
def test_cards_and_newest_pages_are_read_once_per_content_version(uncached_client, first, then):
    app, client = uncached_client
    client.get("/", query_string={"q": first}, headers=HTMX)
    with statements(app) as seen:
        response = client.get("/", query_string={"q": then}, headers=HTMX)
    assert response.status_code == 200 and card_slugs(response.get_data(as_text=True))
    # Only the content version is read, to know the memory is current.
    assert len(seen) == 1 and "content_version" in seen[0]


def flywire_card(response) -> str:
    found = re.search(r'<article[^>]*data-slug="postmortems-at-flywire".*?</article>', response.get_data(as_text=True), re.S)
    assert found
    return found.group(0)


@pytest.mark.parametrize("q", ["postmortem", "k"])
def test_a_changed_talk_shows_at_the_next_request(uncached_client, q):
    app, client = uncached_client
    before = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
    assert "27 November 2019" in before and "https://video.example/" not in before
    with app.app_context():
        session = get_session()
        state = lock_content(session)
        talk = session.query(Talk).filter_by(slug="postmortems-at-flywire").one()
        talk.day, talk.link_rows = 28, [TalkLink(position=1, kind="video", url="https://video.example/postmortems")]
        state.content_version += 1
        session.commit()
    page = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
    assert "28 November 2019" in page and "27 November 2019" not in page
    assert 'href="https://video.example/postmortems"' in page


SPEAKER = re.compile(r'<a class="speaker" href="[^"]+">[^<]+</a>(?: <span class="role">\([^)]*\)</span>)?')
TALK_DATE = re.compile(r'<time datetime="[^"]+">[^<]+</time>')


@pytest.mark.parametrize("q", ["flywire", "postmortems", "omar"])
def test_cards_show_what_the_talk_page_shows(uncached_client, q):
    app, client = uncached_client
    card = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
    talk_page = client.get("/talks/postmortems-at-flywire").get_data(as_text=True)
    speakers = re.search(r'<p class="talk-speakers">.*?</p>', talk_page, re.S).group(0)
    # Each speaker with their role and link, and the date, as the talk's own page shows them.
    assert SPEAKER.findall(card) == SPEAKER.findall(speakers) and len(SPEAKER.findall(card)) == 2
    assert TALK_DATE.findall(card) == TALK_DATE.findall(talk_page)[:1] != []
    assert "(SRE)" in card and 'href="/speakers/omar-lopez"' in card


@pytest.mark.parametrize("change", ["title", "speaker", "delete"])
def test_a_change_made_by_hand_bumps_the_content_version(uncached_client, change):
    app, client = uncached_client
    assert "flywire" in flywire_card(client.get("/", query_string={"q": "k"}, headers=HTMX)).lower()
    with app.app_context():
        session = get_session()
        talk = session.query(Talk).filter_by(slug="postmortems-at-flywire").one()
        if change == "title":
            talk.title = "Retrospectives at Flywire"
        elif change == "speaker":
            talk.appearances[0].role = "Chief Retrospective Officer"
        else:
            session.delete(talk)
        session.commit()
    page = client.get("/", query_string={"q": "k"}, headers=HTMX).get_data(as_text=True)
    if change == "delete":
        assert "postmortems-at-flywire" not in page
    else:
        assert {"title": "Retrospectives at Flywire", "speaker": "Chief Retrospective Officer"}[change] in page


def test_markup_in_cached_card_parts_is_shown_as_text(uncached_client):
    app, client = uncached_client
    with app.app_context():
        session = get_session()
        talk = session.query(Talk).filter_by(slug="postmortems-at-flywire").one()
        talk.title = "Postmortems <script>alert('t')</script>"
        talk.abstract = "<img src=x onerror=alert(1)> postmortems"
        talk.link_rows = [TalkLink(position=1, kind="video", url='https://video.example/"><script>alert(2)</script>')]
        talk.appearances[0].role = "<b>SRE</b>"
        talk.appearances[0].speaker.name = "Omar <i>López</i>"
        session.commit()
        bring_in_step(session, talk_index())
    for q in ("postmortem", "k", "", "postmortem"):  # a hit, the newest-first list, then from memory
        card = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
        for raw in ("<script>", "<img", "<b>", "<i>", '"><script'):
            assert raw not in card
        for shown in ("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;", "&lt;b&gt;SRE&lt;/b&gt;",
                      "Omar &lt;i&gt;López&lt;/i&gt;", 'href="https://video.example/&#34;&gt;&lt;script&gt;'):
            assert shown in card


@pytest.mark.parametrize("q", ["postmortem", "k"])
def test_cards_follow_the_interface_language_from_memory(uncached_client, q):
    app, client = uncached_client
    english = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
    client.set_cookie("ui_lang", "es")
    spanish = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
    client.set_cookie("ui_lang", "en")
    again = flywire_card(client.get("/", query_string={"q": q}, headers=HTMX))
    assert "27 November 2019" in english and "Talk given in Spanish" in english
    assert "27 de noviembre de 2019" in spanish and "Charla dada en español" in spanish
    assert "noviembre" not in again and again == english


def test_cards_follow_the_address_the_site_is_served_under(uncached_client):
    app, client = uncached_client
    plain = flywire_card(client.get("/", query_string={"q": "k"}, headers=HTMX))
    prefixed = flywire_card(client.get("/", query_string={"q": "k"}, headers=HTMX,
                                       environ_overrides={"SCRIPT_NAME": "/meetup"}))
    assert 'href="/talks/postmortems-at-flywire"' in plain and 'href="/speakers/omar-lopez"' in plain
    assert 'href="/meetup/talks/postmortems-at-flywire"' in prefixed and 'href="/meetup/speakers/omar-lopez"' in prefixed


def test_a_talk_reads_the_same_on_the_list_and_on_the_speaker_page(uncached_client):
    app, client = uncached_client
    listed = flywire_card(client.get("/", query_string={"q": "k"}, headers=HTMX))
    row = re.search(r'<li class="talk-row" data-slug="postmortems-at-flywire".*?</li>',
                    client.get("/speakers/omar-lopez").get_data(as_text=True), re.S).group(0)
    meta = re.compile(r'class="talk-meta">(.*?)</(?:p|span)>\s*(?:<p class="speakers"|</li>)', re.S)
    assert meta.search(listed).group(1) == meta.search(row).group(1)
    assert "Postmortems at Flywire" in row and "speaker" not in row  # the speaker's own page repeats no names


def test_the_version_is_read_on_one_kept_connection_that_sees_every_commit(uncached_client, make_app):
    app, client = uncached_client
    connects = []
    event.listen(app.extensions["meetup_engine"], "connect", lambda *args: connects.append(1))
    client.get("/", query_string={"q": "k"}, headers=HTMX)
    writer = make_app()  # another process's engine, say the organisers' import
    with writer.app_context():
        session = get_session()
        state = lock_content(session)
        session.query(Talk).filter_by(slug="postmortems-at-flywire").one().day = 28
        state.content_version += 1
        session.commit()
    for _ in range(3):
        assert "28 November 2019" in flywire_card(client.get("/", query_string={"q": "k"}, headers=HTMX))
    assert connects == []


def test_a_broken_version_connection_is_replaced(uncached_client):
    app, client = uncached_client
    client.get("/", query_string={"q": "k"}, headers=HTMX)
    reader = app.extensions["meetup_version_reader"]
    [kept] = reader._idle
    kept.connection.driver_connection.close()  # as when the server drops it
    assert client.get("/", query_string={"q": "k"}, headers=HTMX).status_code == 200
    assert reader._idle and reader._idle[0] is not kept


def test_a_forked_process_never_uses_its_parents_version_connection(uncached_client):
    app, client = uncached_client
    client.get("/", query_string={"q": "k"}, headers=HTMX)
    reader = app.extensions["meetup_version_reader"]
    [parents] = reader._idle
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child answers through the pipe and leaves without cleaning up the parent's state
        try:
            with app.test_request_context():
                reader.read(app.extensions["meetup_engine"])
            answer = b"own" if reader._idle and reader._idle[0] is not parents else b"parent's"
        except BaseException as error:
            answer = repr(error).encode()
        os.write(write, answer)
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 200) == b"own"
    os.close(read)
    assert reader._idle == [parents]
    assert client.get("/", query_string={"q": "k"}, headers=HTMX).status_code == 200


def test_a_warmed_worker_answers_first_letters_from_memory(make_app):
    app = make_app(SEED_ON_EMPTY=True, indexed=True, FRAGMENT_CACHE_BYTES=0)
    warm_newest_pages(app)
    client = app.test_client()
    client.get("/healthz")  # the once-per-process checks, which read the database themselves
    for q, lang in (("k", ""), ("", "es"), ("x", "en")):
        with statements(app) as seen:
            response = client.get("/", query_string={"q": q, "lang": lang}, headers=HTMX)
        assert response.status_code == 200 and card_slugs(response.get_data(as_text=True))
        assert len(seen) == 1 and "content_version" in seen[0]
    with app.app_context():
        session = get_session()
        session.query(Talk).filter_by(slug="postmortems-at-flywire").one().day = 28
        session.commit()
    assert "28 November 2019" in flywire_card(client.get("/", query_string={"q": "k"}, headers=HTMX))


def test_gunicorn_workers_warm_up_before_taking_requests(make_app, monkeypatch):
    import runpy

    app = make_app(SEED_ON_EMPTY=True, indexed=True)
    warmed = []
    monkeypatch.setattr("meetup.web.listing.warm_newest_pages", warmed.append)
    # What the warm-up read is then frozen (the test's own process keeps its collector).
    monkeypatch.setattr("meetup.gc_tuning.settle", lambda: warmed.append("settled"))
    monkeypatch.setitem(__import__("sys").modules, "app", type("module", (), {"app": app}))
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    config["post_fork"](server=None, worker=None)
    assert warmed == [app, "settled"]


def test_a_warmed_worker_compiles_no_template_for_its_first_search(make_app, monkeypatch):
    app = make_app(SEED_ON_EMPTY=True, indexed=True)
    client = app.test_client()
    client.get("/healthz")
    warm_newest_pages(app)
    compiled = []
    compile_template = app.jinja_env.compile
    monkeypatch.setattr(app.jinja_env, "compile", lambda *args, **kwargs: compiled.append(args[1:2]) or
                        compile_template(*args, **kwargs))
    for q, lang in (("kubernetes", ""), ("observabilidad", "es"), ("zzzz", "")):
        assert client.get("/", query_string={"q": q, "lang": lang}, headers=HTMX).status_code == 200
    assert client.get("/", query_string={"q": "kubernetes"}).status_code == 200  # the full page too
    assert compiled == []


def test_a_database_that_cannot_be_reached_is_tried_once_per_read(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'meetup.sqlite3'}", timeout=5.0)
    attempts = []
    event.listen(engine, "do_connect", lambda *args: attempts.append(1))
    with pytest.raises(OperationalError):
        VersionReader().read(engine)
    assert attempts == [1]
    engine.dispose()


@pytest.mark.parametrize("changed, carried", [("another talk", True), ("this talk", False)])
def test_a_card_the_change_left_as_it_was_is_carried_to_the_next_version(make_app, changed, carried):
    app = make_app(SEED_ON_EMPTY=True, indexed=True)
    with app.test_request_context("/"):
        session = get_session()
        shown, other = session.scalars(select(Talk.slug).order_by(Talk.id).limit(2)).all()
        before = cards_in_rank_order(session, [shown])[0]
        talk = session.scalars(select(Talk).where(Talk.slug == (shown if changed == "this talk" else other))).one()
        talk.title = "A title no talk had"
        session.commit()
        g.pop("content_version")  # the next request's version
        after = cards_in_rank_order(session, [shown])[0]
        assert (after is before) is carried
        assert after.title == session.scalar(select(Talk.title).where(Talk.slug == shown))
