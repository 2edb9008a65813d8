"""flask import-talks and export-talks: valid files, idempotence, every kind of bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from meetup.catalog.db import get_session
from meetup.catalog.models import Speaker, Talk, content_version
from meetup.catalog.formats import MAX_FILE_BYTES, read_talk_file

VALID_YAML = """\
- title: Observabilidad para todos
  date: 2021-04-15
  language: es
  speakers:
    - José Pérez (SRE)
    - Ana Gómez
  links:
    slides: https://example.org/slides.pdf
  abstract: |
    Primer párrafo sobre métricas.

    Segundo párrafo sobre trazas.
- slug: chaos-days
  title: Chaos days
  date: 2020-11
  language: en
  speakers: [Ana Gómez]
  abstract: Breaking things on purpose.
- title: A talk with no date
  language: en
"""

VALID_CSV = """\
slug,title,date,language,speakers,abstract,slides,video,event
,Observabilidad para todos,2021-04-15,es,José Pérez (SRE); Ana Gómez,"Primer párrafo sobre métricas.

Segundo párrafo sobre trazas.",https://example.org/slides.pdf,,
chaos-days,Chaos days,2020-11,en,Ana Gómez,Breaking things on purpose.,,,
,A talk with no date,,en,,,,,
"""


def count_talks(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Talk))


def stored(app, slug):
    with app.app_context():
        talk = get_session().scalar(select(Talk).where(Talk.slug == slug))
        return talk and {
            "title": talk.title, "date": talk.date.iso(), "language": talk.language,
            "speakers": [(a.speaker.name, a.role) for a in talk.appearances],
            "links": talk.links, "abstract": talk.abstract,
        }


@pytest.mark.parametrize(("name", "content"), [("talks.yaml", VALID_YAML), ("talks.csv", VALID_CSV)])
def test_import_valid_file_then_again_changes_nothing(app, runner, write_file, name, content):
    path = write_file(name, content)
    first = runner.invoke(args=["import-talks", str(path)])
    assert first.exit_code == 0, first.output
    assert "3 added, 0 updated, 0 unchanged" in first.output
    assert stored(app, "observabilidad-para-todos") == {
        "title": "Observabilidad para todos", "date": "2021-04-15", "language": "es",
        "speakers": [("José Pérez", "SRE"), ("Ana Gómez", None)],
        "links": {"slides": "https://example.org/slides.pdf"},
        "abstract": "Primer párrafo sobre métricas.\n\nSegundo párrafo sobre trazas.",
    }
    assert stored(app, "chaos-days")["date"] == "2020-11"
    assert stored(app, "a-talk-with-no-date")["date"] is None
    second = runner.invoke(args=["import-talks", str(path)])
    assert second.exit_code == 0
    assert "0 added, 0 updated, 3 unchanged" in second.output
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Speaker)) == 2


def test_import_updates_by_slug_and_bumps_content_version(app, runner, write_file):
    runner.invoke(args=["import-talks", str(write_file("a.yaml", VALID_YAML))])
    with app.app_context():
        before = content_version(get_session())
    changed = VALID_YAML.replace("Breaking things on purpose.", "Breaking things, carefully.")
    result = runner.invoke(args=["import-talks", str(write_file("b.yaml", changed))])
    assert "0 added, 1 updated, 2 unchanged" in result.output
    assert stored(app, "chaos-days")["abstract"] == "Breaking things, carefully."
    with app.app_context():
        assert content_version(get_session()) == before + 1


def test_speaker_order_and_roles_update(app, runner, write_file):
    runner.invoke(args=["import-talks", str(write_file("a.yaml", VALID_YAML))])
    swapped = VALID_YAML.replace("    - José Pérez (SRE)\n    - Ana Gómez\n", "    - Ana Gómez (Host)\n    - José Pérez\n")
    result = runner.invoke(args=["import-talks", str(write_file("b.yaml", swapped))])
    assert result.exit_code == 0, result.output
    assert stored(app, "observabilidad-para-todos")["speakers"] == [("Ana Gómez", "Host"), ("José Pérez", None)]


def test_dry_run_reports_and_writes_nothing(app, runner, write_file):
    result = runner.invoke(args=["import-talks", "--dry-run", str(write_file("a.yaml", VALID_YAML))])
    assert result.exit_code == 0
    assert "would make 3 added" in result.output
    assert "would add: chaos-days" in result.output
    assert count_talks(app) == 0


def test_prune_asks_first_and_removes_only_when_confirmed(app, runner, write_file):
    runner.invoke(args=["import-talks", str(write_file("a.yaml", VALID_YAML))])
    only_one = write_file("one.yaml", "- slug: chaos-days\n  title: Chaos days\n  date: 2020-11\n  language: en\n"
                                      "  speakers: [Ana Gómez]\n  abstract: Breaking things on purpose.\n")
    refused = runner.invoke(args=["import-talks", "--prune", str(only_one)], input="n\n")
    assert refused.exit_code == 1
    assert "observabilidad-para-todos" in refused.output
    assert count_talks(app) == 3
    accepted = runner.invoke(args=["import-talks", "--prune", str(only_one)], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "2 removed" in accepted.output
    assert count_talks(app) == 1
    with app.app_context():
        assert [s.name for s in get_session().scalars(select(Speaker))] == ["Ana Gómez"]


def test_prune_with_yes_does_not_ask(app, runner, write_file):
    runner.invoke(args=["import-talks", str(write_file("a.yaml", VALID_YAML))])
    result = runner.invoke(args=["import-talks", "--prune", "--yes", str(write_file("b.yaml", "- title: Chaos days\n  slug: chaos-days\n  language: en\n"))])
    assert result.exit_code == 0, result.output
    assert count_talks(app) == 1


def test_export_then_import_is_a_no_op_and_reproduces_the_data(app, runner, write_file, tmp_path):
    runner.invoke(args=["import-talks", str(write_file("a.yaml", VALID_YAML))])
    exported = tmp_path / "export.yaml"
    assert runner.invoke(args=["export-talks", str(exported)]).exit_code == 0
    again = runner.invoke(args=["import-talks", str(exported)])
    assert "0 added, 0 updated, 3 unchanged" in again.output
    assert [r.slug for r in read_talk_file(exported)] == ["observabilidad-para-todos", "chaos-days", "a-talk-with-no-date"]
    second_export = runner.invoke(args=["export-talks"]).output
    assert second_export == exported.read_text(encoding="utf-8")


def test_export_of_the_seed_round_trips(seeded_app, tmp_path):
    runner = seeded_app.test_cli_runner()
    exported = tmp_path / "seed-export.yaml"
    runner.invoke(args=["export-talks", str(exported)])
    result = runner.invoke(args=["import-talks", str(exported)])
    assert "0 added, 0 updated, 19 unchanged" in result.output


BAD_FILES = [
    ("missing title", "t.yaml", "- language: en\n  date: 2020-01-01\n",
     ['t.yaml:1: talk "record at line 1": title: is required']),
    ("impossible date", "t.yaml", "- title: Leap\n  language: en\n  date: 2019-02-30\n",
     ['t.yaml:3: talk "Leap": date: 2019-02-30 does not exist']),
    ("malformed date", "t.yaml", "- title: Slashes\n  language: en\n  date: 23/032018\n",
     ["t.yaml:3: talk \"Slashes\": date: '23/032018' is not a date"]),
    ("unknown language", "t.yaml", "- title: Bonjour\n  language: fr\n",
     ["t.yaml:2: talk \"Bonjour\": language: 'fr' is not a known language"]),
    ("duplicate derived slug", "t.yaml", "- title: Same\n  language: en\n- title: Same\n  language: es\n",
     ["t.yaml:3: talk \"Same\": slug: two talks would get the slug 'same' (lines 1 and 3): give one of them a `slug:`"]),
    ("derived slug equal to a given one", "t.yaml", "- slug: same\n  title: Other\n  language: en\n- title: Same\n  language: es\n",
     ["t.yaml:4: talk \"Same\": slug: two talks would get the slug 'same' (lines 1 and 4): give one of them a `slug:`"]),
    ("duplicate given slug", "t.yaml", "- slug: same\n  title: A\n  language: en\n- slug: same\n  title: B\n  language: es\n",
     ["t.yaml:4: talk \"B\": slug: duplicate slug 'same' (first used at line 1)"]),
    ("problems in line order within a record", "t.yaml", "- date: 2019-02-30\n  language: fr\n  title: [a, list]\n",
     ["t.yaml:1: talk \"record at line 1\": date: 2019-02-30 does not exist\n"
      "t.yaml:2: talk \"record at line 1\": language: 'fr' is not a known language"]),
    ("unknown field", "t.yaml", "- title: Typo\n  language: en\n  abstrakt: oops\n",
     ['t.yaml:3: talk "Typo": abstrakt: unknown field']),
    ("bad link", "t.yaml", "- title: Link\n  language: en\n  links:\n    slides: javascript:alert(1)\n",
     ['t.yaml:3: talk "Link": links: slides: \'javascript:alert(1)\' is not an http(s) URL']),
    ("malformed yaml", "t.yaml", "- title: Broken\n  language: [en\n",
     ["t.yaml:3: malformed YAML"]),
    ("not a list", "t.yaml", "title: Alone\nlanguage: en\n", ["t.yaml:1: expected a list of talks"]),
    ("empty yaml", "t.yaml", "", ["t.yaml: the file is empty"]),
    ("comments only", "t.yaml", "# nothing yet\n", ["t.yaml: the file is empty"]),
    ("empty csv", "t.csv", "", ["t.csv: the file is empty"]),
    ("csv header only", "t.csv", "title,language\n", ["t.csv: the file holds no talks"]),
    ("csv unknown column", "t.csv", "title,langauge\nX,en\n", ["t.csv:1: bad CSV header: unknown columns ['langauge']"]),
    ("csv bad language", "t.csv", "title,language\nFine,en\nHola,spanish\n",
     ["t.csv:3: talk \"Hola\": language: 'spanish' is not a known language"]),
    ("csv unterminated quote", "t.csv", 'title,language\n"Open,en\n', ["t.csv:", "malformed CSV"]),
    ("wrong encoding", "t.yaml", "- title: Caf\xe9\n  language: es\n".encode("latin-1"),
     ["t.yaml:1: not UTF-8 text (byte 0xe9)"]),
    ("binary", "t.yaml", b"- title: x\x00\n", ["t.yaml:1: the file contains a NUL character"]),
    ("json that is no known format", "t.json", '{"talks": []}', ["t.json: a JSON file must be a conference schedule"]),
    ("empty yaml list", "t.yaml", "[]", ["t.yaml: the file holds no talks"]),
    ("several problems at once", "t.yaml", "- title: One\n  language: xx\n- language: en\n",
     ['t.yaml:2: talk "One": language:', 't.yaml:3: talk "record at line 3": title: is required']),
]


@pytest.mark.parametrize(("case", "name", "content", "expected"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_files_are_refused_precisely_and_nothing_is_written(app, runner, write_file, tmp_path, case, name, content, expected):
    runner.invoke(args=["import-talks", str(write_file("good.yaml", "- title: Already here\n  language: en\n"))])
    path = write_file(name, content)
    result = runner.invoke(args=["import-talks", str(path)])
    assert result.exit_code != 0
    output = result.output.replace(str(tmp_path) + "/", "")
    for line in expected:
        assert line in output, output
    assert "nothing was imported" in output
    assert count_talks(app) == 1
    assert stored(app, "already-here")["title"] == "Already here"


def test_file_over_the_size_limit_is_refused_before_reading(app, runner, tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)
    result = runner.invoke(args=["import-talks", str(path)])
    assert result.exit_code != 0
    assert f"big.yaml: the file is {MAX_FILE_BYTES + 1:,} bytes; the limit is 200 MiB" in result.output
    assert count_talks(app) == 0


def test_a_file_over_the_old_5_mib_limit_is_read(runner, write_file):
    talk = "- title: Long {n}\n  language: en\n  abstract: " + "word " * 3_900 + "\n"
    path = write_file("big.yaml", "".join(talk.format(n=n) for n in range(300)))
    assert path.stat().st_size > 5 * 1024 * 1024
    result = runner.invoke(args=["import-talks", "--dry-run", str(path)])
    assert result.exit_code == 0, result.output[-500:]
    assert "would make 300 added" in result.output


def test_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["import-talks", str(tmp_path / "nope.yaml")])
    assert result.exit_code != 0
    assert "cannot read the file" in result.output


def test_scalar_titles_keep_the_text_written(app, runner, write_file):
    result = runner.invoke(args=["import-talks", str(write_file("t.yaml", "- title: 1984\n  language: en\n- title: yes\n  language: es\n"))])
    assert result.exit_code == 0, result.output
    assert stored(app, "1984")["title"] == "1984"
    assert stored(app, "yes")["title"] == "yes"


def test_real_messy_data_imports(app, runner, tmp_path):
    """The devopsdays sample (178 real talks) imports once its extra fields are mapped."""
    import yaml
    from tests.conftest import REALDATA

    if not REALDATA.exists():
        pytest.skip(f"{REALDATA} not present")
    rows = yaml.safe_load(REALDATA.read_text(encoding="utf-8"))
    talks, seen = [], set()
    for row in rows:
        slug = row["source"].rsplit("/", 1)[-1].removesuffix(".md") + "-" + row["date"][:4]
        if slug in seen:
            continue
        seen.add(slug)
        talks.append({"slug": slug, "title": row["title"], "date": row["date"], "language": row["language"],
                      "speakers": row["speakers"], "abstract": row["abstract"]})
    path = tmp_path / "real.yaml"
    path.write_text(yaml.safe_dump(talks, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["import-talks", str(path)])
    assert result.exit_code == 0, result.output
    assert count_talks(app) == len(talks)
    assert runner.invoke(args=["import-talks", str(path)]).output.count(f"{len(talks)} unchanged") == 1


def test_real_titles_without_slugs_explain_each_clash(app, runner, tmp_path):
    """Talks given twice under one title in the real sample: each clash names both lines and the fix."""
    import yaml
    from tests.conftest import REALDATA

    if not REALDATA.exists():
        pytest.skip(f"{REALDATA} not present")
    rows = yaml.safe_load(REALDATA.read_text(encoding="utf-8"))
    talks = [{"title": row["title"], "date": row["date"], "language": row["language"], "abstract": row["abstract"]}
             for row in rows]
    path = tmp_path / "real.yaml"
    path.write_text(yaml.safe_dump(talks, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["import-talks", str(path)])
    assert result.exit_code == 1
    clashes = [line for line in result.output.splitlines() if ": slug: " in line]
    assert clashes and all("two talks would get the slug '" in line and "give one of them a `slug:`" in line
                           for line in clashes), clashes
    assert "duplicate slug" not in result.output
    assert count_talks(app) == 0


@pytest.mark.parametrize(("threshold", "shown"), [(1, True), (10_000, False)])
def test_long_imports_and_exports_show_progress(monkeypatch, runner, write_file, tmp_path, threshold, shown):
    monkeypatch.setattr("meetup.cli.PROGRESS_MIN", threshold)
    imported = runner.invoke(args=["import-talks", str(write_file("a.yaml", VALID_YAML))])
    exported = runner.invoke(args=["export-talks", str(tmp_path / "out.yaml")])
    assert imported.exit_code == exported.exit_code == 0
    assert ("storing talks" in imported.output) is shown
    assert ("exporting talks" in exported.output) is shown


def test_a_backup_never_changes_a_speaker_whatever_the_name_or_role_holds(runner, write_file, tmp_path):
    source = write_file("people.yaml", (
        "- title: Roles\n  language: en\n  speakers:\n"
        "  - {name: Ana Lopez, role: \"SRE (lead)\"}\n"
        "  - {name: \"Bob (Robert) Smith\", role: \"CTO, Example; ops\"}\n"
        "  - {name: \"Carla; Diaz\"}\n"
        "  - Dan Roe (a (b) c)\n"))
    assert runner.invoke(args=["import-talks", str(source)]).exit_code == 0
    backup = tmp_path / "backup.yaml"
    assert runner.invoke(args=["export-talks", str(backup)]).exit_code == 0
    again = runner.invoke(args=["import-talks", str(backup)])
    assert again.exit_code == 0 and "0 added, 0 updated, 1 unchanged" in again.output
