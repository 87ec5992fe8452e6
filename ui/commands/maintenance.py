"""`packgate db upgrade` and `packgate audit verify`."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from station import audit
from station.db import Database, DatabaseError
from station.paths import StationPaths, resolve_data_dir
from ui.commands import CommandError
from ui.commands.common import open_station, write_line


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", help="database maintenance", parents=[common])
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dsub.add_parser("upgrade", help="create or migrate the station database to the newest schema", parents=[common])
    up.set_defaults(func=cmd_db_upgrade)
    au = sub.add_parser("audit", help="the hash-chained audit trail", parents=[common])
    asub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    ver = asub.add_parser("verify", help="check every row of the audit chain; names the first broken row", parents=[common])
    ver.set_defaults(func=cmd_audit_verify)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    paths = StationPaths(resolve_data_dir(args.data_dir)).ensure()
    db = Database(paths.database)
    try:
        try:
            before = db.current_revision()
        except SQLAlchemyError as exc:  # unreadable, read-only or not a database: one line, no traceback
            raise DatabaseError(f"cannot open or migrate {paths.database}: {getattr(exc, 'orig', None) or exc}") \
                from exc
        ran = db.upgrade()
        write_line(f"database {paths.database}: {'migrated from ' + str(before) + ' to ' if ran else 'already at '}"
                   f"{db.head_revision()}")
    finally:
        db.close()
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        with station.db.sessions() as s:
            report = audit.verify_chain(s)
    if report.ok and report.rows == 0:
        raise CommandError(_empty_trail(station), exit_code=1)
    if report.ok:
        write_line(f"audit trail intact: {report.rows} row(s) verified")
        return 0
    raise CommandError(f"audit trail BROKEN at row {report.first_broken_id}: {report.problem} "
                       f"({report.rows} row(s) read)", exit_code=1)


def _empty_trail(station) -> str:  # type: ignore[no-untyped-def]
    """No audit row at all is never "intact": a station writes rows from its first order import or sign-in.
    Either the database is new (nothing to vouch for), or it is not the station's (deleted and re-created,
    replaced by a blank one), or the trail was emptied while other tables kept their rows."""
    from sqlalchemy import func, select

    from station.orm import Order, OutboxRecord, ScanRecord, UserRecord

    with station.db.sessions() as s:
        held = {name: s.scalar(select(func.count()).select_from(table)) or 0 for name, table in (
            ("orders", Order), ("scans", ScanRecord), ("outbox events", OutboxRecord), ("users", UserRecord))}
    rescued = sorted(p.name for p in station.paths.root.glob(f"{station.paths.database.name}.rescued-*"))
    if any(held.values()):
        found = ", ".join(f"{n} {name}" for name, n in held.items() if n)
        return f"audit trail BROKEN: 0 rows, but the database holds {found}: the trail was removed"
    message = ("audit trail empty: 0 rows, this database has no history. Nothing was verified: if this "
               "station has been in use, its database was lost or replaced")
    if rescued:
        message += f" (rescued copies in {station.paths.root}: {', '.join(rescued)})"
    return message
