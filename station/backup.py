"""Backing up and restoring the station database while PackGate runs.

``backup`` uses SQLite's online backup API (``sqlite3.Connection.backup``), which copies a consistent
snapshot (the main file *and* what the WAL holds) even while the packer screen keeps committing scans: a
copy of the file with ``cp`` would miss the WAL or tear a page. The copy is written to a temporary file
beside the target, checked (``PRAGMA integrity_check`` and the audit chain, with every bound row), fsynced,
and only then renamed into place, so a half-written backup never carries the target's name.

``restore`` checks the backup the same way before touching anything, refuses a backup of a newer schema
than this PackGate knows, keeps the database it replaces (``station.sqlite3.before-restore-<time>``, itself
taken with the backup API), removes the old WAL and shared-memory files (an old WAL left beside a new
database would be replayed into it), then moves the checked copy into place. The caller holds the
packer screen's instance lock for the whole time, so no window writes meanwhile; a command-line process
that still had the old file open is stopped by ``station.file_guard`` rather than writing into it.

The evidence images (``evidence/``) are plain files next to the database and are not inside the backup.
"""

from __future__ import annotations

import enum
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from station import audit
from station.db import known_revisions

logger = logging.getLogger(__name__)

PAGES_PER_STEP = 1024  # 4 MB at a time: the app's writers wait at most one step, not the whole copy


class BackupProblem(enum.Enum):
    """Why a backup or restore was refused (the ui turns it into words)."""

    SOURCE_MISSING = "source_missing"
    NOT_A_DATABASE = "not_a_database"
    CORRUPT = "corrupt"
    NOT_PACKGATE = "not_packgate"
    NEWER_SCHEMA = "newer_schema"
    AUDIT_BROKEN = "audit_broken"
    TARGET_EXISTS = "target_exists"
    CANNOT_WRITE = "cannot_write"


class BackupError(RuntimeError):
    def __init__(self, problem: BackupProblem, path: Path, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {path}{': ' + detail if detail else ''}")
        self.problem = problem
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class CheckedCopy:
    """What a backup file holds, after checking it."""

    path: Path
    revision: str | None
    audit_rows: int
    scans: int
    incidents: int
    size_bytes: int


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=PAGES_PER_STEP)
        # A self-contained file: no WAL beside it, so it can be copied or mailed as it is.
        dst.execute("PRAGMA journal_mode=DELETE")
    src.close()
    dst.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check(path: Path) -> CheckedCopy:
    """Open ``path`` read-only and check that it is a whole PackGate station database whose audit chain
    verifies; raises ``BackupError`` naming what is wrong."""
    if not path.is_file():
        raise BackupError(BackupProblem.SOURCE_MISSING, path)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
            verdict = raw.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (
                raw.execute("SELECT version_num FROM alembic_version").fetchone()[0]
                if "alembic_version" in tables
                else None
            )
        raw.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(BackupProblem.NOT_A_DATABASE, path, str(exc)) from exc
    if verdict != "ok":
        raise BackupError(BackupProblem.CORRUPT, path, str(verdict)[:200])
    if revision is None or not {"scans", "incidents", "audit_log"} <= tables:
        raise BackupError(BackupProblem.NOT_PACKGATE, path)
    if revision not in known_revisions():
        raise BackupError(BackupProblem.NEWER_SCHEMA, path, revision)
    # Read-only, and not the station's engine: that one would switch the copy to WAL mode on connect.
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    try:
        with sessionmaker(engine)() as session:
            report = audit.verify_chain(session)
            scans = session.connection().exec_driver_sql("SELECT count(*) FROM scans").scalar_one()
            incidents = session.connection().exec_driver_sql("SELECT count(*) FROM incidents").scalar_one()
    finally:
        engine.dispose()
    if not report.ok:
        where = report.first_broken_id if report.first_broken_id is not None else "a bound row"
        raise BackupError(BackupProblem.AUDIT_BROKEN, path, f"at {where}: {report.problem or 'rows changed'}")
    return CheckedCopy(path, revision, report.rows, int(scans), int(incidents), path.stat().st_size)


def backup(database: Path, target: Path, *, overwrite: bool = False) -> CheckedCopy:
    """Write a checked, consistent copy of ``database`` to ``target`` (atomically)."""
    if not database.is_file():
        raise BackupError(BackupProblem.SOURCE_MISSING, database)
    if target.exists() and not overwrite:
        raise BackupError(BackupProblem.TARGET_EXISTS, target)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _copy(database, partial)
        checked = check(partial)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except OSError as exc:
        raise BackupError(BackupProblem.CANNOT_WRITE, target, exc.strerror or str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    logger.info(
        "database backed up",
        extra={"db": str(database), "backup": str(target), "audit_rows": checked.audit_rows, "scans": checked.scans},
    )
    return CheckedCopy(
        target, checked.revision, checked.audit_rows, checked.scans, checked.incidents, checked.size_bytes
    )


def restore(backup_file: Path, database: Path, now: datetime | None = None) -> tuple[CheckedCopy, Path | None]:
    """Replace ``database`` by the checked ``backup_file``; returns what was restored and where the replaced
    database was kept (None when there was none). The caller holds the instance lock."""
    checked = check(backup_file)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    kept: Path | None = None
    staged = database.with_name(f".{database.name}.restoring-{os.getpid()}")
    try:
        staged.unlink(missing_ok=True)
        _copy(backup_file, staged)  # a copy of the copy: the backup file itself stays untouched
        _fsync(staged)
        if database.exists():
            kept = database.with_name(f"{database.name}.before-restore-{stamp}")
            _copy(database, kept)  # with its WAL: what the station held, whole
            _fsync(kept)
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(staged, database)
        _fsync(database.parent)
    except OSError as exc:
        raise BackupError(BackupProblem.CANNOT_WRITE, database, exc.strerror or str(exc)) from exc
    finally:
        staged.unlink(missing_ok=True)
    logger.warning(
        "database restored",
        extra={"db": str(database), "backup": str(backup_file), "kept": str(kept), "audit_rows": checked.audit_rows},
    )
    return checked, kept


__all__ = ["BackupError", "BackupProblem", "CheckedCopy", "backup", "check", "restore"]
