"""The sense factors of cross-language pairs are learned from the talks' contexts as the script's header says."""
import importlib.util
from pathlib import Path

import pytest

from meetup.search.synonyms_file import load_crosslang_pairs

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "learn_senses.py"
spec = importlib.util.spec_from_file_location("learn_senses", SCRIPT)
learn = importlib.util.module_from_spec(spec)
spec.loader.exec_module(learn)

PAIRS = [("secure", "seguro", 1.0), ("sure", "seguro", 1.0), ("container", "contenedor", 1.0),
         ("vulnerability", "vulnerabilidad", 1.0), ("image", "imagen", 1.0), ("team", "equipo", 1.0),
         ("meeting", "reunión", 1.0), ("plan", "planificar", 1.0)]
SECURE = [("en", f"Secure containers {n}: scanning images for vulnerabilities".split()) for n in range(3)]
SURE = [("en", f"Make sure the team plans its meetings {n}".split()) for n in range(3)]
SEGURO = [("es", f"Contenedores seguros {n}: imágenes sin vulnerabilidades".split()) for n in range(3)]


def words(talks):
    return [(language, [learn.fold(word) for word in text]) for language, text in talks]


@pytest.mark.parametrize(("talks", "pair", "expected"), [
    # "seguro" is used where English talks say "secure", not "sure": the unrelated sense gets the floor.
    (SECURE + SURE + SEGURO, ("secure", "seguro"), (1.0, 1.0)),
    (SECURE + SURE + SEGURO, ("sure", "seguro"), (1.0, learn.MIN_FACTOR)),
    # A word in fewer than MIN_TALKS talks is not judged: its pairs keep their weight.
    (SECURE + SURE[:2] + SEGURO, ("sure", "seguro"), None),
    (SECURE + SURE + SEGURO[:2], ("secure", "seguro"), None),
    # Two talks using both words make the pair a translation in use, whatever the contexts.
    (SECURE + SURE + SEGURO + [("es", "seguro sure".split())] * 2, ("sure", "seguro"), (1.0, 1.0)),
])
def test_factors_follow_the_contexts(talks, pair, expected):
    corpus = learn.Corpus(words(talks), PAIRS)
    assert learn.factors(learn.similarities(corpus, PAIRS)).get(pair) == expected


@pytest.mark.parametrize(("similarity", "expected"), [
    ({("secure", "seguro"): 0.4, ("sure", "seguro"): 0.1},
     {("secure", "seguro"): (1.0, 1.0), ("sure", "seguro"): (1.0, 0.25)}),
    # Pairs sharing the searched word's stem are compared together ("seguridad" finds what "seguro" is paired with).
    ({("security", "seguridad"): 0.5, ("sure", "seguro"): 0.05},
     {("security", "seguridad"): (1.0, 1.0), ("sure", "seguro"): (1.0, learn.MIN_FACTOR)}),
    ({("talk", "hablar"): 0.0}, {("talk", "hablar"): (1.0, 1.0)}),
])
def test_each_direction_is_compared_with_the_best_translation(similarity, expected):
    assert learn.factors(similarity) == expected


def test_the_written_factors_scale_the_pairs_they_list(tmp_path: Path):
    vocabulary = tmp_path / "crosslang.tsv"
    vocabulary.write_text("".join(f"{en}\t{es}\t{weight}\n" for en, es, weight in PAIRS), encoding="utf-8")
    learned = {("sure", "seguro"): (1.0, 0.2), ("secure", "seguro"): (1.0, 1.0)}
    learn.write(tmp_path / learn.SENSES_FILE.name, learned, words(SECURE + SEGURO), ["test.yaml"])
    pairs = {(en, es): weights for en, es, *weights in load_crosslang_pairs(vocabulary)}
    assert pairs[("sure", "seguro")] == [1.0, 0.2]
    assert pairs[("secure", "seguro")] == [1.0, 1.0]
    assert pairs[("team", "equipo")] == [1.0, 1.0]
