"""Control characters (NUL included) are refused by validation in every format, with file, line and field."""
from __future__ import annotations

import json

import pytest

from meetup.catalog.formats import TalkFileError, parse_talk_text

SCHEDULE = {"schedule": {"version": "1", "conference": {"days": [{"rooms": {"Main": [
    {"title": "T\u0000itle", "language": "en", "persons": [{"public_name": "Ana"}], "type": "Talk"}]}}]}}}

CASES = [
    ("NUL through a YAML escape in the title", "t.yaml", '- title: "a\\0b"\n  language: en\n',
     't.yaml:1: talk "a\ufffdb": title: contains the control character U+0000 at character 2; remove it'),
    ("bell in an abstract", "t.yaml", '- title: Bell\n  language: en\n  abstract: "ring \\a"\n',
     't.yaml:3: talk "Bell": abstract: contains the control character U+0007 at character 6; remove it'),
    ("escape in a speaker", "t.yaml", '- title: Esc\n  language: en\n  speakers: ["Ana \\e"]\n',
     't.yaml:3: talk "Esc": speakers: contains the control character U+001B'),
    ("NUL in a link", "t.yaml", '- title: Link\n  language: en\n  links:\n    video: "https://x.org/\\0"\n',
     't.yaml:3: talk "Link": links: video: contains the control character U+0000'),
    ("NUL in a slug", "t.yaml", '- title: Slug\n  slug: "a\\0"\n  language: en\n',
     't.yaml:2: talk "Slug": slug: contains the control character U+0000'),
    ("NUL in a date", "t.yaml", '- title: Date\n  date: "2020\\0"\n  language: en\n',
     't.yaml:2: talk "Date": date: contains the control character U+0000'),
    ("DEL in a CSV title", "t.csv", "title,language\nDel\x7f,en\n",
     't.csv:2: talk "Del\ufffd": title: contains the control character U+007F'),
    ("NUL through a JSON escape", "s.json", json.dumps(SCHEDULE),
     's.json: event 1 (/schedule/conference/days/0/rooms/Main/0): talk "T\ufffditle": title: contains the control character U+0000'),
]


@pytest.mark.parametrize(("case", "name", "text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_control_characters_are_refused_with_place_and_field(case, name, text, expected):
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(text.encode(), name, name.rsplit(".", 1)[1])
    described = [problem.describe(name) for problem in refused.value.problems]
    assert any(line.startswith(expected) for line in described), described


def test_tabs_and_newlines_stay_text():
    (record,) = parse_talk_text(b'- title: "Tab\\there"\n  language: en\n  abstract: "one\\n\\ntwo"\n', "t.yaml")
    assert record.title == "Tab here"
    assert record.abstract == "one\n\ntwo"


def test_nul_title_is_refused_by_the_command_and_nothing_is_stored(app, runner, write_file):
    result = runner.invoke(args=["import-talks", str(write_file("nul.yaml", '- title: "a\\0b"\n  language: en\n'))])
    assert result.exit_code == 1
    assert "nul.yaml:1: talk" in result.output and "title: contains the control character U+0000" in result.output
    assert "DataError" not in result.output
