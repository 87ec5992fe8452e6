"""`packgate db upgrade` and `packgate audit verify` (`db backup` and `db restore`: `ui.commands.backup`)."""

from __future__ import annotations

import argparse

from station import audit
from station.audit_reading import TrailReader, reading
from station.chain_check import BindingProblem, ProblemKind
from station.db import Database, DatabaseError, QueryError
from station.outbox import Outbox
from station.paths import StationPaths, resolve_data_dir
from sync.anchoring import AnchorError
from sync.client import SyncConfigError
from sync.worker import SyncSettings
from ui.bootstrap import Station
from ui.commands import CommandError
from ui.commands import backup as backup_commands
from ui.commands.common import open_station, write_line


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", help="database maintenance", parents=[common])
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dsub.add_parser(
        "upgrade", help="create or migrate the station database to the newest schema", parents=[common]
    )
    up.set_defaults(func=cmd_db_upgrade)
    backup_commands.register(dsub, common)
    au = sub.add_parser("audit", help="the hash-chained audit trail", parents=[common])
    asub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    ver = asub.add_parser(
        "verify",
        help="check the audit chain, the rows bound to it, and the head central anchored "
        "(exit 0 intact, 1 broken, 3 intact locally but not checked against central)",
        parents=[common],
    )
    ver.set_defaults(func=cmd_audit_verify)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    paths = StationPaths(resolve_data_dir(args.data_dir)).ensure()
    db = Database(paths.database)
    try:
        try:
            before = db.current_revision()
        except QueryError as exc:  # unreadable, read-only or not a database: one line, no traceback
            raise DatabaseError(
                f"cannot open or migrate {paths.database}: {getattr(exc, 'orig', None) or exc}"
            ) from exc
        ran = db.upgrade()
        write_line(
            f"database {paths.database}: {'migrated from ' + str(before) + ' to ' if ran else 'already at '}"
            f"{db.head_revision()}"
        )
    finally:
        db.close()
    return 0


EXIT_BROKEN = 1
EXIT_UNANCHORED = 3  # intact locally, but not checked against central's anchor


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """0: intact and it holds the head central last accepted; 1: broken (locally, or against central);
    3: intact locally but not checked against central (offline, not configured, never anchored)."""
    with open_station(args) as station:
        with reading(station.db) as trail:
            report = trail.verify()
            if report.first_broken_id is None and report.rows == 0:
                raise CommandError(_empty_trail(station, trail), exit_code=EXIT_BROKEN)
            if report.first_broken_id is not None:
                raise CommandError(
                    f"audit trail BROKEN at row {report.first_broken_id}: {report.problem} ({report.rows} row(s) read)",
                    exit_code=EXIT_BROKEN,
                )
            if report.bound_rows:
                for problem in report.bound_rows[:20]:
                    write_line("  " + describe_binding_problem(problem))
                more = len(report.bound_rows) - 20
                write_line(
                    f"audit trail BROKEN: {len(report.bound_rows)}{'+' if len(report.bound_rows) >= 100 else ''}"
                    f" row(s) do not match what the audit trail recorded"
                    f"{f' ({more} more not listed)' if more > 0 else ''}"
                )
            else:
                write_line(
                    f"audit trail intact locally: {report.rows} row(s) verified, with the scans, incidents, "
                    "events and sealed orders they record"
                )
            anchored = _check_anchor(station, trail, report)  # what central saw, even when a row is already known bad
    if report.bound_rows:
        raise CommandError("audit trail BROKEN (see above)", exit_code=EXIT_BROKEN)
    return anchored


def _check_anchor(station: Station, trail: TrailReader, report: audit.ChainReport) -> int:
    settings = station.settings.read(SyncSettings)
    if not settings.configured:
        write_line("not checked against central: not configured ('packgate sync configure')")
        return EXIT_UNANCHORED
    try:
        with settings.make_client(Outbox(station.db.sessions, station.clock), station.station_id) as client:
            state = client.anchors.last_state()
    except (AnchorError, SyncConfigError) as exc:
        write_line(f"not checked against central: offline or refused ({exc})")
        return EXIT_UNANCHORED
    if state.flags_since_last:
        flag = state.last_flag
        write_line(
            f"central FLAGGED this station's audit chain {state.flags_since_last} time(s) since its last "
            f"accepted anchor: {flag.reason if flag else ''}"
        )
    if state.last is None:
        write_line("not checked against central: central holds no anchor for this station yet ('packgate sync run')")
        return EXIT_BROKEN if state.flags_since_last else EXIT_UNANCHORED
    at = state.last.accepted_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if not trail.matches_anchor(report, state.last.seq, state.last.hash):
        why = (
            f"the trail has only {report.head_id} row(s)"
            if report.head_id < state.last.seq
            else f"row {state.last.seq} is not the one central accepted"
        )
        raise CommandError(
            f"audit trail BROKEN against central: {why} (anchored {at}); rows up to "
            f"{state.last.seq} were rewritten, deleted or replaced",
            exit_code=EXIT_BROKEN,
        )
    for point in state.checkpoints:  # earlier days' anchors: the last one alone could be forged with the token
        if not trail.matches_anchor(report, point.seq, point.hash):
            day = point.accepted_at.astimezone().strftime("%Y-%m-%d %H:%M")
            raise CommandError(
                f"audit trail BROKEN against central: row {point.seq} is not the one central accepted "
                f"{day}, though the newest anchor matches (history rewritten and re-anchored with this "
                "station's token?)",
                exit_code=EXIT_BROKEN,
            )
    write_line(
        f"anchored: row {state.last.seq} is the head central accepted at {at}; "
        f"{report.head_id - state.last.seq} newer row(s) not anchored yet"
    )
    return EXIT_BROKEN if state.flags_since_last else 0


_TABLE_WORDS = {
    "scans": "scan",
    "incidents": "incident",
    "outbox": "outbox event",
    "orders": "order",
    "audit_log": "audit row",
}


def describe_binding_problem(p: BindingProblem) -> str:
    """One line per row that does not match the audit trail."""
    what = f"{_TABLE_WORDS.get(p.table, p.table)} {p.key}"
    by = f"audit row {p.audit_id}" if p.audit_id is not None else "no audit row"
    changes = "; ".join(
        f"{field} is now {now!r}, the trail recorded {was!r}"
        for field, now, was in p.fields
        if (now, was) != ("changed", "as recorded")
    )
    if p.kind is ProblemKind.CHANGED:
        return f"{what} was changed after {by} recorded it" + (f": {changes}" if changes else "")
    if p.kind is ProblemKind.MISSING:
        return f"{what}, recorded by {by}, is gone"
    if p.kind is ProblemKind.UNBOUND:
        return f"{what} is recorded by {by}: added behind the application's back"
    if p.kind is ProblemKind.REBOUND:
        return f"{what} is recorded a second time by {by}: deleted and replaced, or renumbered"
    if p.kind is ProblemKind.UNDONE:
        return f"{what}: {changes} (undo and cancel rows)"
    return f"{by} records {what} otherwise than it is (a forged audit row?)" + (f": {changes}" if changes else "")


def _empty_trail(station: Station, trail: TrailReader) -> str:
    """No audit row at all is never "intact": a station writes rows from its first order import or sign-in.
    Either the database is new (nothing to vouch for), or it is not the station's (deleted and re-created,
    replaced by a blank one), or the trail was emptied while other tables kept their rows."""
    held = trail.held_rows()
    rescued = sorted(p.name for p in station.paths.root.glob(f"{station.paths.database.name}.rescued-*"))
    if any(held.values()):
        found = ", ".join(f"{n} {name}" for name, n in held.items() if n)
        return f"audit trail BROKEN: 0 rows, but the database holds {found}: the trail was removed"
    message = (
        "audit trail empty: 0 rows, this database has no history. Nothing was verified: if this "
        "station has been in use, its database was lost or replaced"
    )
    if rescued:
        message += f" (rescued copies in {station.paths.root}: {', '.join(rescued)})"
    return message
