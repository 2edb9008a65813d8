"""Schedule JSON and XML (frab, pretalx): mapping, skipped slots, languages, dry runs, idempotence, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk
from meetup.catalog.formats import TalkFileError, parse_talk_text, read_talk_file
from meetup.catalog.formats.external import is_non_talk, language_code, link_kind

DATA = Path(__file__).resolve().parent / "data"
FILES = [DATA / "schedule.json", DATA / "schedule.xml"]


def stored_talks(app) -> dict[str, dict]:
    with app.app_context():
        talks = get_session().scalars(select(Talk)).all()
        return {t.slug: {"title": t.title, "date": t.date.iso(), "language": t.language, "speakers": t.speaker_names,
                         "links": t.links, "abstract": t.abstract} for t in talks}


EXPECTED = {
    "devopsdays-madrid-2024-101-observabilidad-sin-humo": {
        "title": "Observabilidad sin humo", "date": "2024-05-16", "language": "es",
        "speakers": ["Ana Gómez", "José Pérez"],
        "links": {"slides": "https://slides.example.org/observabilidad.pdf",
                  "video": "https://media.example.org/v/observabilidad",
                  "event": "https://pretalx.example.org/devopsdays-madrid-2024/talk/QX7KDA/"},
        "abstract": "Qué medir antes de comprar otra herramienta.\n\nContamos cómo pasamos de tres paneles sin dueño "
                    "a unos pocos indicadores que el equipo de guardia revisa cada semana.",
    },
    "devopsdays-madrid-2024-103-chaos-days-for-small-teams": {
        "title": "Chaos days for small teams", "date": "2024-05-16", "language": "en", "speakers": ["Li Wei"],
        "links": {"video": "https://www.youtube.com/watch?v=abcdefghijk",
                  "event": "https://pretalx.example.org/devopsdays-madrid-2024/talk/CH4OS3/"},
        "abstract": "Breaking things on purpose, on a budget.",
    },
    "devopsdays-madrid-2024-201-plataformas-internas": {
        "title": "Plataformas internas: lecciones aprendidas", "date": "2024-05-17", "language": "es",
        "speakers": ["José Pérez"],
        "links": {"event": "https://pretalx.example.org/devopsdays-madrid-2024/talk/PLT201/"},
        "abstract": "Un taller sobre plataformas internas.",
    },
}


@pytest.mark.parametrize("path", FILES, ids=["json", "xml"])
def test_schedule_maps_talks_skips_slots_and_imports_once(app, runner, path):
    result = runner.invoke(args=["import-talks", "--skip-other-languages", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 added, 0 updated, 0 unchanged, 0 removed" in result.output
    assert "skipped 2 non-talk slot(s) (breaks and the like) and 1 talk(s) in other languages (German 1)" in result.output
    assert stored_talks(app) == EXPECTED
    again = runner.invoke(args=["import-talks", "--skip-other-languages", str(path)])
    assert "0 added, 0 updated, 3 unchanged, 0 removed" in again.output


def test_json_and_xml_of_one_schedule_give_the_same_talks():
    from_json, from_xml = (read_talk_file(path, skip_other_languages=True) for path in FILES)
    assert [(r.slug, r.title, r.speakers, r.links, r.abstract) for r in from_json] == \
        [(r.slug, r.title, r.speakers, r.links, r.abstract) for r in from_xml]


@pytest.mark.parametrize(("path", "where"), [
    (FILES[0], "schedule.json: event 6 (/schedule/conference/days/1/rooms/Sala Grande/1)"),
    (FILES[1], "schedule.xml:129: event 6"),
], ids=["json", "xml"])
def test_a_talk_in_another_language_is_refused_by_name(app, runner, path, where):
    result = runner.invoke(args=["import-talks", str(path)])
    assert result.exit_code == 1
    output = result.output.replace(str(DATA) + "/", "")
    assert (f'{where}: talk "Betriebssicherheit im Rechenzentrum": language: the talk is in German (\'de\'); the '
            "archive holds English and Spanish talks: pass --skip-other-languages to leave such talks out") in output
    assert "1 problem(s); nothing was imported" in output
    assert stored_talks(app) == {}


@pytest.mark.parametrize("path", FILES, ids=["json", "xml"])
def test_dry_run_of_a_schedule_writes_nothing(app, runner, path):
    result = runner.invoke(args=["import-talks", "--dry-run", "--skip-other-languages", str(path)])
    assert result.exit_code == 0, result.output
    assert "dry run: would make 3 added" in result.output
    assert "would add: devopsdays-madrid-2024-101-observabilidad-sin-humo" in result.output
    assert stored_talks(app) == {}


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
    ("person without a name", "s.json", schedule_json(event(persons=[{"id": 3}])),
     "persons: person 1 has no name (public_name or name)"),
    ("unknown language", "s.json", schedule_json(event(language="Klingon")),
     "language: the talk is in Klingon ('Klingon')"),
    ("no language", "s.json", schedule_json(event(language="")), 'talk "A talk": language: is required'),
    ("same title twice, no slugs", "s.json", schedule_json(event(), event()),
     "two talks would get the slug 'a-talk' (event 1 (/schedule/conference/days/0/rooms/Main/0) and event 2"),
    ("malformed XML", "s.xml", b"<schedule>\n<day>\n</schedule>\n", "s.xml:3: malformed XML: mismatched tag"),
    ("XML event without title", "s.xml", schedule_xml(XML_TALK.format(title="", language="en", date="2024-05-16")),
     's.xml:6: event 1: talk "record at line 5": title: is required'),
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
])
def test_language_codes_and_names(written, code):
    assert language_code(written) == code


@pytest.mark.parametrize(("kind", "has_persons", "skipped"), [
    ("Break", False, True), ("lunch", True, True), ("Pause", False, True), ("Talk", True, False),
    ("Talk", False, False), ("Workshop", False, False), ("Other", False, True), ("Other", True, False),
    (None, True, False), (None, False, True),
])
def test_which_slots_are_not_talks(kind, has_persons, skipped):
    assert is_non_talk(kind, has_persons) is skipped


@pytest.mark.parametrize(("url", "label", "kind", "expected"), [
    ("https://x.org/s.pdf", "", "slides", "slides"),
    ("https://x.org/a", "Slides", "", "slides"),
    ("https://speakerdeck.com/a/b", "", "", "slides"),
    ("https://x.org/a", "", "media", "video"),
    ("https://www.youtube.com/watch?v=a", "", "", "video"),
    ("https://media.ccc.de/v/a", "", "", "video"),
    ("https://x.org/a", "Video recording", "", "video"),
    ("https://blog.example.org/post", "Blog", "web", None),
])
def test_link_kinds(url, label, kind, expected):
    assert link_kind(url, label, kind) == expected


def test_schedule_talk_count_is_bounded(monkeypatch):
    monkeypatch.setattr("meetup.catalog.formats.schedule.MAX_TALKS", 1)
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(schedule_json(event(title="One"), event(title="Two")), "s.json")
    assert refused.value.problems[0].describe("s.json") == "s.json: the schedule holds more than 1 talks; split it into several files"


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
    assert dict(record.links) == {"event": "https://cfp.example.org/ev/talk/ABC/"}
    assert record.date.iso() == "2024-05-16"
