"""README.md agrees with the site: commands, API parameters and fields, required import fields."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(("suffix", "content"), [
    ("csv", "title\nA talk with no language\n"),
    ("yaml", "- title: A talk with no language\n"),
])
def test_required_import_fields_are_the_documented_ones(runner, write_file, suffix, content):
    result = runner.invoke(args=["import-talks", str(write_file(f"talks.{suffix}", content))])
    assert result.exit_code == 1 and "language" in result.output
    assert "(`title` and `language` required" in README and "every record needs a `title` and a `language`" in README
