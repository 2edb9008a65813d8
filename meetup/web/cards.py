"""What a talk's card shows, read from the database once per content version and kept in memory.

Nothing on a card depends on the search, so typing visitors should not pay for reading talks
and their speakers through the ORM keystroke after keystroke. Every change to talks bumps the
content version, and memory read at another version is never used: the database stays the truth.
"""
from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, get_template_attribute, request, url_for
from markupsafe import Markup
from sqlalchemy.orm import Session

from ..catalog.models import Talk, talks_in_rank_order
from ..catalog.talkdate import TalkDate
from ..catalog.versionreader import VersionReader
from .i18n import ui_language

CARDS_KEPT = 20_000  # about 20 MB: every talk of a large archive's recent searches
LISTINGS_KEPT = 512  # pages of the newest-first list, with the counts beside them


class VersionedMemo:
    """Values computed from the database at one content version; a new version forgets them all.

    Bounded by count: beyond max_entries the oldest stored value goes first (typing asks for
    the same few again and again, so which goes matters little and a plain dict stays cheap).
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._version: int | None = None
        self._values: dict[Hashable, Any] = {}
        # What was stored at the version before: never answered as current, only offered for comparison.
        self._previous: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, version: int, key: Hashable) -> Any:
        """Return the value stored for key at this version, or None."""
        values = self._values
        return values.get(key) if self._version == version else None

    def put(self, version: int, key: Hashable, value: Any) -> None:
        """Store a value computed at this version, forgetting those of any other."""
        with self._lock:
            if self._version != version:
                if self._version is not None and version < self._version:
                    return  # computed by a request that started before a change: never kept
                self._previous = self._values if self._version is not None else {}
                self._version, self._values = version, {}
            self._values[key] = value
            while len(self._values) > self.max_entries:
                del self._values[next(iter(self._values))]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._version, self._values, self._previous = None, {}, {}

    def previous(self, version: int, key: Hashable) -> Any:
        """Return the value stored for key at the latest version before this one, or None."""
        if self._version is not None and self._version < version:
            return self._values.get(key)  # nothing stored at this version yet
        return self._previous.get(key) if self._version == version else None

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class EventRef:
    """The event a talk belongs to, as its card names and links it."""

    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Appearance:
    """A speaker at one talk, as the card lists them."""

    speaker: SpeakerRef
    role: str | None


@dataclass(frozen=True, slots=True)
class Card:
    """A talk as its card shows it, with the names templates use for a talk."""

    slug: str
    title: str
    abstract: str
    language: str
    abstract_language: str | None
    date: TalkDate
    links: dict[str, str] = field(hash=False)
    appearances: tuple[Appearance, ...]
    event: EventRef | None = None
    # Its rendered parts by (interface language, script root): a card lives one content version.
    parts: dict[tuple[str, str], CardParts] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def abstract_language_differs(self) -> bool:
        return self.abstract_language is not None and self.abstract_language != self.language

    @classmethod
    def of(cls, talk: Talk) -> Card:
        """Copy what the card shows from a talk with its speakers loaded."""
        return cls(
            slug=talk.slug, title=talk.title, abstract=talk.abstract, language=talk.language,
            abstract_language=talk.abstract_language, date=talk.date,
            links=talk.links,
            appearances=tuple(Appearance(SpeakerRef(a.speaker.name, a.speaker.slug), a.role)
                              for a in talk.appearances),
            event=EventRef(talk.event.name, talk.event.slug) if talk.event is not None else None,
        )


CARD_TEMPLATE = "_card_parts.html"


@dataclass(frozen=True, slots=True)
class CardParts:
    """The markup of a card that no search changes: its address, its details and its abstract's opening."""

    href: str
    details: Markup
    abstract: Markup


def card_parts(talk: Card | Talk) -> CardParts:
    """Return what a talk's card shows whatever the search, rendered once per card and interface language.

    The markup comes from the card template's own macros (escaped there); a Card keeps it, and
    a Card is read again at each content version and kept only while it reads the same, so it is never stale.
    """
    key = (ui_language(), request.script_root)
    kept = talk.parts.get(key) if isinstance(talk, Card) else None
    if kept is None:
        kept = CardParts(url_for("talks.talk", slug=talk.slug),
                         get_template_attribute(CARD_TEMPLATE, "card_details")(talk),
                         get_template_attribute(CARD_TEMPLATE, "card_abstract")(talk))
        if isinstance(talk, Card):
            talk.parts[key] = kept
    return kept


def version_now() -> int:
    """Return the content version, read once per request on a connection of its own.

    Without a session: a keystroke answered from memory then needs no more of the database.
    What the request reads afterwards is of this version or a newer one, never an older one.
    """
    if "content_version" not in g:
        # The engine the request's sessions are bound to: an unreachable database is a 503 here too.
        engine = current_app.extensions["meetup_sessions"].kw["bind"]
        g.content_version = current_app.extensions["meetup_version_reader"].read(engine)
    return g.content_version


def cards_in_rank_order(session: Session, slugs: list[str]) -> list[Card]:
    """Return the cards of these talks in the order given, reading only those not in memory."""
    memo: VersionedMemo = current_app.extensions["meetup_cards"]
    version = version_now()
    found = {slug: card for slug in slugs if (card := memo.get(version, slug)) is not None}
    missing = [slug for slug in slugs if slug not in found]
    for talk in talks_in_rank_order(session, missing) if missing else ():
        card = Card.of(talk)
        # A talk the change left as it was keeps its card, markup rendered included: after an
        # import, every card is read again but few are rendered again.
        earlier = memo.previous(version, talk.slug)
        found[talk.slug] = card = earlier if earlier == card else card
        memo.put(version, talk.slug, card)
    return [found[slug] for slug in slugs if slug in found]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["card_parts"] = card_parts
    app.extensions["meetup_version_reader"] = VersionReader()
    app.extensions["meetup_cards"] = VersionedMemo(CARDS_KEPT)
    app.extensions["meetup_listings"] = VersionedMemo(LISTINGS_KEPT)
