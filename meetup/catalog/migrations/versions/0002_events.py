"""Events (meetup nights, conferences), every link of a talk with its title, sources' ids, HTML abstracts, old addresses.

A talk's three link columns (slides, video, event page) become rows of talk_links, in that order;
no talk gets an event here (the organisers' files say which event a talk belongs to).

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_OLD_LINKS = (("slides", "slides_url"), ("video", "video_url"), ("event", "event_url"))


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts_year", sa.Integer(), nullable=True),
        sa.Column("starts_month", sa.Integer(), nullable=True),
        sa.Column("starts_day", sa.Integer(), nullable=True),
        sa.Column("ends_year", sa.Integer(), nullable=True),
        sa.Column("ends_month", sa.Integer(), nullable=True),
        sa.Column("ends_day", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("source", sa.String(40), nullable=True),
        sa.Column("source_id", sa.String(200), nullable=True),
        sa.CheckConstraint("kind IN ('meetup', 'conference')", name="event_kind_known"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
        sa.UniqueConstraint("source", "source_id", name="event_source_id_unique"),
    )
    op.create_table(
        "talk_links",
        sa.Column("talk_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.CheckConstraint("kind IN ('video', 'slides', 'event', 'other')", name="talk_link_kind_known"),
        sa.ForeignKeyConstraint(["talk_id"], ["talks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("talk_id", "position"),
    )
    op.create_table(
        "slug_redirects",
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("talk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["talk_id"], ["talks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_index("ix_slug_redirects_talk_id", "slug_redirects", ["talk_id"])
    position = 0
    for kind, column in _OLD_LINKS:
        position += 1
        # Each talk's links keep the order slides, video, event page; positions need only be distinct.
        op.execute(
            f"INSERT INTO talk_links (talk_id, position, kind, url, title) "
            f"SELECT id, {position}, '{kind}', {column}, NULL FROM talks WHERE {column} IS NOT NULL AND {column} <> ''"
        )
    with op.batch_alter_table("talks") as batch:
        batch.add_column(sa.Column("abstract_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source_id", sa.String(200), nullable=True))
        batch.create_foreign_key("fk_talks_event_id_events", "events", ["event_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_talks_event_id", ["event_id"])
        for _kind, column in _OLD_LINKS:
            batch.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("talks") as batch:
        for _kind, column in _OLD_LINKS:
            batch.add_column(sa.Column(column, sa.String(500), nullable=True))
    for kind, column in _OLD_LINKS:
        op.execute(
            f"UPDATE talks SET {column} = (SELECT url FROM talk_links WHERE talk_links.talk_id = talks.id "
            f"AND talk_links.kind = '{kind}' ORDER BY position LIMIT 1)"
        )
    with op.batch_alter_table("talks") as batch:
        batch.drop_index("ix_talks_event_id")
        batch.drop_constraint("fk_talks_event_id_events", type_="foreignkey")
        for column in ("source_id", "event_id", "abstract_html"):
            batch.drop_column(column)
    for table in ("slug_redirects", "talk_links", "events"):
        op.drop_table(table)
