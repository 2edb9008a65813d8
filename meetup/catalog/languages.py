"""The languages talks are given in, by code, and telling which of them a text is written in (offline)."""
from __future__ import annotations

import re
from functools import lru_cache

# The one list of the archive's languages: talks, filters, the API, feeds and the interface use it.
LANGUAGES = {"en": "English", "es": "Spanish"}
MIN_WORDS = 8
MIN_CONFIDENCE = 0.9
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str | None:
    """Return "en" or "es" for a text long enough to judge with confidence, else None."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    language, confidence = _identifier().classify(text)
    return language if confidence >= MIN_CONFIDENCE else None
