"""Alembic environment for the station database.

Migrations run programmatically from `station.db.Database.upgrade()` (and `packgate db upgrade`), which
passes an open connection in `config.attributes["connection"]`; there is no alembic.ini to keep in sync.
"""

from alembic import context

from station.orm import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    # render_as_batch: SQLite cannot ALTER most things in place; batch mode rebuilds tables safely.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
