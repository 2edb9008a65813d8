"""Alembic's environment: migrate the connection the archive hands over (see meetup/catalog/migrate.py)."""
from __future__ import annotations

from alembic import context

from meetup.catalog.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
