"""The catalogue's shared facts about fields: their lengths, the kinds of links and of events.

The tables' column widths and the files' validation both read them from here, so a file that
validates fits the columns on every database.
"""
from __future__ import annotations

from .slugs import MAX_SLUG_LENGTH

LIMITS = {"slug": MAX_SLUG_LENGTH, "title": 300, "abstract": 20_000, "name": 200, "role": 100, "url": 500,
          "event": 200, "place": 200, "source": 40, "source_id": 200, "link_title": 200}
# What a link of a talk is: its recording, its slides, its page on the event's site, or anything else.
LINK_KINDS = ("video", "slides", "event", "other")
# What an event is: one night of the meetup, or a conference (one or more days).
EVENT_KINDS = ("meetup", "conference")
