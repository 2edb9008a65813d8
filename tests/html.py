"""Read what a rendered page lists: its talk cards (or a speaker page's rows), in the order shown."""
from __future__ import annotations

import re

CARD = re.compile(r'<(?:article class="talk-card"|li class="talk-row") data-slug="([^"]+)" data-lang="([a-z]{2})">')


def cards(html: str) -> list[tuple[str, str]]:
    """Return the slug and language of every talk card, in order."""
    return CARD.findall(html)


def card_slugs(html: str) -> list[str]:
    """Return the slug of every talk card, in order."""
    return [slug for slug, _lang in CARD.findall(html)]
