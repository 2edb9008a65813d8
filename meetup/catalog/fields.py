"""The catalogue's shared facts about fields: their lengths, the kinds of links and of events.

The tables' column widths and the files' validation both read them from here, so a file that
validates fits the columns on every database.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .slugs import MAX_SLUG_LENGTH

LIMITS = {"slug": MAX_SLUG_LENGTH, "title": 300, "abstract": 20_000, "name": 200, "role": 100, "url": 500,
          "event": 200, "place": 200, "source": 40, "source_id": 200, "link_title": 200}
# Column widths of values validation checks against a list rather than a length (codes and kinds), and
# of a speaker's slug (a name's slug and a number): with LIMITS, every width the tables declare.
WIDTHS = {"language": 2, "event_kind": 20, "link_kind": 10, "speaker_slug": 220}
# What a link of a talk is: its recording, its slides, its page on the event's site, or anything else.
LINK_KINDS = ("video", "slides", "event", "other")


class HasKindAndURL(Protocol):
    kind: str
    url: str


def links_by_kind(links: Iterable[HasKindAndURL]) -> dict[str, str]:
    """Return the first URL of each kind among a talk's links (records or rows), in their listed order."""
    first: dict[str, str] = {}
    for link in links:
        first.setdefault(link.kind, link.url)
    return first


# What an event is: one night of the meetup, or a conference (one or more days).
EVENT_KINDS = ("meetup", "conference")
# Characters that change the direction of the text around them (embeddings, overrides, isolates):
# a title or name holding one can show as something else than it is. Files holding them are refused.
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Zero-width spaces, word joiners and stray byte-order marks: invisible, and they split words for
# search ("Kuber\u200bnetes" is not found). They carry nothing, so they are dropped from text on import.
ZERO_WIDTH = "\u200b\u2060\ufeff"
