"""Reading any file or folder: content before name, gzip, only regular files, folders of every format."""
from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from meetup.catalog.formats import TalkFileError, load_talk_file

DATA = Path(__file__).resolve().parent / "data"
YAML_TALK = "- title: Observabilidad para todos\n  date: 2024-05-16\n  language: es\n  speakers: [Ana]\n"


def described(error: TalkFileError, name: str = "f") -> list[str]:
    return [problem.describe(name) for problem in error.problems]


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("schedule.csv", (DATA / "schedule.json").read_bytes(), "Schedule JSON (pretalx)"),
    ("schedule.json.gz", gzip.compress((DATA / "schedule.json").read_bytes()), "Schedule JSON (pretalx) in gzip"),
    ("schedule.xml.gz", gzip.compress((DATA / "schedule.xml").read_bytes()), "Schedule XML (pretalx) in gzip"),
    ("talks.yaml.gz", gzip.compress(YAML_TALK.encode()), "YAML in gzip"),
    ("talks.csv.gz", gzip.compress(b"title,date,language,speakers\nA talk,2024-05-16,en,Ana\n"), "CSV in gzip"),
])
def test_content_first_name_second(tmp_path, name, data, fmt):
    path = tmp_path / name
    path.write_bytes(data)
    assert load_talk_file(path, skip_other_languages=True).format == fmt


@pytest.mark.parametrize(("case", "data", "expected"), [
    ("broken gzip", b"\x1f\x8b\x08\x00broken", "f: a gzip file that cannot be decompressed"),
    ("gzip bomb", gzip.compress(b" " * (3 * 1024 * 1024)), "f: the gzip file expands to more than 2 MiB, the limit"),
])
def test_gzip_problems_are_named(tmp_path, monkeypatch, case, data, expected):
    monkeypatch.setattr("meetup.catalog.formats.reading.MAX_FILE_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "f"
    path.write_bytes(data)
    with pytest.raises(TalkFileError) as refused:
        load_talk_file(path)
    assert described(refused.value, str(path))[0].replace(str(path), "f").startswith(expected)


def test_devices_and_fifos_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        with pytest.raises(TalkFileError) as refused:
            load_talk_file(path)
        assert described(refused.value) == ["f: not a regular file or a folder (a device, a FIFO or a socket?); give a talk file"]


def test_a_folder_reads_every_format_and_names_what_it_cannot(tmp_path):
    shutil.copytree(DATA / "pyvideo" / "pycon-es-2019", tmp_path / "pycon-es-2019")
    (tmp_path / "meetup.yaml").write_text(YAML_TALK)
    shutil.copy(DATA / "schedules" / "wafer.xml", tmp_path / "debconf.xml")
    (tmp_path / "frab.xml.gz").write_bytes(gzip.compress((DATA / "schedules" / "frab.xml").read_bytes()))
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    os.mkfifo(tmp_path / "pipe.json")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.json"
    outside.write_text(json.dumps({"title": "Secret", "speakers": ["X"], "language": "en"}))
    (tmp_path / "link.json").symlink_to(outside)
    talk_file = load_talk_file(tmp_path, skip_other_languages=True)
    assert talk_file.format == "folder (PyVideo JSON, Schedule XML (frab) in gzip, Schedule XML (wafer), YAML)"
    assert sorted(r.title for r in talk_file.records) == [
        "Async in production", "Debian on small boards", "Empaquetado para principiantes", "Observabilidad para todos",
        "Testing con Hypothesis", "Threat modelling in an afternoon"]
    assert sorted(e.slug for e in talk_file.events) == ["bsides-2024", "debconf-25", "pycon-es-2019"]
    assert talk_file.unreadable == [
        ("link.json", "a link to a file outside the folder; not followed"),
        ("photo.png", "not a talk file (.png); read are csv, gz, json, xml, yaml, yml"),
        ("pipe.json", "not a regular file (a FIFO, a device or a socket?)"),
    ]


def test_a_folder_of_schedule_json_files(tmp_path):
    for number in (1, 2):
        document = json.loads((DATA / "schedule.json").read_text())
        document["schedule"]["conference"]["acronym"] = f"devopsdays-{number}"
        (tmp_path / f"{number}.json").write_text(json.dumps(document))
    talk_file = load_talk_file(tmp_path, skip_other_languages=True)
    assert [e.slug for e in talk_file.events] == ["devopsdays-1", "devopsdays-2"]
    assert len(talk_file.records) == 6 and not talk_file.unreadable


def test_pyvideo_talk_lists_are_bounded_across_a_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("meetup.catalog.formats.jsontext.MAX_JSON_ITEMS", 15)
    for number in range(10):
        (tmp_path / f"{number}.json").write_text(json.dumps({"title": f"Talk {number}", "speakers": ["A"], "language": "en",
                                                             "videos": [{"url": "https://youtu.be/x"}]}))
    talk_file = load_talk_file(tmp_path)
    assert len(talk_file.records) < 10
    assert talk_file.unreadable[-1][1] == "the JSON holds more than 15 objects and numbers; a talk file needs far fewer"


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("talks.yaml", "- title: A talk\n  language: xx\n", 'f: talks.yaml:1: talk "A talk": language:'),
    ("s.json", json.dumps({"schedule": {"conference": {"days": [{"rooms": {"A": [{"title": "T", "language": "xx"}]}}]}}}),
     'f: s.json: event 1 (/schedule/conference/days/0/rooms/A/0): talk "T": language: the talk is in xx'),
])
def test_problems_in_a_folder_name_their_file(tmp_path, name, data, expected):
    (tmp_path / name).write_text(data)
    with pytest.raises(TalkFileError) as refused:
        load_talk_file(tmp_path)
    assert described(refused.value)[0].startswith(expected)
