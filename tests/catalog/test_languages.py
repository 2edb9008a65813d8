"""The archive's languages: one list, and telling which of them a text is written in."""
import pytest
from babel import Locale

from meetup.catalog.formats.external import language_code
from meetup.catalog.languages import LANGUAGES, detect_language
from meetup.search import analysis
from meetup.web import i18n


@pytest.mark.parametrize(("text", "language"), [
    ("Vamos a ver cómo instrumentar servicios con trazas y métricas en producción", "es"),
    ("We will walk through how we run our services in production every day", "en"),
    ("Kubernetes", None),  # too short to judge
    ("Kubernetes Prometheus Grafana Terraform Ansible Jenkins Docker Helm", None),  # names, no language
])
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_the_search_index_knows_the_same_languages():
    # The search package keeps its own table (a stemmer per language) so it depends on nothing else; the two must agree.
    assert set(analysis.LANGS) == set(LANGUAGES)


@pytest.mark.parametrize(("interface", "code"), [
    (interface, code) for interface in i18n.INTERFACE_LOCALES for code in LANGUAGES])
def test_every_interface_language_names_every_talk_language(interface, code):
    assert Locale.parse(i18n.INTERFACE_LOCALES[interface]).languages.get(code)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_other_tools_files_name_every_language(code):
    assert language_code(code) == code
    assert language_code(LANGUAGES[code]) == code
