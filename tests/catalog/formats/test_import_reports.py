"""import-talks on other tools' files: --language, --skip-invalid, and what the dry run names."""
from __future__ import annotations

import json

import pytest

SPANISH = ("Cómo preparar tu primer paquete de Debian, desde el archivo de control hasta la subida al archivo "
           "con la ayuda de un padrino.")
ENGLISH = "Running a stable distribution on cheap single-board computers: kernels, bootloaders and weekly images."


def slot(**fields) -> dict:
    return {"title": "A talk", "type": "Talk", "language": "", "date": "2024-05-16T09:30:00+02:00",
            "persons": [{"public_name": "Ana"}], **fields}


def write_schedule(tmp_path, *slots):
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps({"schedule": {"version": "1", "conference": {
        "acronym": "conf-2024", "title": "Conf 2024", "days": [{"rooms": {"Main": list(slots)}}]}}}))
    return path


SLOTS = [
    slot(guid="1", title="Empaquetado para principiantes", abstract=SPANISH),
    slot(guid="2", title="Debian on small boards", abstract=ENGLISH, persons=[]),
    slot(guid="3", title="Coffee", type="Break"),
    slot(guid="4", title="test"),
]


def test_dry_run_names_detected_languages_skipped_slots_and_left_out_talks(app, runner, tmp_path):
    result = runner.invoke(args=["import-talks", "--dry-run", "--skip-invalid", str(write_schedule(tmp_path, *SLOTS))])
    assert result.exit_code == 0, result.output
    output = result.output.replace(str(tmp_path) + "/", "")
    assert "  language detected: Empaquetado para principiantes: Spanish" in output
    assert "  language detected: Debian on small boards: English" in output
    assert "  skipped slot: Coffee (Break, 2024-05-16)" in output
    assert ('left out: schedule.json: event 4 (/schedule/conference/days/0/rooms/Main/3): talk "test": language: no language '
            "given, and it cannot be told with confidence from the title and abstract; pass --language en/es") in output
    assert "dry run: would make 2 added" in output
    assert "language detected for 2 talk(s) (English 1, Spanish 1); 1 invalid talk(s) left out" in output


@pytest.mark.parametrize(("options", "exit_code", "expected"), [
    ([], 1, "1 problem(s); nothing was imported."),
    (["--skip-invalid"], 0, "2 added"),
    (["--language", "en"], 0, "language from --language for 3 talk(s) (English 3)"),
    # A slot whose language is neither stated nor told from its text is another language's, for this option.
    (["--skip-other-languages"], 0, "2 added, 0 updated, 0 unchanged, 0 removed; events: 1 added"),
    (["--skip-other-languages"], 0, "1 talk(s) in other languages (not stated, nor told from the text 1)"),
])
def test_all_or_nothing_unless_skip_invalid_or_a_language_is_given(app, runner, tmp_path, options, exit_code, expected):
    result = runner.invoke(args=["import-talks", *options, str(write_schedule(tmp_path, *SLOTS))])
    assert result.exit_code == exit_code, result.output
    assert expected in result.output


def test_language_option_accepts_only_the_archives_languages(app, runner, tmp_path):
    result = runner.invoke(args=["import-talks", "--language", "de", str(write_schedule(tmp_path, *SLOTS))])
    assert result.exit_code == 2 and "'de' is not one of 'en', 'es'" in result.output
