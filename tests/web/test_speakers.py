"""Speaker pages, the abstract-language note, and flask check-data."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests.html import card_slugs


TWO_TALKS = """\
- title: Observabilidad con OpenTelemetry
  date: 2022-05-10
  language: es
  speakers: [José Pérez (SRE)]
  abstract: Vamos a ver cómo instrumentar servicios con trazas, métricas y registros sin volvernos locos en el intento.
- title: Incident command for small teams
  date: 2023-01-20
  language: en
  speakers: [Jose Perez, Ana Gómez (Host)]
  abstract: Cuando algo falla en producción, un equipo pequeño necesita roles claros y una comunicación sencilla con todos.
"""


def test_speaker_page_lists_their_talks_newest_first(seeded_app, write_file):
    seeded_app.test_cli_runner().invoke(args=["import-talks", str(write_file("t.yaml", TWO_TALKS))])
    client = seeded_app.test_client()
    html = client.get("/speakers/jose-perez").get_data(as_text=True)
    assert "<h1>José Pérez</h1>" in html
    assert card_slugs(html) == ["observabilidad-con-opentelemetry"]
    # "Jose Perez" is another record (a look-alike, reported by check-data), with its own page.
    other = client.get("/speakers/jose-perez-2").get_data(as_text=True)
    assert "<h1>Jose Perez</h1>" in other and card_slugs(other) == ["incident-command-for-small-teams"]


def test_talks_link_to_their_speakers(client):
    card = client.get("/").get_data(as_text=True)
    assert '<a class="speaker" href="/speakers/omar-lopez">Omar López</a> <span class="role">(SRE)</span>' in card
    page = client.get("/talks/postmortems-at-flywire").get_data(as_text=True)
    assert 'href="/speakers/andoni-alonso"' in page


def test_speaker_index_and_unknown_speaker(client):
    html = client.get("/speakers/").get_data(as_text=True)
    assert len(re.findall(r'href="/speakers/[a-z]', html)) == 5
    assert client.get("/speakers/nobody").status_code == 404
    assert client.get("/speakers/%00").status_code == 404


def test_speaker_page_makes_a_constant_number_of_queries(seeded_app, write_file):
    many = "".join(f"- title: Talk number {n}\n  language: en\n  speakers: [Omar López, Guest {n}]\n" for n in range(30))
    seeded_app.test_cli_runner().invoke(args=["import-talks", str(write_file("many.yaml", many))])
    statements = []
    engine = seeded_app.extensions["meetup_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        html = seeded_app.test_client().get("/speakers/omar-lopez").get_data(as_text=True)
        listing = len(statements)
        statements.clear()
        seeded_app.test_client().get("/")
        home = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(card_slugs(html)) == 31
    # Talks, their speakers and their links: one query each, however many talks.
    assert listing <= 5 and home <= 7


def test_card_says_when_the_abstract_is_in_another_language(client):
    html = client.get("/").get_data(as_text=True)
    card = html[html.index('data-slug="postmortems-at-flywire"'):]
    card = card[: card.index("</article>")]
    assert "(abstract in English)" in card
    same = html[html.index('data-slug="autoescalado-con-ladder"'):]
    assert "abstract in" not in same[: same.index("</article>")]


def test_check_data_reports_mixed_languages_look_alike_speakers_and_dates(seeded_app, write_file):
    runner = seeded_app.test_cli_runner()
    runner.invoke(args=["import-talks", str(write_file("t.yaml", TWO_TALKS))])
    result = runner.invoke(args=["check-data"])
    assert result.exit_code == 0
    out = result.output
    assert "postmortems-at-flywire: talk in Spanish, abstract reads as English" in out
    assert "incident-command-for-small-teams: talk in English, abstract reads as Spanish" in out
    assert "speakers that look like the same person: 1\n  Jose Perez / José Pérez" in out
    assert "talks with no date: 2" in out
    assert "anatomy-of-an-object-storage-migration-plan: only 2019" in out


def _index_names(html: str) -> list[str]:
    return re.findall(r'<li><a href="/speakers/[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize(("query", "names"), [
    ("", ["Ana Gómez", "Andoni Alonso", "Imanol González", "Jose Perez", "José Pérez", "Omar López", "Pedro Díaz",
          "Xabier Larrakoetxea"]),
    ("perez", ["Jose Perez", "José Pérez"]),
    ("PÉREZ", ["Jose Perez", "José Pérez"]),
    ("  gonz  ", ["Imanol González"]),
    ("nobody", []),
])
def test_speakers_index_filters_by_name_without_javascript(seeded_app, write_file, query, names):
    seeded_app.test_cli_runner().invoke(args=["import-talks", str(write_file("t.yaml", TWO_TALKS))])
    html = seeded_app.test_client().get("/speakers/", query_string={"q": query}).get_data(as_text=True)
    assert _index_names(html) == names
    assert re.search(r'<form class="speaker-filter[^"]*" method="get" action="/speakers/"', html)
    assert f'name="q" value="{query.strip()}"' in html


def test_speakers_index_groups_names_under_linked_initials(seeded_app, write_file):
    seeded_app.test_cli_runner().invoke(args=["import-talks", str(write_file("t.yaml", TWO_TALKS))])
    html = seeded_app.test_client().get("/speakers/").get_data(as_text=True)
    headings = re.findall(r'<h2 id="letter-(\w+)">(\w)</h2>', html)
    assert headings == [("a", "A"), ("i", "I"), ("j", "J"), ("o", "O"), ("p", "P"), ("x", "X")]
    nav = html.split('class="initials"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="#letter-(\w)">', nav) == ["a", "i", "j", "o", "p", "x"]
    assert nav.count("<li>") == 26  # every letter shown, the empty ones not linked
    j_section = html.split('id="letter-j"')[1].split("</section>")[0]
    assert _index_names(j_section) == ["Jose Perez", "José Pérez"]
