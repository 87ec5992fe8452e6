"""Is the database file this process writes to still the one at the path? (The "deleted under us" guard.)

SQLite keeps writing to a file it has open even after that file was deleted or replaced: the inode lives on
until the last descriptor closes. With the station database (`station.sqlite3`) or its write-ahead log
(`station.sqlite3-wal`) deleted while PackGate runs, every commit still succeeds and every scan still says OK,
but the data goes to an orphaned inode and is gone after a restart (a deleted WAL plus kill -9 loses every
transaction since the last checkpoint: the whole database of a young station).

So each connection records, when it opens, the identity (st_dev, st_ino) of the database file and of its
WAL, and `FileGuard.check()` compares them with what the path holds now: at the start of every transaction
and around every commit. Two `stat` calls, a few microseconds (7 µs per check, measured; docs/robustness.md).

When they differ, the database is *stopped*: the commit is refused (the caller says NOT SAVED), every later
transaction is refused with the same reason until the process restarts, and what the orphaned files still
hold is rescued: a deleted WAL is checkpointed into the main file (which is still at its path), and a deleted
or replaced main file is copied with SQLite's backup API to `station.sqlite3.rescued-<time>` beside it.
"""

from __future__ import annotations

import enum
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)


class FileProblem(str, enum.Enum):
    """Why the station stopped writing (the ui turns it into words)."""

    DB_DELETED = "db_deleted"
    DB_REPLACED = "db_replaced"
    WAL_DELETED = "wal_deleted"
    WAL_REPLACED = "wal_replaced"


class StorageReason(str, enum.Enum):
    """Why a change could not be made durable (the ui turns it into words)."""

    DISK_FULL = "disk_full"
    LOCKED = "locked"  # another program held the write lock for longer than the busy timeout
    READ_ONLY = "read_only"
    REFUSED = "refused"  # any other refusal of the database; `detail` carries its own one-line text
    BENCH_CHANGING = "bench_changing"  # the order kept changing on disk under this process (see the retry)
    FILE_CHANGED = "file_changed"  # the database file or its WAL was deleted or replaced (`DatabaseFileChanged`)


class StorageError(RuntimeError):
    """The station could not make a change durable; nothing was counted. `reason` says why, `detail` is the
    database's own text (for the log). (Defined here, below `station.db` and `station.service`, so the
    database layer can raise one; the service re-exports it.)"""

    def __init__(self, reason: StorageReason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


class DatabaseFileChanged(StorageError):
    """The database file (or its WAL) at the path is no longer the one this process opened: nothing from
    this transaction on is saved, and the station refuses writes until restarted. `problem` says which
    file and how; `rescued` names the copy of the orphaned data, when one was made."""

    def __init__(self, problem: FileProblem, path: Path, rescued: Path | None = None) -> None:
        self.problem = problem
        self.path = path
        self.rescued = rescued
        super().__init__(StorageReason.FILE_CHANGED, f"{problem.value}: {path}")
        # Its own one line (the CLI prints it; the window words it from `problem` and `rescued`).
        self.args = (
            f"the database file was deleted or replaced while PackGate was running "
            f"({problem.value}: {path}): nothing was saved; restart PackGate",
        )


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class _Opened:
    """What one connection opened."""

    db: tuple[int, int] | None
    wal: tuple[int, int] | None


@dataclass
class FileGuard:
    """One per `Database`: the per-connection identities and, once tripped, the reason it stopped."""

    path: Path
    stopped: DatabaseFileChanged | None = None
    _wal: str = field(init=False)

    def __post_init__(self) -> None:
        self._wal = f"{self.path}-wal"

    def opened(self, dbapi_conn: sqlite3.Connection) -> _Opened:
        """Call right after a connection opened the database (and set WAL mode). The WAL is created on the
        first transaction of a new database: then it is recorded at the first check that sees it."""
        dbapi_conn.execute("PRAGMA user_version").fetchone()  # a read opens the WAL of an existing database
        return _Opened(_identity(str(self.path)), _identity(self._wal))

    def problem(self, opened: _Opened) -> FileProblem | None:
        now_db = _identity(str(self.path))
        if now_db is None:
            return FileProblem.DB_DELETED
        if now_db != opened.db:
            return FileProblem.DB_REPLACED
        now_wal = _identity(self._wal)
        if opened.wal is None:
            opened.wal = now_wal  # first seen: a new database's WAL appears with its first transaction
            return None
        if now_wal is None:
            return FileProblem.WAL_DELETED
        if now_wal != opened.wal:
            return FileProblem.WAL_REPLACED
        return None

    def check(self, dbapi_conn: sqlite3.Connection, opened: _Opened, in_transaction: bool) -> None:
        """Raise `DatabaseFileChanged` when stopped, or when the files changed (then stop, and rescue)."""
        if self.stopped is not None:
            raise self.stopped
        problem = self.problem(opened)
        if problem is None:
            return
        if in_transaction:
            try:
                dbapi_conn.execute("ROLLBACK")  # this transaction goes nowhere; SQLAlchemy's rollback is a no-op
            except sqlite3.Error:
                pass
        rescued = self._rescue(dbapi_conn, problem)
        self.stopped = DatabaseFileChanged(problem, self.path, rescued)
        logger.critical(
            "database file changed under the station: writes stopped",
            extra={"db": str(self.path), "problem": problem.value, "rescued": str(rescued) if rescued else None},
        )
        raise self.stopped

    def _rescue(self, dbapi_conn: sqlite3.Connection, problem: FileProblem) -> Path | None:
        """Keep what the orphaned files hold: everything committed before the change."""
        try:
            if problem is FileProblem.WAL_DELETED:
                # The main file is still at its path: fold the orphaned WAL's committed frames into it.
                busy, _log, _done = dbapi_conn.execute("PRAGMA wal_checkpoint(FULL)").fetchone()
                if busy:
                    logger.error("rescue checkpoint incomplete (another connection busy)", extra={"db": str(self.path)})
                return self.path if not busy else None
            if problem is FileProblem.WAL_REPLACED:
                return None  # folding our frames in would mix with a foreign WAL at the path: leave it be
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            target = self.path.with_name(f"{self.path.name}.rescued-{stamp}")
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            out = sqlite3.connect(target)
            try:
                dbapi_conn.backup(out)
            finally:
                out.close()
            return target
        except (sqlite3.Error, OSError) as exc:
            logger.error("could not rescue the orphaned database", extra={"db": str(self.path), "error": str(exc)})
            return None


class GuardedConnection(sqlite3.Connection):
    """A sqlite3 connection that checks the files before and after each commit (`make_sqlite_engine` passes
    it as the `factory`). Before: a change seen then rolls the transaction back. After: a change that landed
    during the commit itself still stops the station and says NOT SAVED (the data may be in the rescued
    copy, which errs on the safe side: a re-scan after the restart shows as an over-scan, never a miss)."""

    guard: FileGuard | None = None
    opened: _Opened | None = None

    def commit(self) -> None:
        if self.guard is not None and self.opened is not None:
            self.guard.check(self, self.opened, in_transaction=True)
        super().commit()
        if self.guard is not None and self.opened is not None:
            self.guard.check(self, self.opened, in_transaction=False)
