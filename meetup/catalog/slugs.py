"""Slugs, the short stable keys of talks and speakers in URLs, files and the index."""
from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 100
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Turn a title or a name into a lowercase ASCII slug: "Tamaño de CI/CD" -> "tamano-de-ci-cd"."""
    text = re.sub(r"['’]", "", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug
