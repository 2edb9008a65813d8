"""Schedule JSON and XML (pretalx, frab, pentabarf, wafer, the c3voc hub): mapping, slots, languages, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from meetup.catalog.formats import TalkFileError, load_talk_file, parse_talk_text, read_talk_file
from meetup.catalog.formats.external import is_non_talk, language_code
from meetup.catalog.formats.links import link_kind
from meetup.catalog.formats.records import Link, SpeakerCredit

DATA = Path(__file__).resolve().parent / "data"
FILES = [DATA / "schedule.json", DATA / "schedule.xml"]
SCHEDULES = DATA / "schedules"

PRETALX_EVENT_URL = "https://pretalx.example.org/devopsdays-madrid-2024/talk/"
EXPECTED = {
    "devopsdays-madrid-2024-101-observabilidad-sin-humo": (
        "Observabilidad sin humo", "2024-05-16", "es", ("Ana Gómez", "José Pérez"),
        [("event", PRETALX_EVENT_URL + "QX7KDA/"), ("slides", "https://slides.example.org/observabilidad.pdf"),
         ("video", "https://media.example.org/v/observabilidad")],
        "Qué medir antes de comprar otra herramienta.\n\nContamos cómo pasamos de tres paneles sin dueño "
        "a unos pocos indicadores que el equipo de guardia revisa cada semana.",
    ),
    "devopsdays-madrid-2024-103-chaos-days-for-small-teams": (
        "Chaos days for small teams", "2024-05-16", "en", ("Li Wei",),
        [("event", PRETALX_EVENT_URL + "CH4OS3/"), ("video", "https://www.youtube.com/watch?v=abcdefghijk")],
        "Breaking things on purpose, on a budget.",
    ),
    "devopsdays-madrid-2024-201-plataformas-internas": (
        "Plataformas internas: lecciones aprendidas", "2024-05-17", "es", ("José Pérez",),
        [("event", PRETALX_EVENT_URL + "PLT201/")], "Un taller sobre plataformas internas.",
    ),
}


def summary(record) -> tuple:
    return (record.title, record.date.iso(), record.language, tuple(s.name for s in record.speakers),
            [(link.kind, link.url) for link in record.links], record.abstract)


@pytest.mark.parametrize("path", FILES, ids=["json", "xml"])
def test_pretalx_schedule_maps_talks_and_its_conference(path):
    talk_file = load_talk_file(path, skip_other_languages=True)
    by_slug = {record.slug: record for record in talk_file.records}
    assert {slug: summary(by_slug[slug]) for slug in EXPECTED} == EXPECTED
    # "Lunch" typed "Other" with no persons is no talk; a talk is never left out for listing no speakers.
    assert talk_file.skipped.slots == ["Coffee break (Break, 2024-05-16)", "Lunch (Other, 2024-05-16)"]
    (event,) = talk_file.events
    assert (event.slug, event.name, event.source, event.source_id, event.starts.iso(), event.ends.iso()) == (
        "devopsdays-2024-madrid", "DevOpsDays Madrid 2024", "pretalx", "devopsdays-2024-madrid", "2024-05-16", "2024-05-17")
    assert {record.event for record in talk_file.records} == {"devopsdays-2024-madrid"}
    assert by_slug["devopsdays-madrid-2024-103-chaos-days-for-small-teams"].source_id == "0f3e6c1a-7d43-5b0e-8a11-2b9f7c6d5e03"
    assert not any(record.slug_given for record in talk_file.records)


def test_json_and_xml_of_one_schedule_give_the_same_talks():
    from_json, from_xml = (read_talk_file(path, skip_other_languages=True) for path in FILES)
    assert [(r.slug, r.title, r.speakers, [link.url for link in r.links], r.abstract, r.source_id) for r in from_json] == \
        [(r.slug, r.title, r.speakers, [link.url for link in r.links], r.abstract, r.source_id) for r in from_xml]


@pytest.mark.parametrize(("path", "where"), [
    (FILES[0], "schedule.json: event 6 (/schedule/conference/days/1/rooms/Sala Grande/1)"),
    (FILES[1], "schedule.xml:129: event 6"),
], ids=["json", "xml"])
def test_a_talk_in_another_language_is_refused_by_name(path, where):
    with pytest.raises(TalkFileError) as refused:
        load_talk_file(path)
    described = [problem.describe(path.name) for problem in refused.value.problems]
    assert described == [f'{where}: talk "Betriebssicherheit im Rechenzentrum": language: the talk is in German (\'de\'); the '
                         "archive holds English and Spanish talks: pass --skip-other-languages to leave such talks out"]


ADDRESS = "https://fosdem.example.org/2025/schedule/event/reproducible_builds/attachments/slides/1/export/events/attachments/reproducible_builds/slides/1/rb.pdf"
# Each tool's own export as documented: (file, format, event (slug, name, source, place), talks (slug: id, language,
# speakers, links as (kind, title)), slots left out by name).
TOOLS = [
    ("pentabarf.xml", "Schedule XML (pentabarf)", ("fosdem-2025", "FOSDEM 2025", "pentabarf", "ULB Solbosch Campus, Brussels"), {
        "welcome": ("5001", "en", (), [("video", "Video recording (WebM/VP9)"), ("other", "Submit feedback")]),
        "reproducible-builds": ("5002", "en", ("Ana Example", "Bob Sample"), [
            ("video", "Video recording (WebM/VP9)"), ("video", "Video recording (mp4)"), ("other", "Submit feedback"),
            ("slides", "Slides"), ("slides", "Paper")]),
        "devroom-intro": ("5003", "en", (), []),
        "rust-workshop": ("5004", "en", ("Carla Demo",), []),
    }, [], ["Hands-on embedded Rust (id 5004)"]),
    ("wafer.xml", "Schedule XML (wafer)", ("debconf-25", "DebConf 25", "wafer", None), {
        "debian-on-small-boards": ("31", "en", ("Dana Tester",), [("event", "Talk page")]),
        "empaquetado-para-principiantes": ("33", "es", ("Eva Prueba",), []),
    }, ["Lunch (Lunch, 2025-07-14)"], []),
    ("frab.xml", "Schedule XML (frab)", ("bsides-2024", "BSides Example 2024", "frab", None), {
        "bsides-2024-101-threat-modelling-in-an-afternoon": ("6f1c0b1e-0000-4000-8000-000000000101", "en", (), [
            ("event", None), ("other", "My previous BSides talk"), ("other", "Conference Website"), ("slides", "Slides"),
            ("video", "Recording"), ("other", "Notes, part 1"), ("other", "Notes, part 2")]),
    }, ["Lunch (Break, 2024-10-05)"], []),
    ("hub-v2.json", "Schedule JSON (c3voc hub)", ("example-c3", "Example Congress", "c3voc hub", None), {
        "example-c3-1-opening": ("b0000000-0000-4000-8000-000000000001", "en", ("Gabi Muster",), [("event", None), ("video", "Recording")]),
        "example-c3-3-radio": ("b0000000-0000-4000-8000-000000000003", "en", ("Hans Probe",), [("slides", "Handout")]),
    }, [], []),
]


@pytest.mark.parametrize(("file", "fmt", "event", "talks", "slots", "repeats"), TOOLS, ids=[tool[0] for tool in TOOLS])
def test_each_tool_imports_as_exported(file, fmt, event, talks, slots, repeats):
    talk_file = load_talk_file(SCHEDULES / file, skip_other_languages=True, skip_invalid=True)
    assert talk_file.format == fmt
    assert [(e.slug, e.name, e.source, e.place) for e in talk_file.events] == [event]
    assert {r.slug: (r.source_id, r.language, tuple(s.name for s in r.speakers), [(link.kind, link.title) for link in r.links])
            for r in talk_file.records} == talks
    assert {r.event for r in talk_file.records} == {event[0]}
    assert talk_file.skipped.slots == slots
    assert talk_file.skipped.repeats == repeats


def test_pentabarf_html_becomes_text_and_safe_markup():
    records = {r.slug: r for r in read_talk_file(SCHEDULES / "pentabarf.xml")}
    talk = records["reproducible-builds"]
    assert "<" not in talk.abstract and "We look at compilers, archives and timestamps." in talk.abstract
    assert "<strong>compilers</strong>" in talk.abstract_html and "<li>Debian</li>" in talk.abstract_html
    assert "script" not in talk.abstract_html and "alert" not in talk.abstract_html + talk.abstract
    assert any(link.url == ADDRESS and link.kind == "slides" for link in talk.links)


def test_frab_markdown_becomes_text_and_markup_and_a_language_list_resolves():
    (talk,) = read_talk_file(SCHEDULES / "frab.xml", skip_other_languages=True)
    assert talk.language == "en"  # written "de, en"
    assert talk.abstract == "A short method for small teams, with a worksheet.\n\nWe walk through one real system and list its threats in ninety minutes."
    assert '<strong>short</strong>' in talk.abstract_html and '<a href="https://example.org/sheet"' in talk.abstract_html
    assert talk.speakers == ()  # a talk with no persons listed is still a talk


def test_hub_test_event_is_left_out_with_its_reason_by_skip_invalid():
    with pytest.raises(TalkFileError) as refused:
        load_talk_file(SCHEDULES / "hub-v2.json")
    assert [p.talk for p in refused.value.problems] == ["test"]
    talk_file = load_talk_file(SCHEDULES / "hub-v2.json", skip_invalid=True)
    assert [(p.talk, p.field) for p in talk_file.invalid] == [("test", "language")]
    assert "1 invalid talk(s) left out" in talk_file.notes()


@pytest.mark.parametrize(("language", "expected"), [(None, "en"), ("es", "es")])
def test_missing_language_is_detected_or_given(language, expected):
    talk_file = load_talk_file(SCHEDULES / "pentabarf.xml", language=language)
    assert {record.language for record in talk_file.records} == {expected}
    how = "detected" if language is None else "given"
    assert [(title, how_set) for title, _, how_set in talk_file.languages_set][:1] == [("Welcome to the conference", how)]
    named = "English 4" if language is None else "Spanish 4"
    assert f"for 4 talk(s) ({named})" in talk_file.notes()


def event(**fields) -> dict:
    base = {"title": "A talk", "language": "en", "type": "Talk", "persons": [{"public_name": "Ana"}],
            "date": "2024-05-16T09:30:00+02:00"}
    return {**base, **fields}


def schedule_json(*events) -> bytes:
    return json.dumps({"schedule": {"version": "1", "conference": {"days": [{"rooms": {"Main": list(events)}}]}}}).encode()


def schedule_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0"?>\n{prolog}<schedule>\n<day date="2024-05-16">\n<room name="Main">\n'
            f"{body}</room>\n</day>\n</schedule>\n").encode()


XML_TALK = "<event id='1'>\n<title>{title}</title>\n<type>Talk</type>\n<language>{language}</language>\n<date>{date}</date>\n" \
           "<persons><person>Ana</person></persons>\n</event>\n"
BOMB = ('<!DOCTYPE schedule [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n')
XXE = '<!DOCTYPE schedule [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'

ERRORS = [
    ("malformed JSON", "s.json", b'{"schedule": {"version": "1",\n "conference": }}', "s.json:2: malformed JSON: Expecting value"),
    ("no days", "s.json", b'{"schedule": {"version": "1", "conference": {}}}',
     "s.json: /schedule/conference/days: expected a list of days"),
    ("event without title", "s.json", schedule_json(event(), event(title="")),
     's.json: event 2 (/schedule/conference/days/0/rooms/Main/1): talk "untitled": title: is required'),
    ("bad date", "s.json", schedule_json(event(date="16/05/2024")),
     "s.json: event 1 (/schedule/conference/days/0/rooms/Main/0): talk \"A talk\": date: '16/05/2024' is not an ISO date-time"),
    ("persons not a list", "s.json", schedule_json(event(persons="Ana")),
     's.json: event 1 (/schedule/conference/days/0/rooms/Main/0): talk "A talk": persons: must be a list of people'),
    ("unknown language", "s.json", schedule_json(event(language="Klingon")),
     "language: the talk is in Klingon ('Klingon')"),
    ("no language, too short to tell", "s.json", schedule_json(event(language="")),
     'talk "A talk": language: no language given, and it cannot be told with confidence from the title and abstract; '
     "pass --language en/es for such talks, or --skip-other-languages to leave them out"),
    ("a language list with none the archive holds", "s.json", schedule_json(event(language="de, fr")),
     "language: the talk is in German, French ('de, fr')"),
    ("same title twice, no ids", "s.json", schedule_json(event(), event()),
     "two talks of one event have the title's slug 'a-talk' and no id of their own (event 1"),
    ("pretalx API output", "s.json", json.dumps({"slots": [], "breaks": []}).encode(),
     "s.json: this is pretalx's API output (/api/events/…/schedules/…); export the schedule as /schedule/export/schedule.json"),
    ("a version of 5,000 digits", "s.json", b'{"schedule": {"version": ' + b"9" * 5000 + b"}}",
     "s.json: a number of 5,000 characters; numbers in a talk file have at most 30"),
    ("duplicate keys", "s.json", b'{"schedule": {"version": "1", "version": "2"}}',
     "s.json: the key 'version' is given twice in one object; which one is meant?"),
    ("offset +99:99", "s.json", schedule_json(event(date="2024-05-18T10:00:00+99:99")),
     "date: '2024-05-18T10:00:00+99:99' is not an ISO date-time: offset must be a timedelta"),
    ("date with garbage", "s.json", schedule_json(event(date="2024-05-18garbage!!")),
     "date: '2024-05-18garbage!!' is not an ISO date-time (such as"),
    ("full-width digits", "s.json", schedule_json(event(date="２０２４-05-18")),
     "date: '２０２４-05-18' is not an ISO date-time"),
    ("invisible title", "s.json", schedule_json(event(title="\u200b\u200d")),
     "title: has no visible characters (only zero-width or format characters)"),
    ("bidi override in a title", "s.json", schedule_json(event(title="Talk \u202egnp.exe")),
     "title: contains the control character U+202E"),
    ("conference start not a date", "s.json",
     json.dumps({"schedule": {"version": "1", "conference": {"title": "C", "start": "2024-13-01", "days": [
         {"rooms": {"Main": [event()]}}]}}}).encode(), "s.json: /schedule/conference: event: starts: '2024-13-01' is not an ISO date-time"),
    ("malformed XML", "s.xml", b"<schedule>\n<day>\n</schedule>\n", "s.xml:3: malformed XML: mismatched tag"),
    ("XML event without title", "s.xml", schedule_xml(XML_TALK.format(title="", language="en", date="2024-05-16")),
     's.xml:6: event 1: talk "1": title: is required'),
    ("XML bad date", "s.xml", schedule_xml(XML_TALK.format(title="X", language="en", date="soon")),
     "s.xml:9: event 1: talk \"X\": date: 'soon' is not an ISO date-time"),
    ("XML language line", "s.xml", schedule_xml(XML_TALK.format(title="X", language="fr", date="2024-05-16")),
     "s.xml:8: event 1: talk \"X\": language: the talk is in French ('fr')"),
    ("XML entity expansion", "s.xml", schedule_xml(XML_TALK.format(title="&c;", language="en", date="2024-05-16"), BOMB),
     "s.xml: the XML declares entities or external references (EntitiesForbidden)"),
    ("XML external entity", "s.xml", schedule_xml(XML_TALK.format(title="&secret;", language="en", date="2024-05-16"), XXE),
     "s.xml: the XML declares entities or external references"),
    ("XML that is not a schedule", "s.xml", b"<talks><talk/></talks>", "s.xml:1: an XML file must be a conference schedule"),
    ("only breaks", "s.json", schedule_json(event(type="Break", persons=[])),
     "s.json: the file holds no talks to import (skipped 1 non-talk slot(s)"),
]


@pytest.mark.parametrize(("case", "name", "data", "expected"), ERRORS, ids=[case[0] for case in ERRORS])
def test_schedule_problems_name_their_place(case, name, data, expected):
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(data, name)
    described = "\n".join(problem.describe(name) for problem in refused.value.problems)
    assert expected in described


@pytest.mark.parametrize(("written", "code"), [
    ("en", "en"), ("EN", "en"), ("en-US", "en"), ("en_GB", "en"), ("eng", "en"), ("English", "en"),
    ("es", "es"), ("es-419", "es"), ("spa", "es"), ("Spanish", "es"), ("Español", "es"), ("castellano", "es"),
    ("de", None), ("German", None), ("", None), (None, None), (3, None),
    ("inglés", "en"), ("ingles", "en"), ("espanol", "es"), ("ESPAÑOL", "es"), ("spa_ES", "es"), ("eng-GB", "en"),
    ("und", None), ("und-ES", None), ("root", None), ("zh-Hant", None), ("de, en", None), ("x" * 500, None),
])
def test_language_codes_and_names(written, code):
    assert language_code(written) == code


@pytest.mark.parametrize(("kind", "title", "skipped"), [
    ("Break", "Coffee", True), ("lunch", "Lunch with sponsors", True), ("Pause", None, True), ("Talk", "Lunch", False),
    ("Talk 30 min + 10min Q&A", "A talk", False), ("keynote", "Welcome", False), ("Other", "Lunch", True),
    ("Other", "A talk", False), (None, "Coffee break", True), (None, "Anything", False), ("devroom", "Registration", True),
])
def test_slots_are_left_out_by_type_never_for_having_no_speakers(kind, title, skipped):
    assert is_non_talk(kind, title) is skipped


@pytest.mark.parametrize(("url", "title", "kind", "expected"), [
    ("https://x.org/s.pdf", "", "slides", "slides"),
    ("https://x.org/a", "Slides", "", "slides"),
    ("https://speakerdeck.com/a/b", "", "", "slides"),
    ("https://x.org/a", "", "media", "video"),
    ("https://www.youtube.com/watch?v=a", "", "", "video"),
    ("https://media.ccc.de/v/a", "", "", "video"),
    ("https://x.org/a", "Video recording", "", "video"),
    ("https://www.youtube.com/watch?v=a", "My previous BSides talk", "", "other"),
    ("https://web.archive.org/web/2024/https://x.org/", "Conference Website", "", "other"),
    ("https://web.archive.org/web/2024/https://x.org/", "", "", "other"),
    ("https://blog.example.org/post", "Blog", "web", "other"),
    ("https://2019.es.pycon.org/schedule/a", "Conference schedule", "", "event"),
    ("https://debconf.example.org/talks/31/", "Talk page", "", "event"),
    ("https://www.youtube.com/watch?v=a", "https://www.youtube.com/watch?v=a", "", "video"),
])
def test_link_kinds_title_first_then_host(url, title, kind, expected):
    assert link_kind(url, title, kind) == expected


def test_schedule_talk_count_is_bounded(monkeypatch):
    monkeypatch.setattr("meetup.catalog.formats.schedule.MAX_SLOTS", 1)
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(schedule_json(event(title="One"), event(title="Two", type="Break")), "s.json")
    assert refused.value.problems[0].describe("s.json") == "s.json: the schedule holds more than 1 slots; split it into several files"


@pytest.mark.parametrize(("name", "data"), [
    ("s.json", json.dumps({"schedule": {"version": "1", "base_url": "https://cfp.example.org/ev/schedule/",
                                        "conference": {"days": [{"rooms": {"Main": [event(url="../talk/ABC/")]}}]}}}).encode()),
    ("s.xml", b"<schedule><conference><base_url>https://cfp.example.org/ev/schedule/</base_url></conference>"
              b"<day date='2024-05-16'><room name='Main'><event id='1'><title>A talk</title><type>Talk</type>"
              b"<language>en</language><url>../talk/ABC/</url><persons><person>Ana</person></persons></event>"
              b"</room></day></schedule>"),
], ids=["json", "xml"])
def test_relative_links_resolve_against_base_url(name, data):
    (record,) = parse_talk_text(data, name)
    assert record.links == (Link("event", "https://cfp.example.org/ev/talk/ABC/"),)
    assert record.date.iso() == "2024-05-16"


@pytest.mark.parametrize(("written", "expected"), [
    ("de, en", "en"), ("en, de", "en"), ("Deutsch/English", "en"), ("es; en", "es"), ("German and Spanish", "es"),
])
def test_a_language_list_resolves_to_a_language_the_archive_holds(written, expected):
    (record,) = parse_talk_text(schedule_json(event(language=written)), "s.json")
    assert record.language == expected


def test_a_talk_in_two_slots_is_one_talk_and_odd_speakers_are_ignored():
    talk_file = load_talk_file_bytes(schedule_json(
        event(guid="w1", title="Workshop", persons=[{"public_name": "Ana"}, {"public_name": ""}, ""]),
        event(guid="w1", title="Workshop", date="2024-05-17T09:30:00+02:00")))
    (record,) = talk_file.records
    assert (record.source_id, record.speakers, record.date.iso()) == ("w1", (SpeakerCredit("Ana"),), "2024-05-16")
    assert talk_file.skipped.repeats == ["Workshop (id w1)"]


def test_an_over_long_abstract_is_cut_at_a_paragraph_and_noted():
    paragraphs = "\n\n".join(f"Paragraph {number} " + " ".join(["word"] * 200) for number in range(25))
    talk_file = load_talk_file_bytes(schedule_json(event(abstract=paragraphs)))
    (record,) = talk_file.records
    assert len(paragraphs) > 20_000 >= len(record.abstract)
    assert record.abstract.endswith("word\n\n[…]") and paragraphs.startswith(record.abstract[:-5])
    assert talk_file.cut == [("A talk", len(paragraphs))]


def test_the_c3voc_schema_2_flat_event_list_is_read():
    document = {"schedule": {"version": "2", "conference": {"acronym": "c", "title": "C", "rooms": [{"name": "A"}]},
                             "events": [event(guid="e1"), event(guid="e2", title="Second talk")]}}
    talk_file = load_talk_file_bytes(json.dumps(document).encode())
    assert [(r.title, r.source_id, r.event) for r in talk_file.records] == [("A talk", "e1", "c"), ("Second talk", "e2", "c")]


@pytest.mark.parametrize(("module", "bound", "data", "expected"), [
    ("jsontext", "MAX_JSON_ITEMS", b'{"schedule": {"conference": {"days": [{"rooms": {"A": [' + b",".join([b"{}"] * 50) + b"]}}]}}}",
     "s.json: the JSON holds more than 40 objects and numbers; a talk file needs far fewer"),
    ("xmltree", "MAX_XML_ELEMENTS", b"<schedule>" + b"<x/>" * 50 + b"</schedule>",
     "s.json:1: the XML holds more than 40 elements; a schedule needs far fewer"),
])
def test_structure_is_counted_while_parsing(monkeypatch, module, bound, data, expected):
    monkeypatch.setattr(f"meetup.catalog.formats.{module}.{bound}", 40)
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(data, "s.json")
    assert [p.describe("s.json") for p in refused.value.problems] == [expected]


def load_talk_file_bytes(data: bytes):
    from meetup.catalog.formats import parse_talk_bytes

    return parse_talk_bytes(data, "s.json")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_generated_thousand_talk_schedule_reads_whole(tmp_path, fmt):
    from tests.benchmarks.schedule_bench import schedule_json, schedule_xml

    path = tmp_path / f"schedule.{fmt}"
    path.write_text(json.dumps(schedule_json(1000)) if fmt == "json" else schedule_xml(1000), encoding="utf-8")
    talk_file = load_talk_file(path)
    assert len(talk_file.records) == 1000 and len({r.source_id for r in talk_file.records}) == 1000
    assert {r.language for r in talk_file.records} == {"en", "es"}
