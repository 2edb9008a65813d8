"""The data-quality report's building blocks (the report itself: tests/web/test_speakers.py, check-data)."""
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
    report = DataReport(language_mismatches=["a"], similar_speakers=["b / c"], missing_dates=[], partial_dates=["d"])
    assert [(title.split()[0], lines) for title, lines in report.sections()] == [
        ("abstract", ["a"]), ("speakers", ["b / c"]), ("talks", []), ("talks", ["d"])]
