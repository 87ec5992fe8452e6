"""Engine creation and schema migration for the central service.

One place decides how a database URL becomes an engine, so the CLI, the app and the tests all get the
same SQLite pragmas and the same PostgreSQL driver. The schema is only ever created by the Alembic
migrations in ``sync/server/migrations`` — on both backends — never by ``metadata.create_all``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

DB_ENV_VAR = "PACKGATE_CENTRAL_DB"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUrlError(ValueError):
    """The database URL cannot be used (bad syntax or an unsupported backend)."""


def default_db_url() -> str:
    """``$PACKGATE_CENTRAL_DB`` if set, else an SQLite file in the user's data dir (created on demand)."""
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return from_env
    data_dir = Path(platformdirs.user_data_dir("packgate-central", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'central.db'}"


def normalise_url(url: str) -> str:
    """Accept the URLs people type (``postgresql://``, ``postgres://``) and pick the installed driver.

    Only psycopg 3 is a dependency, while SQLAlchemy's default for ``postgresql://`` is psycopg2.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseUrlError(f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://...")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed while a batch is written; busy_timeout makes concurrent stations queue
    # instead of failing with "database is locked". isolation_level=None hands transaction control to
    # SQLAlchemy so the "begin" hook below can take the write lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A deferred BEGIN keeps readers lock-free under WAL (BEGIN IMMEDIATE made every token check queue
    # behind the writer: 3 s p99 in bench_central). The service serialises its own writers with a
    # process lock (app.py), so a read-then-write upgrade can only clash with another process (the CLI);
    # that surfaces as OperationalError -> 503 and the client retries.
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for ``url`` (already normalised or not) with backend-specific settings."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    return engine


def upsert(session: Session, model: type) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing``/``do_update`` on both our backends."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


#: PostgreSQL's serialization failure and deadlock: the transaction lost a race and may simply run again.
RETRYABLE_SQLSTATES = ("40001", "40P01")


def retry_later(exc: BaseException) -> bool:
    """The database is down, busy, locked or deadlocked: nothing was stored and the whole request may be
    retried (503), as opposed to a value the database refused."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and (getattr(exc.orig, "sqlstate", "") or "") in RETRYABLE_SQLSTATES


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (handlers build responses after committing)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at our migrations and reusing ``engine`` (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a no-op when it is already there."""
    logger.info("migrating %s to %s", engine.url.render_as_string(hide_password=True), revision)
    command.upgrade(alembic_config(engine), revision)
