"""The interface in English and Spanish (and a third language as a catalogue): choice, switch, dates, plurals, catalogue completeness."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}


def test_english_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "<h1>Talks</h1>" in html
    assert "23 March 2018" in html and "Date unknown" in html


def test_spanish_from_accept_language(client):
    response = client.get("/", headers=SPANISH)
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html and "<h1>Charlas</h1>" in html
    assert '<time datetime="2018-03-23">23 de marzo de 2018</time>' in html
    assert "Fecha desconocida" in html and "19 charlas, de la más reciente a la más antigua." in html
    assert ">español</span>" in html and "(resumen en inglés)" in html
    assert {"Accept-Language", "Cookie", "HX-Request"} <= set(response.headers["Vary"].replace(" ", "").split(","))


@pytest.mark.parametrize(("query", "expected"), [
    ("graphql", "1 charla coincide con «graphql»"),
    ("kubernetes", "charlas coinciden con «kubernetes»"),
    ("zzqxv", "Ninguna charla coincide con «zzqxv»"),
])
def test_spanish_counts_and_plurals(client, query, expected):
    assert expected in client.get("/", query_string={"q": query}, headers=SPANISH).get_data(as_text=True)


def test_visitor_text_inside_a_translation_is_escaped(client):
    html = client.get("/", query_string={"q": "<b>zz</b>"}, headers=SPANISH).get_data(as_text=True)
    assert "<b>zz</b>" not in html and "«&lt;b&gt;zz&lt;/b&gt;»" in html


def test_switch_is_remembered_and_returns_to_the_page(client):
    response = client.get("/language/es?next=/talks/postmortems-at-flywire")
    assert response.status_code == 303 and response.headers["Location"] == "/talks/postmortems-at-flywire"
    assert "ui_lang=es" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    html = client.get("/talks/postmortems-at-flywire", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "27 de noviembre de 2019" in html and "Ponentes" in html
    assert 'href="/language/en?next=/talks/postmortems-at-flywire"' in html
    client.get("/language/en?next=/")
    assert "<h1>Talks</h1>" in client.get("/", headers=SPANISH).get_data(as_text=True)


@pytest.mark.parametrize("target", [
    "//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "", "javascript:alert(1)",
    "/\t/evil.example", "/\t\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example",
    "\t//evil.example", " //evil.example", "\x00//evil.example", "/\\/evil.example", "\\/evil.example",
    "/%09/evil.example", "/%2F/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "java\tscript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "evil.example",
    "http:/evil.example", "https:evil.example", "/" + "a" * 3000,
])
def test_switch_never_redirects_elsewhere(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


@pytest.mark.parametrize(("target", "location"), [
    ("/talks/postmortems-at-flywire", "/talks/postmortems-at-flywire"),
    ("/?q=kubernetes&lang=es", "/?q=kubernetes&lang=es"),
    ("/?q=caf%C3%A9", "/?q=caf%C3%A9"),
    ("/?q=café", "/?q=caf%C3%A9"),
    ("/speakers/", "/speakers/"),
    # A browser drops the newlines: the same-site path that is left, with nothing injected in the header.
    ("/x\r\nSet-Cookie: x=1", "/xSet-Cookie:%20x=1"),
    ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),
])
def test_switch_returns_to_same_site_paths(client, target, location):
    response = client.get("/language/es", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == location


@pytest.mark.parametrize("page", ["/?q=kubernetes&lang=es", "/talks/postmortems-at-flywire", "/speakers/", "/"])
def test_under_a_path_prefix_the_switch_stays_in_the_mount(make_app, page):
    app = make_app(SEED_ON_EMPTY=True, indexed=True, PUBLIC_BASE_URL="https://talks.example.org/talks")
    client = app.test_client()  # as behind the proxy, which takes the prefix off the path it passes on
    html = client.get(page).get_data(as_text=True)
    switch = re.search(r'class="language-switch" href="([^"]+)"', html)[1].replace("&amp;", "&")
    assert switch.startswith("/talks/language/es?next=")
    response = client.get(switch.removeprefix("/talks"))
    location = response.headers["Location"]
    assert response.status_code == 303 and location.removeprefix("https://talks.example.org").startswith("/talks/")
    back = client.get(location.removeprefix("https://talks.example.org").removeprefix("/talks"))
    assert back.status_code == 200 and '<html lang="es">' in back.get_data(as_text=True)


def test_unknown_language_changes_nothing(client):
    response = client.get("/language/fr?next=/")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers


def test_partial_dates_in_both_languages(seeded_app):
    from meetup.web.i18n import human_date
    from meetup.catalog.talkdate import TalkDate

    for language, expected in (("en", ["March 2019", "2019", "Date unknown"]), ("es", ["marzo de 2019", "2019", "Fecha desconocida"])):
        with seeded_app.test_request_context(headers={"Accept-Language": language}):
            assert [human_date(TalkDate(2019, 3)), human_date(TalkDate(2019)), human_date(TalkDate())] == expected


def test_error_pages_are_translated(client):
    response = client.get("/nope", headers=SPANISH)
    assert response.status_code == 404 and "Página no encontrada" in response.get_data(as_text=True)


def test_every_interface_string_has_a_spanish_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "lazy_gettext",
         "-o", str(template), "--no-location", "--omit-header", "--ignore-dirs=.venv tests index instance", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with (ROOT / "translations/es/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {message.id for message in catalogue if message.id and all(message.string if isinstance(message.string, tuple) else [message.string])}
    assert wanted - translated == set(), "run `make translations` and translate the new entries"


def test_processes_starting_together_compile_the_catalogues_without_failing(tmp_path):
    """Gunicorn's master and `flask index follow` start at once on a fresh instance folder."""
    from babel.messages.mofile import read_mo
    target = tmp_path / "translations"
    script = ("import sys; from pathlib import Path; from meetup.web.i18n import compile_catalogues, TRANSLATIONS\n"
              "for _ in range(30):\n"
              "    for mo in Path(sys.argv[1]).glob('*/LC_MESSAGES/*.mo'): mo.unlink(missing_ok=True)\n"
              "    compile_catalogues(TRANSLATIONS, Path(sys.argv[1]))\n")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(target)], cwd=ROOT, stderr=subprocess.PIPE)
            for _ in range(4)]
    errors = [run.communicate(timeout=120)[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], errors
    compiled = sorted(path.name for path in target.glob("*/LC_MESSAGES/*"))
    assert compiled == ["messages.mo"]  # no temporary file left behind
    with (target / "es/LC_MESSAGES/messages.mo").open("rb") as mo_file:
        assert read_mo(mo_file).get("Nothing found").string == "No se ha encontrado nada"


CATALAN = {"Talks": "Xerrades", "Both": "Totes dues", "Date unknown": "Data desconeguda"}


@pytest.fixture
def catalan_app(make_app, tmp_path, monkeypatch):
    """An app with a third interface language: its catalogue and its line, search and catalogue untouched."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from meetup.web import i18n

    translations = tmp_path / "catalogues"
    shutil.copytree(ROOT / "translations", translations)
    catalogue = Catalog(locale="ca")
    for english, catalan in CATALAN.items():
        catalogue.add(english, catalan)
    (translations / "ca/LC_MESSAGES").mkdir(parents=True)
    with (translations / "ca/LC_MESSAGES/messages.po").open("wb") as po_file:
        write_po(po_file, catalogue)
    monkeypatch.setattr(i18n, "TRANSLATIONS", translations)
    monkeypatch.setattr(i18n, "INTERFACE_LOCALES", {**i18n.INTERFACE_LOCALES, "ca": "ca_ES"})
    return make_app(SEED_ON_EMPTY=True, indexed=True)


@pytest.mark.parametrize(("how", "expected"), [
    ({"headers": {"Accept-Language": "ca-ES,ca;q=0.9"}}, ['<html lang="ca">', "<h1>Xerrades</h1>", "Totes dues",
                                                           "23 de març del 2018", "Data desconeguda", ">espanyol</span>",
                                                           ">English</a>", ">Español</a>"]),
    ({"switch": "ca"}, ['<html lang="ca">', "<h1>Xerrades</h1>", ">anglès</span>"]),
    ({"headers": {"Accept-Language": "en"}}, ['<html lang="en">', "<h1>Talks</h1>", ">Català</a>", ">Español</a>",
                                              ">Spanish</span>"]),
])
def test_a_third_interface_language_is_a_catalogue_and_a_line(catalan_app, how, expected):
    client = catalan_app.test_client()
    if "switch" in how:
        response = client.get(f"/language/{how['switch']}?next=/")
        assert response.status_code == 303 and f"ui_lang={how['switch']}" in response.headers["Set-Cookie"]
    html = client.get("/", **{key: value for key, value in how.items() if key == "headers"}).get_data(as_text=True)
    missing = [text for text in expected if text not in html]
    assert missing == []
