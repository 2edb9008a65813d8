"""Hostile and oversized YAML is refused at once, with the line, before anything is built or written."""
from __future__ import annotations

import time

import pytest

from meetup.catalog.formats import TalkFileError, parse_talk_text

LAUGHS = "".join(f'  l{n}: &l{n} [{", ".join([f"*l{n - 1}"] * 9)}]\n' for n in range(1, 10))
ALIAS_AS_KEY = '- title: Bomb\n  language: en\n  l0: &l0 ["lol"]\n' + LAUGHS + "  ? *l9\n  : value\n"
ALIAS_AS_SLUG = '- language: en\n  l0: &l0 ["lol"]\n' + LAUGHS + "  slug: *l9\n"
DEEP = "- title: " + "[" * 900 + "]" * 900 + "\n  language: en\n"

CASES = [
    ("alias bomb used as a mapping key", ALIAS_AS_KEY, 3, "YAML anchors and aliases (&name, *name) are not accepted"),
    ("alias bomb as slug, no title", ALIAS_AS_SLUG, 2, "YAML anchors and aliases"),
    ("a single anchor", "- title: &t Shared\n  language: en\n", 1, "YAML anchors and aliases"),
    ("an alias of a plain value", "- title: A\n  language: &l en\n- title: B\n  language: *l\n", 2, "YAML anchors"),
    ("900-deep list", DEEP, 1, "nested more than 6 levels deep"),
    ("deep mapping under links", "- title: A\n  language: en\n  links:\n    video: {a: {b: {c: {d: x}}}}\n", 4,
     "nested more than 6 levels deep"),
    ("python tag", "- title: !!python/object/apply:os.system [echo]\n  language: en\n", 1,
     "YAML tags such as tag:yaml.org,2002:python/object/apply:os.system are not accepted"),
    ("binary tag", "- title: !!binary aGVsbG8=\n  language: en\n", 1, "YAML tags such as"),
    ("two documents", "- title: A\n  language: en\n---\n- title: B\n  language: en\n", 3,
     "the file holds more than one YAML document"),
]


@pytest.mark.parametrize(("case", "text", "line", "reason"), CASES, ids=[case[0] for case in CASES])
def test_hostile_yaml_is_refused_at_once_with_its_line(case, text, line, reason):
    started = time.process_time()
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(text.encode(), "t.yaml")
    # CPU time, not wall-clock: an expanded bomb costs minutes; refusing it costs nothing measurable.
    assert time.process_time() - started < 5.0
    (problem,) = refused.value.problems
    assert problem.describe("t.yaml").startswith(f"t.yaml:{line}: {reason}"), problem.describe("t.yaml")


def test_hostile_yaml_through_the_command_writes_nothing(app, runner, write_file):
    runner.invoke(args=["import-talks", str(write_file("good.yaml", "- title: Already here\n  language: en\n"))])
    result = runner.invoke(args=["import-talks", str(write_file("bomb.yaml", ALIAS_AS_KEY))])
    assert result.exit_code == 1
    assert "bomb.yaml:3: YAML anchors and aliases" in result.output
    assert "Traceback" not in result.output
    assert "nothing was imported" in result.output
    assert "1 added" not in result.output


def test_record_count_bound_stops_reading(monkeypatch):
    monkeypatch.setattr("meetup.catalog.formats.yamlfile.MAX_TALKS", 2)
    text = "".join(f"- title: Talk {n}\n  language: en\n" for n in range(3))
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(text.encode(), "t.yaml")
    assert refused.value.problems[0].describe("t.yaml") == (
        "t.yaml:5: the file holds more than 2 talks; split it into several files")


def test_problems_are_capped(monkeypatch):
    monkeypatch.setattr("meetup.catalog.formats.reading.MAX_PROBLEMS", 3)
    text = "".join(f"- title: Talk {n}\n  language: xx\n" for n in range(5))
    with pytest.raises(TalkFileError) as refused:
        parse_talk_text(text.encode(), "t.yaml")
    assert [p.line for p in refused.value.problems] == [2, 4, 6, None]
    assert refused.value.problems[-1].reason == "... and 2 more problems"
