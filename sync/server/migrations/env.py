"""Alembic environment for the central service. Run through ``sync.server.db.upgrade`` (which passes the
engine in ``config.attributes``) or ``packgate-central db upgrade``; there is no alembic.ini."""

import logging
from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Engine, text

from sync.server.db import make_engine
from sync.server.models import Base, UtcDateTime

logger = logging.getLogger(__name__)

#: The PostgreSQL advisory lock held while migrating (any constant; "PackGate" in ASCII).
MIGRATION_LOCK_KEY = 0x5061636B47617465

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, _autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our UTC column type as a plain DateTime so migrations never import the models module."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    owned = engine is None
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds tables so one migration fits both.
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
                render_item=_render_item,
            )
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    # Central processes starting at once on one database (serve --workers N, or several
                    # hosts behind a load balancer) would each run the same CREATE TABLE: the first takes
                    # this lock, the others wait here and then find the schema already at head.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run packgate-central db upgrade")
run_migrations_online()
