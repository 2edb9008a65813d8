"""The organisers' synonyms file and the table the search looks words up in."""
import pytest

from meetup.search.analysis import STEMMERS
from meetup.search.synonyms import SynonymTable
from meetup.search.synonyms_file import SynonymsError, load_synonym_groups


@pytest.fixture(scope="module")
def shipped() -> SynonymTable:
    return SynonymTable(load_synonym_groups())


def synonyms_of(table: SynonymTable, word: str) -> list[str]:
    """Return the words the search also looks for when it meets word, as find does."""
    return [other for other, _weight in table.weighted_synonyms_of(word)]


@pytest.mark.parametrize(("word", "other"), [
    ("contenedor", "container"), ("despliegue", "deployment"), ("seguridad", "security"),
    ("autoescalado", "autoscaling"), ("secretos", "secrets"), ("k8s", "kubernetes"),
    ("observabilidad", "observability"),
])
def test_the_shipped_file_links_the_documented_pairs_both_ways(shipped, word, other):
    assert other in synonyms_of(shipped, word)
    assert word in synonyms_of(shipped, other)


def test_a_listed_pair_with_one_stem_is_one_word_to_the_search(shipped):
    # incidente and incident stem alike, so the search finds each for the other without the table.
    assert shipped.knows("incidente") and shipped.knows("incident")
    assert STEMMERS["es"]("incidente") == STEMMERS["es"]("incident")
    assert "incident" not in synonyms_of(shipped, "incidente")


def test_other_forms_of_a_listed_word_find_its_synonyms():
    table = SynonymTable([["contenedor", "container"]])
    assert synonyms_of(table, "contenedores") == ["container"]
    assert synonyms_of(table, "containers") == ["contenedor"]
    assert synonyms_of(table, "kubernetes") == []
    assert table.knows("contenedor") and not table.knows("contenedores")


@pytest.mark.parametrize(("content", "reason"), [
    ("- incidente\n", "expected a list of 2 to"),
    ("incidente: incident\n", "expected a list of at most"),
    ("- [one]\n", "expected a list of 2 to"),
    ("- [service mesh, malla]\n", "is not a single word"),
    ("- [a, [b]\n", "cannot read the synonyms"),
])
def test_a_malformed_file_is_refused_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "synonyms.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SynonymsError, match=reason):
        load_synonym_groups(path)


def test_an_empty_file_means_no_synonyms(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("# none yet\n", encoding="utf-8")
    assert load_synonym_groups(path) == []
