"""The archive's languages: one list, and telling which of them a text is written in."""
import pytest

from meetup.catalog.formats.external import language_code
from meetup.catalog.languages import LANGUAGES, detect_language
from meetup.search import reader
from meetup.web import i18n, sharing


@pytest.mark.parametrize(("text", "language"), [
    ("Vamos a ver cómo instrumentar servicios con trazas y métricas en producción", "es"),
    ("We will walk through how we run our services in production every day", "en"),
    ("Kubernetes", None),  # too short to judge
    ("Kubernetes Prometheus Grafana Terraform Ansible Jenkins Docker Helm", None),  # names, no language
])
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_the_search_index_knows_the_same_languages():
    # The search package keeps its own copy so it depends on nothing else; the two must agree.
    assert set(reader.LANGS) == set(LANGUAGES)


@pytest.mark.parametrize(("table", "name"), [
    (i18n.SUPPORTED, "interface languages"),
    (i18n.LANGUAGE_LABELS, "translated language names"),
    (i18n.ENDONYMS, "names on the language switch"),
    (sharing.OPEN_GRAPH_LOCALES, "OpenGraph locales"),
])
def test_every_language_has_what_the_interface_shows_for_it(table, name):
    assert set(table) == set(LANGUAGES), name


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_other_tools_files_name_every_language(code):
    assert language_code(code) == code
    assert language_code(LANGUAGES[code]) == code
