"""PyVideo talk files, alone or as a folder with its category.json: mapping, the event, ids, and problems."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from meetup.catalog.formats import TalkFileError, load_talk_file, parse_talk_text
from meetup.catalog.formats.records import Link, SpeakerCredit

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("folder", [DATA / "pyvideo", DATA / "pyvideo" / "pycon-es-2019"], ids=["above", "event"])
def test_folder_is_one_event_and_each_talk_keeps_its_file_as_id(folder):
    talk_file = load_talk_file(folder)
    assert talk_file.format == "PyVideo folder"
    (event,) = talk_file.events
    assert (event.slug, event.name, event.source, event.source_id, event.starts.iso(), event.ends.iso()) == (
        "pycon-es-2019", "PyConES 2019", "pyvideo", "pycon-es-2019", "2019-10-05", "2019-10-06")
    by_slug = {record.slug: record for record in talk_file.records}
    assert sorted(by_slug) == ["async-in-production", "testing-con-hypothesis"]
    testing = by_slug["testing-con-hypothesis"]
    assert (testing.title, testing.language, testing.date.iso()) == ("Testing con Hypothesis", "es", "2019-10-05")
    assert (testing.event, testing.source_id) == ("pycon-es-2019", "videos/testing-con-hypothesis.json")
    assert testing.speakers == (SpeakerCredit("María López"), SpeakerCredit("Iván Ruiz"))
    assert testing.links == (
        Link("video", "https://www.youtube.com/watch?v=aaaaaaaaaaa"),
        Link("event", "https://2019.es.pycon.org/schedule/testing-con-hypothesis", "Conference schedule"),
        Link("slides", "https://speakerdeck.com/example/testing-con-hypothesis", "Slides"),
    )
    assert testing.abstract == "Cómo encontrar errores generando los casos de prueba.\n\nCon ejemplos en Python."


def test_single_file_is_told_by_its_content(tmp_path):
    renamed = tmp_path / "talk.txt"
    renamed.write_bytes((DATA / "pyvideo-talk.json").read_bytes())
    talk_file = load_talk_file(renamed)
    assert talk_file.format == "PyVideo JSON" and [r.title for r in talk_file.records] == ["Async in production"]


def pyvideo(**fields) -> dict:
    return {"title": "A talk", "language": "eng", "speakers": ["Ana"], "recorded": "2019-10-05",
            "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=a"}], **fields}


@pytest.mark.parametrize(("case", "document", "expected"), [
    ("speakers not a list", pyvideo(speakers="Ana"), 'talk "A talk": speakers: speakers must be a list, not a str'),
    ("bad recorded date", pyvideo(recorded="yesterday"), "date: 'yesterday' is not a date"),
    ("recorded with garbage", pyvideo(recorded="2019-10-05garbage"), "date: '2019-10-05garbage' is not a date"),
    ("recorded not text", pyvideo(recorded=5), "date: recorded must be a date (YYYY-MM-DD), not a int"),
    ("French talk", pyvideo(language="fra"), "language: the talk is in French ('fra')"),
    ("NUL in the title", pyvideo(title="A\u0000"), "title: contains the control character U+0000"),
    ("videos a number", pyvideo(videos=5), "links: videos must be a list, not a int"),
    ("related_urls a number", pyvideo(related_urls=5), "links: related_urls must be a list, not a int"),
    ("millions of videos", pyvideo(videos=[{}] * 51), "links: videos lists 51 items; a talk has at most 50"),
    ("full-width year", pyvideo(recorded="２０１９"), "date: '２０１９' is not a date: write it in ASCII digits"),
])
def test_problems_of_a_single_file(case, document, expected):
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(json.dumps(document).encode(), "t.json")
    assert expected in "\n".join(problem.describe("t.json") for problem in refused.value.problems)


def test_empty_speaker_names_are_ignored():
    (record,) = parse_talk_text(json.dumps(pyvideo(speakers=["", "Ana", " "])).encode(), "t.json")
    assert record.speakers == (SpeakerCredit("Ana"),)


def test_unreadable_files_of_a_folder_are_named_and_the_rest_read(tmp_path):
    (tmp_path / "videos").mkdir()
    (tmp_path / "category.json").write_text(json.dumps({"title": "PyCon Test 2020"}))
    (tmp_path / "videos" / "good.json").write_text(json.dumps(pyvideo(title="Good")))
    (tmp_path / "videos" / "broken.json").write_text('{"title": ')
    (tmp_path / "videos" / "other.json").write_text('{"name": "not a talk"}')
    (tmp_path / "notes.md").write_text("# notes")
    talk_file = load_talk_file(tmp_path)
    assert [r.title for r in talk_file.records] == ["Good"]
    assert talk_file.unreadable == [
        ("notes.md", "not a talk file (.md); read are csv, gz, json, xml, yaml, yml"),
        ("videos/broken.json", "line 1: malformed JSON: Expecting value (column 11)"),
        ("videos/other.json", 'a JSON file must be a conference schedule (Schedule JSON, with "schedule") or a PyVideo talk '
                              '(with "title", "speakers", "videos" ...)'),
    ]
    (event,) = talk_file.events
    assert (event.name, talk_file.records[0].event, talk_file.records[0].source_id) == ("PyCon Test 2020", event.slug, "videos/good.json")


def test_a_talk_in_another_language_in_a_folder_is_refused_by_file(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(pyvideo(title="Hola", language="xx")))
    with pytest.raises(TalkFileError) as refused:
        load_talk_file(tmp_path)
    assert refused.value.problems[0].describe("f").startswith('f: a.json: talk "Hola": language: the talk is in xx')


def test_empty_folder_is_refused(tmp_path):
    with pytest.raises(TalkFileError, match="the folder holds no talk files"):
        load_talk_file(tmp_path)


@pytest.mark.parametrize(("fields", "source_id"), [({"slug": "a-talk-at-pycon"}, "a-talk-at-pycon"), ({}, None)])
def test_a_lone_file_is_known_by_its_slug(fields, source_id):
    (record,) = parse_talk_text(json.dumps(pyvideo(**fields)).encode(), "t.json")
    assert (record.source_id, record.event, record.slug_given) == (source_id, None, False)
