"""README.md agrees with the site: commands, API parameters and fields, required import fields."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from meetup.catalog.formats.csvfile import CSV_COLUMNS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
MAKEFILE = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", ["HOST", "PORT"])
def test_every_make_run_setting_is_documented(setting):
    run_recipe = MAKEFILE.split("\nrun:")[1].split("\n\n")[0]
    assert f"{setting} ?=" in MAKEFILE and f"$({setting})" in run_recipe
    assert f"make run {setting}=" in README or f" {setting}=" in README.split("## Quick start")[1].split("##")[0]


def test_every_api_parameter_and_list_field_is_documented(client):
    document = client.get("/api/openapi.json").get_json()
    parameters = [parameter["name"] for parameter in document["paths"]["/api/talks"]["get"]["parameters"]]
    fields = list(document["components"]["schemas"]["TalkList"]["properties"])
    api_row = next(line for line in README.splitlines() if line.startswith("| `GET /api/talks` |"))
    missing = [name for name in parameters + fields if f"`{name}`" not in api_row]
    assert missing == []


FULL_ROW = {"slug": "a-full-talk", "title": "A full talk", "date": "2024-05-17", "language": "en",
            "speakers": "Ana Núñez", "abstract": "Every column.", "slides": "https://example.org/slides",
            "video": "https://example.org/video", "event": "Meetup 2024-05-17", "source_id": "42"}


def documented_csv_columns() -> tuple[list[str], list[str]]:
    """Return the CSV columns the README lists, and the ones it says are required."""
    section = README.split("### CSV")[1].split("###")[0]
    required = re.search(r"\(((?:`\w+`(?:, | and )?)+) required", section)
    listed = re.search(r"`((?:\w+, )+\w+)`", section)
    assert required and listed, "the README's CSV section no longer says which columns exist and which are required"
    return listed.group(1).split(", "), re.findall(r"`(\w+)`", required.group(1))


FULL_YAML = {"slug": "a-full-talk", "title": "A full talk", "date": "2024-05-17", "language": "en",
             "event": "Meetup 2024-05-17", "source_id": "42", "speakers": "\n    - Ana Núñez",
             "links": "\n    video: https://example.org/video", "abstract": "Every key."}


def documented_yaml_required() -> list[str]:
    """Return the keys the README says every YAML record needs."""
    found = re.search(r"every record needs ((?:an? `\w+`(?: and )?)+)", README)
    assert found, "the README no longer says which keys a YAML record needs"
    return re.findall(r"`(\w+)`", found.group(1))


@pytest.mark.parametrize("key", FULL_YAML)
def test_a_yaml_key_is_required_exactly_when_the_readme_says_so(runner, write_file, key):
    lines = [f"  {name}: {value}" for name, value in FULL_YAML.items() if name != key]
    content = "- " + "\n".join(lines)[2:] + "\n"
    result = runner.invoke(args=["import-talks", str(write_file("talks.yaml", content))])
    if key in documented_yaml_required():
        assert result.exit_code == 1 and key in result.output, result.output
    else:
        assert result.exit_code == 0, result.output


def test_the_documented_csv_columns_are_the_ones_read():
    columns, _required = documented_csv_columns()
    assert columns == list(CSV_COLUMNS)


@pytest.mark.parametrize("column", CSV_COLUMNS)
def test_a_column_is_required_exactly_when_the_readme_says_so(runner, write_file, column):
    _columns, required = documented_csv_columns()
    header = [name for name in CSV_COLUMNS if name != column]
    content = ",".join(header) + "\n" + ",".join(FULL_ROW[name] for name in header) + "\n"
    result = runner.invoke(args=["import-talks", str(write_file("talks.csv", content))])
    if column in required:
        assert result.exit_code == 1 and column in result.output, result.output
    else:
        assert result.exit_code == 0, result.output
