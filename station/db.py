"""Opening the station database: SQLite in WAL mode with full fsync, schema managed by Alembic.

Why these settings:
- `journal_mode=WAL` lets the GUI read while a CLI command or the sync worker writes, and makes each commit
  one sequential append to the WAL.
- `synchronous=FULL` fsyncs the WAL on every commit, so a scan the screen shows as counted survives a
  power cut or `kill -9` (NORMAL would only protect against application crashes in WAL mode).
- Every transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front, so two writers (the
  app and a CLI command) queue on `busy_timeout` instead of failing half-way with SQLITE_BUSY, and the
  audit chain (which reads the last hash, then appends) can never fork.
- Every connection checks, at each BEGIN and around each COMMIT, that the files at the path are still the
  ones it opened (`station.file_guard`): a deleted or replaced database or WAL stops the station with a
  named reason instead of committing into an orphaned file and saying OK.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from station import audit
from station.file_guard import (
    DatabaseFileChanged,
    FileGuard,
    FileProblem,
    GuardedConnection,
    StorageError,
    StorageReason,
)
from station.paths import create_private_file

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


# What a failed read or write of the station database raises, named here so that callers outside
# `station` (the UI) catch it without importing the storage library. The same classes, not wrappers.
QueryError = SQLAlchemyError  # any failure: locked, read-only, disk full, not a database
ConflictError = IntegrityError  # a write clashed with a stored row (a unique key another process wrote)


class DatabaseError(RuntimeError):
    """The database cannot be opened or used (disk full, read-only, corrupt); the message says which."""


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def known_revisions() -> set[str]:
    """Every schema revision this PackGate knows (a database at another one was made by a newer PackGate)."""
    return {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


__all__ = [
    "Database",
    "DatabaseError",
    "DatabaseFileChanged",
    "FileProblem",
    "known_revisions",
    "make_sqlite_engine",
    "storage_reason",
    "write",
]


def storage_reason(exc: BaseException) -> StorageReason:
    """What kind of refusal a failed write of the station database was (sqlite3 says it only in words)."""
    text = str(getattr(exc, "orig", exc))
    if "disk is full" in text or "database or disk is full" in text:
        return StorageReason.DISK_FULL
    if "locked" in text:
        return StorageReason.LOCKED
    if "readonly" in text or "read-only" in text:
        return StorageReason.READ_ONLY
    return StorageReason.REFUSED


@contextmanager
def write(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """The station's one way to open a write transaction (the service, the stores, the outbox use it).

    The engine's hooks make it `BEGIN IMMEDIATE` (the write lock up front) and check the file identity at
    BEGIN and around COMMIT (`make_sqlite_engine`). The block's work is committed (fsync) when it ends
    normally and rolled back otherwise. A failure of the storage itself (disk full, locked, read-only, ...)
    is raised as `StorageError` with its typed reason; a clash with a stored row (`ConflictError`) and
    every non-database exception propagate unchanged, after the rollback."""
    session = sessions()
    try:
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        raise
    except SQLAlchemyError as exc:
        session.rollback()
        raise StorageError(storage_reason(exc), str(getattr(exc, "orig", None) or exc)) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def make_sqlite_engine(path: Path, guard: FileGuard | None = None) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"timeout": 10, "check_same_thread": False, "factory": GuardedConnection}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: GuardedConnection, _record: object) -> None:
        # Hand transaction control to SQLAlchemy's "begin" hook below (pysqlite's own BEGIN is DEFERRED).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()
        if guard is not None:
            dbapi_conn.guard = guard
            dbapi_conn.opened = guard.opened(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        if guard is not None:
            dbapi_conn = conn.connection.dbapi_connection  # type: ignore[attr-defined]
            guard.check(dbapi_conn, dbapi_conn.opened, in_transaction=False)
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]

    return engine


class Database:
    """The station's database: an engine, a session factory and the schema version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the data directory {path.parent}: {exc.strerror}") from exc
        try:
            create_private_file(path)  # 0600 before SQLite creates it: its -wal and -shm copy this mode
        except OSError as exc:
            logger.warning("could not make the database private", extra={"db": str(path), "error": str(exc)})
        self.guard = FileGuard(path)
        self.engine = make_sqlite_engine(path, self.guard)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        audit.install(self.sessions)

    @classmethod
    def open(cls, path: Path, upgrade: bool = True) -> Database:
        db = cls(path)
        if upgrade:
            db.upgrade()
        return db

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(_alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> bool:
        """Bring the schema to the newest revision; returns True when a migration ran."""
        try:
            if self.current_revision() == self.head_revision():
                return False
            cfg = _alembic_config()
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except Exception as exc:  # sqlite3 / SQLAlchemy errors: turn into one clear message
            # `orig` is sqlite3's own one-line message; str(exc) adds SQL and a "Background on this error" URL.
            raise DatabaseError(f"cannot open or migrate {self.path}: {getattr(exc, 'orig', None) or exc}") from exc
        logger.info("database migrated", extra={"db": str(self.path), "revision": self.head_revision()})
        return True

    def write(self) -> AbstractContextManager[Session]:
        """A unit of work: see `write` (module level), the one way to open a write transaction."""
        return write(self.sessions)

    def session(self) -> AbstractContextManager[Session]:
        """The same as `write()` (the older name, kept for its many callers)."""
        return write(self.sessions)

    @property
    def stopped(self) -> DatabaseFileChanged | None:
        """Why this database refuses every transaction until the process restarts (None: it does not)."""
        return self.guard.stopped

    def integrity_check(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(text("PRAGMA integrity_check")).scalar())

    def close(self) -> None:
        self.engine.dispose()
