"""PyVideo talk files, alone or as a folder: mapping, idempotence, and problems named by file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from meetup.catalog.formats import TalkFileError, load_talk_file, parse_talk_text
from meetup.catalog.formats.records import SpeakerCredit

DATA = Path(__file__).resolve().parent / "data"


def test_folder_maps_every_talk_and_imports_once(runner):
    folder = DATA / "pyvideo"
    talk_file = load_talk_file(folder)
    assert talk_file.format == "PyVideo folder"
    by_slug = {record.slug: record for record in talk_file.records}
    assert sorted(by_slug) == ["async-in-production", "testing-con-hypothesis"]
    testing = by_slug["testing-con-hypothesis"]
    assert (testing.title, testing.language, testing.date.iso()) == ("Testing con Hypothesis", "es", "2019-10-05")
    assert testing.speakers == (SpeakerCredit("María López"), SpeakerCredit("Iván Ruiz"))
    assert dict(testing.links) == {
        "slides": "https://speakerdeck.com/example/testing-con-hypothesis",
        "video": "https://www.youtube.com/watch?v=aaaaaaaaaaa",
        "event": "https://2019.es.pycon.org/schedule/testing-con-hypothesis",
    }
    assert testing.abstract == "Cómo encontrar errores generando los casos de prueba.\n\nCon ejemplos en Python."
    first = runner.invoke(args=["import-talks", str(folder)])
    assert "2 added, 0 updated, 0 unchanged" in first.output, first.output
    assert "0 added, 0 updated, 2 unchanged" in runner.invoke(args=["import-talks", str(folder)]).output


def test_single_file_is_told_by_its_content(runner, tmp_path):
    renamed = tmp_path / "talk.txt"
    renamed.write_bytes((DATA / "pyvideo-talk.json").read_bytes())
    result = runner.invoke(args=["import-talks", str(renamed)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "(PyVideo JSON)" in result.output


def pyvideo(**fields) -> dict:
    return {"title": "A talk", "language": "eng", "speakers": ["Ana"], "recorded": "2019-10-05",
            "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=a"}], **fields}


@pytest.mark.parametrize(("case", "document", "expected"), [
    ("speakers not a list", pyvideo(speakers="Ana"), 'talk "A talk": speakers: must be a list of names'),
    ("bad recorded date", pyvideo(recorded="yesterday"), "date: 'yesterday' is not a date"),
    ("French talk", pyvideo(language="fra"), "language: the talk is in French ('fra')"),
    ("NUL in the title", pyvideo(title="A\u0000"), "title: contains the control character U+0000"),
])
def test_problems_of_a_single_file(case, document, expected):
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(json.dumps(document).encode(), "t.json")
    assert expected in "\n".join(problem.describe("t.json") for problem in refused.value.problems)


def test_problems_in_a_folder_name_the_file(tmp_path):
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "good.json").write_text(json.dumps(pyvideo(title="Good")))
    (tmp_path / "videos" / "broken.json").write_text('{"title": ')
    (tmp_path / "videos" / "other.json").write_text('{"name": "not a talk"}')
    (tmp_path / "videos" / "spanish.json").write_text(json.dumps(pyvideo(title="Hola", language="xx")))
    with pytest.raises(TalkFileError) as refused:
        load_talk_file(tmp_path)
    described = [problem.describe("f") for problem in refused.value.problems]
    assert described[0].startswith("f: videos/broken.json: not a JSON talk file: Expecting value")
    assert described[1] == "f: videos/other.json: not a PyVideo talk (an object with title, speakers, videos ...)"


def test_empty_folder_is_refused(tmp_path):
    with pytest.raises(TalkFileError, match="the folder holds no .json talk files"):
        load_talk_file(tmp_path)
