"""iCalendar text: escaping TEXT values and folding long lines as RFC 5545 asks."""
import datetime as dt

import pytest

from meetup.web.icalendar import escape_text, fold_line, talk_event


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a, b; c\\d", "a\\, b\\; c\\\\d"),
        ("one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"),
        ("tab\tkept, bell\x07 gone", "tab\tkept\\, bell gone"),
    ],
)
def test_calendar_text_is_escaped(text, escaped):
    assert escape_text(text) == escaped


@pytest.mark.parametrize("line", ["x" * 200, "DESCRIPTION:" + "ñandú " * 40, "SUMMARY:" + "🎤" * 50, "short"])
def test_calendar_lines_fold_at_75_octets_without_splitting_characters(line):
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert "".join([physical[0], *(part[1:] for part in physical[1:])]) == line


def test_a_talk_event_is_one_all_day_vevent_with_crlf_line_ends():
    text = talk_event(uid="talk-x@example.org", day=dt.date(2023, 3, 9), summary="Tamaño, CI; y más",
                      description="línea\nsegunda", url="https://example.org/talks/x",
                      updated=dt.datetime(2024, 1, 2, 3, 4, 5), language="es")
    lines = text.split("\r\n")
    assert lines[-1] == "" and "\n" not in text.replace("\r\n", "")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20230309" in lines and "DTEND;VALUE=DATE:20230310" in lines
    assert "DTSTAMP:20240102T030405Z" in lines
    assert "SUMMARY;LANGUAGE=es:Tamaño\\, CI\\; y más" in lines
    assert "DESCRIPTION:línea\\nsegunda" in lines
