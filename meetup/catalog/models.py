"""The talk archive's tables: events, talks, their links, speakers, who spoke at which talk, old addresses, the content version."""
from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, joinedload, mapped_column, relationship, selectinload

from .fields import EVENT_KINDS, LIMITS, LINK_KINDS, WIDTHS, links_by_kind
from .languages import LANGUAGES
from .talkdate import TalkDate

__all__ = ["EVENT_KINDS", "LINK_KINDS", "Base", "Event", "SiteState", "SlugRedirect", "Speaker", "Talk", "TalkLink",
           "TalkSpeaker"]


def _known(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Base(DeclarativeBase):
    pass


class Speaker(Base):
    """One person, who may give many talks over the years."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(LIMITS["name"]), unique=True)
    slug: Mapped[str] = mapped_column(String(WIDTHS["speaker_slug"]), unique=True)

    appearances: Mapped[list[TalkSpeaker]] = relationship(back_populates="speaker")

    def __repr__(self) -> str:
        return f"<Speaker {self.name!r}>"


class TalkSpeaker(Base):
    """A speaker's place in one talk: the order they are listed in and their role at the time."""

    __tablename__ = "talk_speakers"
    __table_args__ = (UniqueConstraint("talk_id", "speaker_id"),)

    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str | None] = mapped_column(String(LIMITS["role"]))

    talk: Mapped[Talk] = relationship(back_populates="appearances")
    speaker: Mapped[Speaker] = relationship(back_populates="appearances", lazy="joined")


class Event(Base):
    """A meetup night or a conference: where talks were given, and where a file of them came from."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(_known("kind", EVENT_KINDS), name="event_kind_known"),
        UniqueConstraint("source", "source_id", name="event_source_id_unique"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(LIMITS["slug"]), unique=True)
    name: Mapped[str] = mapped_column(String(LIMITS["event"]))
    kind: Mapped[str] = mapped_column(String(WIDTHS["event_kind"]), default="conference")
    starts_year: Mapped[int | None] = mapped_column(Integer)
    starts_month: Mapped[int | None] = mapped_column(Integer)
    starts_day: Mapped[int | None] = mapped_column(Integer)
    ends_year: Mapped[int | None] = mapped_column(Integer)
    ends_month: Mapped[int | None] = mapped_column(Integer)
    ends_day: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(LIMITS["place"]))
    url: Mapped[str | None] = mapped_column(String(LIMITS["url"]))
    # The tool that wrote the file it came from (pretalx, frab, pyvideo ...) and that tool's own id of it.
    source: Mapped[str | None] = mapped_column(String(LIMITS["source"]))
    source_id: Mapped[str | None] = mapped_column(String(LIMITS["source_id"]))

    talks: Mapped[list[Talk]] = relationship(back_populates="event")

    @property
    def starts(self) -> TalkDate:
        return TalkDate(self.starts_year, self.starts_month, self.starts_day)

    @property
    def ends(self) -> TalkDate:
        return TalkDate(self.ends_year, self.ends_month, self.ends_day)

    def __repr__(self) -> str:
        return f"<Event {self.slug!r}>"


class TalkLink(Base):
    """One of a talk's links, in the order its source listed them, with its kind and title."""

    __tablename__ = "talk_links"
    __table_args__ = (CheckConstraint(_known("kind", LINK_KINDS), name="talk_link_kind_known"),)

    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(WIDTHS["link_kind"]))
    url: Mapped[str] = mapped_column(String(LIMITS["url"]))
    title: Mapped[str | None] = mapped_column(String(LIMITS["link_title"]))


class SlugRedirect(Base):
    """An address a talk had before: it answers with a permanent redirect to the talk's address now."""

    __tablename__ = "slug_redirects"

    slug: Mapped[str] = mapped_column(String(LIMITS["slug"]), primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)


class Talk(Base):
    """A talk the meetup hosted."""

    __tablename__ = "talks"
    __table_args__ = (
        CheckConstraint(_known("language", LANGUAGES), name="talk_language_known"),
        CheckConstraint("month IS NULL OR (year IS NOT NULL AND month BETWEEN 1 AND 12)", name="talk_month_valid"),
        CheckConstraint("day IS NULL OR (month IS NOT NULL AND day BETWEEN 1 AND 31)", name="talk_day_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(LIMITS["slug"]), unique=True)
    title: Mapped[str] = mapped_column(String(LIMITS["title"]))
    abstract: Mapped[str] = mapped_column(Text, default="")
    # The abstract's sanitised HTML, when its source wrote it in HTML or Markdown (shown on the talk's page).
    abstract_html: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(WIDTHS["language"]))
    # Detected on import: abstracts are often written in the other language than the talk's.
    abstract_language: Mapped[str | None] = mapped_column(String(WIDTHS["language"]))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    # The source's own id of the talk within its event (a pretalx code, a frab guid, a PyVideo file).
    source_id: Mapped[str | None] = mapped_column(String(LIMITS["source_id"]))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    appearances: Mapped[list[TalkSpeaker]] = relationship(
        back_populates="talk", order_by=TalkSpeaker.position, cascade="all, delete-orphan"
    )
    link_rows: Mapped[list[TalkLink]] = relationship(order_by=TalkLink.position, cascade="all, delete-orphan")
    event: Mapped[Event | None] = relationship(back_populates="talks")

    @property
    def date(self) -> TalkDate:
        return TalkDate(self.year, self.month, self.day)

    @date.setter
    def date(self, value: TalkDate) -> None:
        self.year, self.month, self.day = value.year, value.month, value.day

    @property
    def language_name(self) -> str:
        return LANGUAGES.get(self.language, self.language)

    @property
    def abstract_language_differs(self) -> bool:
        return self.abstract_language is not None and self.abstract_language != self.language

    @property
    def links(self) -> dict[str, str]:
        """Return the first link of each kind that the talk has (video, slides, event, other)."""
        return links_by_kind(self.link_rows)

    @property
    def speaker_names(self) -> list[str]:
        return [appearance.speaker.name for appearance in self.appearances]

    def __repr__(self) -> str:
        return f"<Talk {self.slug!r}>"


class SiteState(Base):
    """A single row whose content_version every change to talks bumps (indexes record it)."""

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_version: Mapped[int] = mapped_column(Integer, default=0)


def newest_first():
    """Return the ORDER BY for talks newest first, unknown and partial dates after known ones."""
    return (
        Talk.year.desc().nulls_last(),
        Talk.month.desc().nulls_last(),
        Talk.day.desc().nulls_last(),
        Talk.title,
    )


def talks_query():
    """Return a SELECT of talks with their speakers, links and event loaded in a few extra queries."""
    return select(Talk).options(selectinload(Talk.appearances), selectinload(Talk.link_rows), joinedload(Talk.event))


def of_event(query, event: str | None):
    """Return the query kept to the talks of one event (by its slug), or as it is for None."""
    if not event:
        return query
    return query.where(Talk.event_id == select(Event.id).where(Event.slug == event).scalar_subquery())


def talks_newest_first(
    session: Session, *, language: str | None = None, year: int | None = None, offset: int = 0,
    limit: int | None = None, event: str | None = None,
) -> list[Talk]:
    """Return talks newest first (a slice with offset and limit), optionally of one language, year and event."""
    query = of_event(talks_query().order_by(*newest_first()).offset(offset).limit(limit), event)
    if language:
        query = query.where(Talk.language == language)
    if year:
        query = query.where(Talk.year == year)
    return list(session.scalars(query))


def talks_in_rank_order(session: Session, slugs: list[str]) -> list[Talk]:
    """Return the talks with these slugs in the order given, skipping slugs no longer stored."""
    if not slugs:
        return []
    rows = session.scalars(talks_query().where(Talk.slug.in_(slugs)))
    by_slug = {talk.slug: talk for talk in rows}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def talks_by_speaker(session: Session, speaker_id: int) -> list[Talk]:
    """Return every talk this speaker gave, newest first."""
    given = select(TalkSpeaker.talk_id).where(TalkSpeaker.speaker_id == speaker_id)
    return list(session.scalars(talks_query().where(Talk.id.in_(given)).order_by(*newest_first())))


def speakers_with_counts(session: Session) -> list[tuple[Speaker, int]]:
    """Return every speaker with how many talks they gave, by name."""
    count = func.count(TalkSpeaker.talk_id)
    rows = session.execute(
        select(Speaker, count).join(TalkSpeaker).group_by(Speaker.id).order_by(Speaker.name)
    )
    return [(speaker, talks) for speaker, talks in rows]


def year_counts(session: Session, *, language: str | None = None, event: str | None = None) -> dict[int, int]:
    """Return how many talks (of one language and one event, or all) each known year has, newest year first."""
    query = of_event(select(Talk.year, func.count()).where(Talk.year.is_not(None)).group_by(Talk.year), event)
    if language:
        query = query.where(Talk.language == language)
    return dict(sorted(((year, count) for year, count in session.execute(query)), reverse=True))


def language_counts(session: Session, *, year: int | None = None, event: str | None = None) -> dict[str, int]:
    """Return how many talks there are in each language (in one year and one event, or all)."""
    query = of_event(select(Talk.language, func.count()).group_by(Talk.language), event)
    rows = session.execute(query.where(Talk.year == year) if year else query)
    counts = {code: 0 for code in LANGUAGES}
    counts.update({code: count for code, count in rows})
    return counts


def events_newest_first():
    """Return the ORDER BY for events newest first, undated ones last."""
    return (Event.starts_year.desc().nulls_last(), Event.starts_month.desc().nulls_last(),
            Event.starts_day.desc().nulls_last(), Event.name)


def events_with_counts(session: Session) -> list[tuple[Event, int]]:
    """Return every event newest first with how many talks it holds."""
    count = func.count(Talk.id)
    rows = session.execute(select(Event, count).outerjoin(Talk, Talk.event_id == Event.id)
                           .group_by(Event.id).order_by(*events_newest_first()))
    return [(event, talks) for event, talks in rows]


def talks_of_event(session: Session, event_id: int) -> list[Talk]:
    """Return an event's talks in schedule order: by day, then as its file listed them."""
    query = talks_query().where(Talk.event_id == event_id)
    return list(session.scalars(query.order_by(Talk.year.asc().nulls_last(), Talk.month.asc().nulls_last(),
                                               Talk.day.asc().nulls_last(), Talk.id)))


def content_version_query():
    """Return the SELECT of the content version (the single site_state row)."""
    return select(SiteState.content_version).where(SiteState.id == 1)


def content_version(session: Session) -> int:
    """Return the current content version (0 before anything was stored)."""
    return session.scalar(content_version_query()) or 0


_BUMPED_IN = "content_version_bumped_in"


def bump_version_on_content_change(session: Session, _flush_context, _instances) -> None:
    """Bump the content version in any flush that writes talks or speakers.

    Pages keep what they read per content version (cards, the newest-first list), so a change
    made without the import path, by hand or by a script, must not leave them showing the old.
    """
    if session.info.get(_BUMPED_IN) is session.get_transaction():
        return  # once per transaction is enough; the import path bumps it itself
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(instance, (Talk, TalkSpeaker, Speaker, TalkLink, Event)) for instance in changed):
        session.execute(update(SiteState).where(SiteState.id == 1)
                        .values(content_version=SiteState.content_version + 1))
        session.info[_BUMPED_IN] = session.get_transaction()


def lock_content(session: Session) -> SiteState:
    """Lock the site state row for this transaction, so concurrent writers serialise, and return it.

    A no-op UPDATE takes the lock on every database: a row lock on PostgreSQL, the write lock on
    SQLite, where SELECT ... FOR UPDATE is ignored. It must come first in the transaction, and
    the caller bumps content_version itself when it changes talks (the flush hook then stays out).
    """
    if session.get_bind().dialect.name == "postgresql":
        # Writers queue behind one another for as long as an import takes: only reads are bounded in time.
        session.execute(text("SET LOCAL statement_timeout = 0"))
    session.execute(update(SiteState).where(SiteState.id == 1).values(content_version=SiteState.content_version))
    session.info[_BUMPED_IN] = session.get_transaction()
    return session.scalars(select(SiteState).where(SiteState.id == 1).execution_options(populate_existing=True)).one()
