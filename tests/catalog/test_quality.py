"""The data-quality report's building blocks (the report itself: tests/web/test_speakers.py, check-data)."""
import re

import pytest

from meetup.catalog.quality import DataReport, name_key


@pytest.mark.parametrize(("name", "key"), [
    ("José  Pérez", "jose perez"),
    ("JOSÉ-PÉREZ", "jose perez"),
    ("  Ana   Gómez ", "ana gomez"),
    ("O'Brien", "o brien"),
    ("Łukasz", "ukasz"),  # letters with no ASCII decomposition are dropped
])
def test_name_key_folds_accents_case_punctuation_and_spacing(name, key):
    assert name_key(name) == key


def test_the_report_lists_its_sections_in_order_with_their_findings():
    report = DataReport(language_mismatches=["a"], similar_speakers=["b / c"], missing_dates=[], partial_dates=["d"],
                        hidden_characters=["e"])
    assert [(title.split()[0], lines) for title, lines in report.sections()] == [
        ("abstract", ["a"]), ("speakers", ["b / c"]), ("talks", []), ("talks", ["d"]), ("text", ["e"])]


def test_check_data_names_talks_stored_with_invisible_or_direction_changing_characters(app):
    from meetup.catalog.db import get_session
    from meetup.catalog.models import Speaker, Talk, TalkSpeaker
    from meetup.catalog.quality import check_data

    with app.app_context():
        session = get_session()
        session.add(Talk(slug="hidden", title="Kuber\u200bnetes", abstract="Plain.", language="en",
                         appearances=[TalkSpeaker(position=1, speaker=Speaker(name="Ana\u202eX", slug="ana"))]))
        session.add(Talk(slug="clean", title="Clean", abstract="Plain.", language="en"))
        session.commit()
        assert check_data(session).hidden_characters == ["hidden: title (U+200B), speaker (U+202E)"]


@pytest.mark.parametrize(("title", "stored", "problem"), [
    ("Kuber\u200bnetes\ufeff", "Kubernetes", None),
    ("Word\u2060joined", "Wordjoined", None),
    ("Sneaky \u2067cilbup\u2069", None, "contains the control character U+2067"),
    ("Override \u202eevil", None, "contains the control character U+202E"),
])
def test_an_import_drops_zero_width_characters_and_refuses_direction_controls(title, stored, problem):
    from meetup.catalog.formats import TalkFileError, parse_talk_bytes

    data = f'- title: "{title}"\n  language: en\n'.encode()
    if problem is None:
        assert parse_talk_bytes(data, "t.yaml").records[0].title == stored
    else:
        with pytest.raises(TalkFileError, match=re.escape(problem)):
            parse_talk_bytes(data, "t.yaml")
