"""Learn from talks which sense of each cross-language pair they use: meetup/data/crosslang_senses.tsv.

A dictionary pair (seguro/sure, hablar/talk) is a translation in some contexts only. For each pair of
meetup/data/crosslang.tsv whose two words both occur in at least MIN_TALKS talks (the English word, in
any form, in English talks; the Spanish word in Spanish ones), compare the topics of the talks using each:

- each talk is a tf-idf vector over English stems (function words left out); a Spanish word counts
  as its dictionary translations, shared by their weights, or as itself when it has none (kubernetes,
  docker): the dictionary is the bridge between the two languages' talks;
- a word's context is the mean of the vectors of the talks using it, without the stems of the pair
  being judged (the pair's own words would make every context look alike);
- a pair's similarity is the cosine of the English word's and the Spanish word's contexts; a pair whose
  two words share a talk (a bilingual abstract, a Spanish talk with an English title) counts as one
  whose contexts are the same;
- searching a word, each of its translations keeps its similarity over the best one's of that word
  (the searched word's best translation keeps its dictionary weight), at least MIN_FACTOR.

The output lists, per pair with evidence, the factor applied when the English word is searched (to find
the Spanish one) and when the Spanish word is; pairs not listed keep their dictionary weight.

Run: .venv/bin/python scripts/learn_senses.py --talks meetup/data/talks.yaml ../shared/realdata/devopsdays-talks.yaml
"""
from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from meetup.search.analysis import STEMMERS, fold, folded_words  # noqa: E402
from meetup.search.functionwords import is_function_word  # noqa: E402
from meetup.search.synonyms_file import CROSSLANG_FILE, load_dictionary_pairs  # noqa: E402

# The pairs are English-Spanish: the two languages' stemmers by name.
stem_en, stem_es = STEMMERS["en"], STEMMERS["es"]

SENSES_FILE = ROOT / "meetup" / "data" / "crosslang_senses.tsv"
# Below this share of the best translation's similarity a sense still counts a little: the corpus is
# small, and a context that looks unrelated here may be the right one in another archive.
MIN_FACTOR = 0.2
# A word used in fewer talks has too little context to tell its sense: its pairs keep their weight.
MIN_TALKS = 3
# Talks sharing both words of a pair (beyond chance) make it a translation in use.
MIN_SHARED = 2

HEADER = """\
# Sense factors of the cross-language pairs, learned from talks by scripts/learn_senses.py: do not edit
# by hand. en_word<TAB>es_word<TAB>when the English word is searched<TAB>when the Spanish word is searched.
# A pair's weight (meetup/data/crosslang.tsv) is multiplied by the factor of the direction searched;
# pairs not listed keep their weight.
#
# Talks: {talks} ({english} English, {spanish} Spanish). Method: pairs whose words are each in {min_talks}
# or more talks of their language; each talk a tf-idf vector of English stems (a Spanish word counts as
# its translations); a word's context the mean vector of the talks using it, the pair's own stems left
# out; a pair's similarity the cosine of the two words' contexts (1 when both words share {min_shared} or
# more talks); a translation's factor its similarity over the best one's among the searched word's
# translations, at least {min_factor}.
"""


def read_talks(paths: list[Path]) -> list[tuple[str, list[str]]]:
    """Return (language, folded words of title and abstract) per talk of the given YAML files."""
    talks = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        records = data.get("talks", []) if isinstance(data, dict) else data
        for record in records or []:
            language = str(record.get("language") or "")
            if language in ("en", "es"):
                text = f"{record.get('title') or ''}\n{record.get('abstract') or ''}"
                talks.append((language, folded_words(text)))
    return talks


class Corpus:
    """Talks as tf-idf vectors over English stems, and which talks use each word's forms."""

    def __init__(self, talks: list[tuple[str, list[str]]], pairs: list[tuple[str, str, float]]) -> None:
        translations: dict[str, dict[str, float]] = defaultdict(dict)
        for english, spanish, weight in pairs:
            key = stem_es(fold(spanish))
            concept = stem_en(fold(english))
            translations[key][concept] = max(weight, translations[key].get(concept, 0.0))
        self.translations = dict(translations)
        self.users: dict[str, set[int]] = defaultdict(set)  # "en:stem" / "es:stem" -> talks using a form
        # Talks of either language using a form of a word: both words of a pair in one talk.
        self.anywhere: dict[str, set[int]] = defaultdict(set)
        self.words: list[set[str]] = []
        counts = []
        for number, (language, words) in enumerate(talks):
            for word in set(words):
                self.anywhere["en:" + stem_en(word)].add(number)
                self.anywhere["es:" + stem_es(word)].add(number)
            self.words.append(set(words))
            concepts: Counter[str] = Counter()
            for word in words:
                if is_function_word(word) or len(word) < 2:
                    continue
                if language == "en":
                    self.users["en:" + stem_en(word)].add(number)
                    concepts[stem_en(word)] += 1.0
                else:
                    self.users["es:" + stem_es(word)].add(number)
                    for concept, share in self.concepts_of_spanish(word).items():
                        concepts[concept] += share
            counts.append(concepts)
        frequency = Counter(concept for concepts in counts for concept in concepts)
        self.vectors = []
        for concepts in counts:
            vector = {concept: (1 + math.log(count)) * math.log(len(counts) / frequency[concept])
                      for concept, count in concepts.items() if count > 0}
            norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
            self.vectors.append({concept: value / norm for concept, value in vector.items()})
        self.languages = [language for language, _words in talks]

    def concepts_of_spanish(self, word: str) -> dict[str, float]:
        """Return the English stems a Spanish word stands for, shared by the dictionary's weights."""
        found = self.translations.get(stem_es(word))
        if not found:
            return {stem_en(word): 1.0}
        total = sum(found.values())
        return {concept: weight / total for concept, weight in found.items()}

    def talks_using(self, language: str, word: str) -> set[int]:
        """Return the talks of one language using a form of the (folded) word."""
        stem = stem_en(word) if language == "en" else stem_es(word)
        return self.users.get(f"{language}:{stem}", set())

    def shared_talks(self, english: str, spanish: str) -> int:
        """Count the talks holding a form of each word, two different words (cognates' forms do not count)."""
        english_stem, spanish_stem = stem_en(english), stem_es(spanish)
        count = 0
        for number in self.anywhere.get("en:" + english_stem, set()) & self.anywhere.get("es:" + spanish_stem, set()):
            words = self.words[number]
            # "parte" is a form of both "part" and "parte": only a word that is a form of one word and
            # not of the other shows the talk using both.
            if (any(stem_en(word) == english_stem and stem_es(word) != spanish_stem for word in words)
                    and any(stem_es(word) == spanish_stem and stem_en(word) != english_stem for word in words)):
                count += 1
        return count

    def context(self, talks: set[int], left_out: set[str]) -> dict[str, float]:
        """Return the mean vector of the talks, without the left-out stems."""
        summed: dict[str, float] = defaultdict(float)
        for number in talks:
            for concept, value in self.vectors[number].items():
                if concept not in left_out:
                    summed[concept] += value / len(talks)
        return summed


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    """Return the cosine of two sparse vectors (0 when either is empty)."""
    if len(first) > len(second):
        first, second = second, first
    dot = sum(value * second.get(concept, 0.0) for concept, value in first.items())
    norms = math.sqrt(sum(v * v for v in first.values())) * math.sqrt(sum(v * v for v in second.values()))
    return dot / norms if norms else 0.0


def similarities(corpus: Corpus, pairs: list[tuple[str, str, float]]) -> dict[tuple[str, str], float]:
    """Return the context similarity of each pair whose two words occur in talks of their languages."""
    found = {}
    for english, spanish, _weight in pairs:
        en_talks = corpus.talks_using("en", fold(english))
        es_talks = corpus.talks_using("es", fold(spanish))
        if len(en_talks) < MIN_TALKS or len(es_talks) < MIN_TALKS:
            continue
        left_out = {stem_en(fold(english))} | set(corpus.concepts_of_spanish(fold(spanish)))
        if corpus.shared_talks(fold(english), fold(spanish)) >= MIN_SHARED:
            found[(english, spanish)] = 1.0
            continue
        found[(english, spanish)] = cosine(corpus.context(en_talks, left_out),
                                           corpus.context(es_talks, left_out))
    return found


def factors(similarity: dict[tuple[str, str], float]) -> dict[tuple[str, str], tuple[float, float]]:
    """Return, per pair, its factor when the English word is searched and when the Spanish word is.

    A search finds a word's translations through its stems (seguridad finds what seguro is paired with),
    so a translation is compared with the best one of all the pairs sharing the searched word's stem.
    """
    best: dict[str, float] = defaultdict(float)
    for (english, spanish), value in similarity.items():
        for key in (_english_key(english), _spanish_key(spanish)):
            best[key] = max(best[key], value)

    def share(value: float, top: float) -> float:
        return round(max(MIN_FACTOR, min(1.0, value / top)) if top > 0 else 1.0, 2)

    return {(english, spanish): (share(value, best[_english_key(english)]), share(value, best[_spanish_key(spanish)]))
            for (english, spanish), value in similarity.items()}


def _english_key(word: str) -> str:
    return "en:" + stem_en(fold(word))


def _spanish_key(word: str) -> str:
    return "es:" + stem_es(fold(word))


def write(path: Path, learned: dict[tuple[str, str], tuple[float, float]], talks: list[tuple[str, list[str]]],
          names: list[str]) -> None:
    """Write the factors that differ from 1, with the header saying how they were learned."""
    english = sum(language == "en" for language, _words in talks)
    lines = [HEADER.format(talks=", ".join(names), english=english, spanish=len(talks) - english,
                           min_shared=MIN_SHARED, min_factor=MIN_FACTOR, min_talks=MIN_TALKS)]
    for (en_word, es_word), (searching_en, searching_es) in sorted(learned.items()):
        if searching_en < 1.0 or searching_es < 1.0:
            lines.append(f"{en_word}\t{es_word}\t{searching_en:g}\t{searching_es:g}\n")
    path.write_text("".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=Path, nargs="+", required=True, help="YAML talk files (import format)")
    parser.add_argument("--pairs", type=Path, default=CROSSLANG_FILE)
    parser.add_argument("--out", type=Path, default=SENSES_FILE)
    parser.add_argument("--show", nargs="*", default=(), help="print these words' pairs and similarities")
    args = parser.parse_args(argv)
    pairs = load_dictionary_pairs(args.pairs)
    talks = read_talks(args.talks)
    corpus = Corpus(talks, pairs)
    similarity = similarities(corpus, pairs)
    learned = factors(similarity)
    write(args.out, learned, talks, [path.name for path in args.talks])
    changed = sum(min(pair) < 1.0 for pair in learned.values())
    print(f"{len(talks)} talks; {len(similarity)} pairs with both words in use, {changed} with a factor below 1 "
          f"written to {args.out}", file=sys.stderr)
    for word in args.show:
        for (english, spanish), value in sorted(similarity.items()):
            if word in (english, spanish):
                print(f"{english}\t{spanish}\tsim {value:.3f}\tfactors {learned[(english, spanish)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
