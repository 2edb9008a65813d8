"""Events in the catalogue: a talk's identity never crosses events, addresses stay unique and readable, backups round-trip."""
from __future__ import annotations

import io

from dataclasses import replace

import pytest
from sqlalchemy import select

from meetup.catalog.db import get_session
from meetup.catalog.formats import EventRecord, Link, SpeakerCredit, TalkRecord, parse_talk_bytes, write_talks
from meetup.catalog.models import Event, SlugRedirect, Talk
from meetup.catalog.readback import all_events, all_records
from meetup.catalog.store import ImportConflict, import_records
from meetup.catalog.talkdate import TalkDate


def event(slug: str, name: str, day: str, **fields) -> EventRecord:
    return EventRecord(slug, name, "conference", TalkDate.parse(day), TalkDate(), source="pyvideo", source_id=slug, **fields)


def talk(title: str, event_slug: str | None, source_id: str | None, day: str = "2018-10-06", **fields) -> TalkRecord:
    # As another tool's reader gives it: the slug made from the title is a preference, not an identity.
    from meetup.catalog.slugs import slugify

    values = dict(slug=slugify(title), title=title, abstract=f"About {title}.", language="en", date=TalkDate.parse(day),
                  event=event_slug, source_id=source_id, slug_given=False)
    values.update(fields)
    return TalkRecord(**values)


PYCON_ES = event("pycon-es-2018", "PyCon ES 2018", "2018-10-06")
PYCON_AR = event("pycon-ar-2013", "PyCon AR 2013", "2013-10-24")


def stored(app) -> dict[str, tuple]:
    with app.app_context():
        session = get_session()
        rows = session.execute(select(Talk.slug, Talk.title, Talk.abstract, Event.slug).outerjoin(Event)).all()
        return {slug: (title, abstract, event_slug) for slug, title, abstract, event_slug in rows}


def store(app, records, events=(), **options):
    with app.app_context():
        return import_records(get_session(), records, events=events, **options)


def test_a_talk_of_one_event_never_replaces_a_talk_of_another(app):
    first = store(app, [talk("Lightning talks", "pycon-es-2018", "lightning-talks.json")], [PYCON_ES])
    second = store(app, [talk("Lightning talks", "pycon-ar-2013", "lightning-talks.json", "2013-10-24",
                              abstract="Five minutes each.")], [PYCON_AR])
    assert (first.added, second.added, second.updated) == (["lightning-talks"], ["lightning-talks-pycon-ar-2013"], [])
    assert second.events_added == ["pycon-ar-2013"]
    assert stored(app) == {
        "lightning-talks": ("Lightning talks", "About Lightning talks.", "pycon-es-2018"),
        "lightning-talks-pycon-ar-2013": ("Lightning talks", "Five minutes each.", "pycon-ar-2013"),
    }


def test_a_second_import_of_each_event_changes_nothing(app):
    es = [talk("Lightning talks", "pycon-es-2018", "a.json"), talk("Python Epiphanies", "pycon-es-2018", "b.json")]
    ar = [talk("Lightning talks", "pycon-ar-2013", "a.json", "2013-10-24")]
    store(app, es, [PYCON_ES])
    store(app, ar, [PYCON_AR])
    again_es, again_ar = store(app, es, [PYCON_ES]), store(app, ar, [PYCON_AR])
    assert not again_es.changed and not again_ar.changed
    assert again_es.unchanged == ["lightning-talks", "python-epiphanies"]
    assert again_ar.unchanged == ["lightning-talks-pycon-ar-2013"]


def test_one_title_given_in_three_years_stays_three_talks(app):
    years = [event(f"pycon-us-{year}", f"PyCon US {year}", f"{year}-05-01") for year in (2012, 2017, 2018)]
    for pycon in years:
        store(app, [talk("Python Epiphanies", pycon.slug, "python-epiphanies.json", pycon.starts.iso())], [pycon])
    assert sorted(stored(app)) == ["python-epiphanies", "python-epiphanies-pycon-us-2017", "python-epiphanies-pycon-us-2018"]


def test_a_changed_talk_is_updated_in_its_own_event_only(app):
    store(app, [talk("Lightning talks", "pycon-es-2018", "lt")], [PYCON_ES])
    store(app, [talk("Lightning talks", "pycon-ar-2013", "lt", "2013-10-24")], [PYCON_AR])
    report = store(app, [talk("Lightning talks", "pycon-ar-2013", "lt", "2013-10-24", abstract="New text.")], [PYCON_AR])
    assert report.updated == ["lightning-talks-pycon-ar-2013"] and report.unchanged == []
    assert stored(app)["lightning-talks"][1] == "About Lightning talks."


@pytest.mark.parametrize(("first", "second", "expected"), [
    # Same slug from different titles, no ids: two talks, the later one numbered.
    ("Tamaño de CI/CD", "Tamano de CI-CD", ["tamano-de-ci-cd", "tamano-de-ci-cd-2"]),
    # The same title again (case and spacing aside): the same talk.
    ("Tamaño de CI/CD", "tamaño de  CI/CD", ["tamano-de-ci-cd"]),
])
def test_talks_without_ids_are_the_same_only_with_the_same_title(app, first, second, expected):
    store(app, [talk(first, None, None)])
    store(app, [talk(second, None, None)])
    assert sorted(stored(app)) == expected


def test_a_renamed_talk_keeps_answering_at_its_old_address(app):
    store(app, [replace(talk("Old title", "pycon-es-2018", "x"), slug="old-title", slug_given=True)], [PYCON_ES])
    report = store(app, [replace(talk("New title", "pycon-es-2018", "x"), slug="new-title", slug_given=True)], [PYCON_ES])
    assert report.renamed == [("old-title", "new-title")] and report.updated == ["new-title"]
    with app.app_context():
        assert get_session().scalars(select(SlugRedirect.slug)).all() == ["old-title"]
    client = app.test_client()
    response = client.get("/talks/old-title")
    assert response.status_code == 301 and response.headers["Location"].endswith("/talks/new-title")
    assert client.get("/api/talks/old-title").status_code == 301
    assert client.get("/talks/never-was").status_code == 404


def test_a_new_talk_may_take_an_old_address_and_the_redirect_goes(app):
    store(app, [replace(talk("Old", None, None), slug="old", slug_given=True, source_id="1", event="pycon-es-2018")], [PYCON_ES])
    store(app, [replace(talk("Renamed", None, None), slug="renamed", slug_given=True, source_id="1", event="pycon-es-2018")], [PYCON_ES])
    store(app, [replace(talk("Other", None, None), slug="old", slug_given=True)])
    with app.app_context():
        assert get_session().scalars(select(SlugRedirect.slug)).all() == []
    assert app.test_client().get("/talks/old").status_code == 200


def test_a_chosen_slug_another_talk_holds_is_refused(app):
    store(app, [replace(talk("One", None, None), slug="one", slug_given=True)])
    store(app, [replace(talk("Two", "pycon-es-2018", "2"), slug="two", slug_given=True)], [PYCON_ES])
    with pytest.raises(ImportConflict, match="'one' belongs to another talk"):
        store(app, [replace(talk("Two", "pycon-es-2018", "2"), slug="one", slug_given=True)], [PYCON_ES])
    assert sorted(stored(app)) == ["one", "two"]


def test_prune_keeps_to_the_events_of_the_file(app):
    store(app, [talk("A", "pycon-es-2018", "a"), talk("B", "pycon-es-2018", "b")], [PYCON_ES])
    store(app, [talk("C", "pycon-ar-2013", "c", "2013-10-24")], [PYCON_AR])
    report = store(app, [talk("A", "pycon-es-2018", "a")], [PYCON_ES], prune=True)
    assert report.pruned == ["b"] and sorted(stored(app)) == ["a", "c"]


def test_an_event_named_only_by_talks_is_made_once_and_never_rewritten(app, write_file):
    text = ("- title: Uno\n  language: es\n  date: 2017-10-23\n  event: devopsdays Cuba 2017\n"
            "- title: Dos\n  language: es\n  date: 2017-10-24\n  event: devopsdays Cuba 2017\n")
    talk_file = parse_talk_bytes(text.encode(), "t.yaml")
    (named,) = talk_file.events
    assert (named.slug, named.name, named.starts.iso(), named.ends.iso(), named.described) == (
        "devopsdays-cuba-2017", "devopsdays Cuba 2017", "2017-10-23", "2017-10-24", False)
    assert store(app, talk_file.records, talk_file.events).events_added == ["devopsdays-cuba-2017"]
    described = replace(named, name="DevOpsDays Cuba 2017", place="La Habana", described=True)
    assert store(app, [], [described]).events_updated == ["devopsdays-cuba-2017"]
    again = store(app, talk_file.records, talk_file.events)
    assert not again.changed
    with app.app_context():
        assert [e.name for e in all_events(get_session())] == ["DevOpsDays Cuba 2017"]


ROUND_TRIP = [
    replace(talk("Observability 101", "meetup-2021-03-10", None, "2021-03-10"), slug="observability-101", slug_given=True,
            speakers=(SpeakerCredit("Ana Lopez", "SRE (lead)"), SpeakerCredit("Bob (Robert)", "CTO, Example; ops"),
                      SpeakerCredit("Carla", None), SpeakerCredit("Dan", "a (b) c")),
            links=(Link("video", "https://youtu.be/x", "Recording"), Link("other", "https://youtu.be/y", "My previous talk"),
                   Link("slides", "https://example.org/s.pdf"), Link("slides", "https://example.org/s2.pdf")),
            abstract="Intro.\n\nMore", abstract_html="<p>Intro.</p><p><strong>More</strong></p>"),
    replace(talk("Plain", None, None, "2020"), slug="plain", slug_given=True,
            links=(Link("slides", "https://example.org/p"), Link("video", "https://example.org/v"))),
    replace(talk("From pretalx", "pycon-es-2018", "ABCD"), slug="from-pretalx", slug_given=True),
]
ROUND_TRIP_EVENTS = [
    EventRecord("meetup-2021-03-10", "Meetup 2021-03-10", "meetup", TalkDate(2021, 3, 10)),
    replace(PYCON_ES, ends=TalkDate(2018, 10, 7), place="Málaga", url="https://2018.es.pycon.org/"),
]


def exported(session) -> str:
    """Return the export of every event and talk, as `flask export-talks` writes it."""
    buffer = io.StringIO()
    write_talks(all_records(session), buffer, events=all_events(session))
    return buffer.getvalue()


def test_export_then_import_changes_nothing(app):
    store(app, ROUND_TRIP, ROUND_TRIP_EVENTS)
    with app.app_context():
        text = exported(get_session())
    talk_file = parse_talk_bytes(text.encode(), "export.yaml")
    assert {e.slug: replace(e, line=0) for e in talk_file.events} == {e.slug: e for e in ROUND_TRIP_EVENTS}
    assert {r.slug: replace(r, line=0) for r in talk_file.records} == {
        r.slug: replace(r, slug_given=True) for r in ROUND_TRIP}
    report = store(app, talk_file.records, talk_file.events)
    assert not report.changed and len(report.unchanged) == 3


def test_an_empty_archive_exports_a_file_that_imports(app):
    with app.app_context():
        text = exported(get_session())
    talk_file = parse_talk_bytes(text.encode(), "empty.yaml")
    assert talk_file.records == [] and talk_file.events == []
    assert not store(app, talk_file.records, talk_file.events).changed


def test_look_alike_speaker_names_get_numbered_slugs(app):
    names = [f"Ana{'!' * n}" for n in range(1, 40)]  # all slugify to "ana"
    store(app, [talk("Many", None, None, speakers=tuple(SpeakerCredit(name) for name in names))])
    from meetup.catalog.models import Speaker
    with app.app_context():
        slugs = get_session().scalars(select(Speaker.slug)).all()
    assert sorted(slugs) == sorted(["ana"] + [f"ana-{n}" for n in range(2, 40)])


@pytest.mark.parametrize(("cell", "event", "links"), [
    ("PyDay Madrid", "pyday-madrid", ()),
    ("https://pyday.example/talk/1", None, (Link("event", "https://pyday.example/talk/1"),)),
])
def test_a_csv_event_column_names_an_event_or_links_the_talks_page(cell, event, links):
    talk_file = parse_talk_bytes(f"title,language,date,event\nUno,es,2024-03-02,{cell}\n".encode(), "t.csv", "csv")
    (record,) = talk_file.records
    assert (record.event, record.links) == (event, links)
    assert [e.name for e in talk_file.events] == ([cell] if event else [])


def test_an_event_known_by_its_tools_id_keeps_its_slug_when_the_file_names_it_otherwise(app):
    store(app, [talk("Keynote", "pycon-es-2018", "k")], [PYCON_ES])
    renamed = replace(PYCON_ES, slug="pycones-2018", name="PyConES 2018")
    report = store(app, [talk("Keynote", "pycones-2018", "k")], [renamed])
    assert report.events_updated == ["pycon-es-2018"] and report.unchanged == ["keynote"] and not report.events_added
    with app.app_context():
        assert [(e.slug, e.name) for e in all_events(get_session())] == [("pycon-es-2018", "PyConES 2018")]
