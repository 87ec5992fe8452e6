"""`packgate db backup FILE` and `packgate db restore FILE` (registered under `packgate db`).

The work, and why it is safe while the station runs, is in `station.backup`; this module turns its
refusals into sentences and holds the packer screen's instance lock during a restore.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.backup import BackupError, BackupProblem, CheckedCopy, backup, restore
from station.paths import StationPaths, resolve_data_dir
from ui.commands import CommandError
from ui.commands.common import write_line
from ui.single_instance import AlreadyRunning, InstanceLock

_PROBLEM_WORDS = {
    BackupProblem.SOURCE_MISSING: "there is no database at {path}",
    BackupProblem.NOT_A_DATABASE: "{path} is not an SQLite database ({detail})",
    BackupProblem.CORRUPT: "{path} is damaged: SQLite's integrity check says {detail}",
    BackupProblem.NOT_PACKGATE: "{path} is an SQLite database, but not a PackGate station's",
    BackupProblem.NEWER_SCHEMA: "{path} was written by a newer PackGate (schema {detail}); update PackGate first",
    BackupProblem.AUDIT_BROKEN: "{path} fails the audit check {detail}; it is not used",
    BackupProblem.TARGET_EXISTS: "{path} already exists (give --force to replace it)",
    BackupProblem.CANNOT_WRITE: "cannot write {path}: {detail}",
}


def words(exc: BackupError) -> str:
    return _PROBLEM_WORDS[exc.problem].format(path=exc.path, detail=exc.detail)


def register(dsub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    bk = dsub.add_parser(
        "backup",
        help="write a consistent, checked copy of the station database (safe while PackGate runs)",
        parents=[common],
    )
    bk.add_argument("file", type=Path, metavar="FILE")
    bk.add_argument("--force", action="store_true", help="replace FILE if it exists")
    bk.set_defaults(func=cmd_db_backup)
    rs = dsub.add_parser(
        "restore",
        help="replace the station database by a checked backup (the packer screen must be closed)",
        parents=[common],
    )
    rs.add_argument("file", type=Path, metavar="FILE")
    rs.set_defaults(func=cmd_db_restore)


def _summary(copy: CheckedCopy) -> str:
    return (
        f"{copy.scans} scan(s), {copy.incidents} incident(s), audit trail of {copy.audit_rows} row(s) verified, "
        f"schema {copy.revision}, {copy.size_bytes / 2**20:.1f} MB"
    )


def cmd_db_backup(args: argparse.Namespace) -> int:
    paths = StationPaths(resolve_data_dir(args.data_dir))
    try:
        copy = backup(paths.database, args.file, overwrite=args.force)
    except BackupError as exc:
        raise CommandError(f"backup not written: {words(exc)}") from exc
    write_line(f"backup written to {copy.path}: {_summary(copy)}")
    return 0


def cmd_db_restore(args: argparse.Namespace) -> int:
    paths = StationPaths(resolve_data_dir(args.data_dir)).ensure()
    try:
        lock = InstanceLock(paths.root).acquire()
    except AlreadyRunning as exc:
        raise CommandError(f"not restored: {exc}") from exc
    try:
        copy, kept = restore(args.file, paths.database)
    except BackupError as exc:
        raise CommandError(f"not restored, nothing changed: {words(exc)}") from exc
    finally:
        lock.release()
    write_line(f"restored {paths.database} from {args.file}: {_summary(copy)}")
    if kept is not None:
        write_line(f"the database it replaced is kept as {kept}")
    return 0
