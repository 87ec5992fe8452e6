"""A counted scan (the bench's hot path, `station.count_writes`) is one durable transaction of few statements,
stores its rows exactly as the ORM stores every other row, and stays bound to an audit chain that verifies."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from station import audit
from station.db import Database
from station.model import VerdictKind
from station.service import StationService, StorageError, StorageReason
from tests.station.conftest import GADGET_EAN, UNKNOWN_EAN, WIDGET_EAN, gs1


@pytest.fixture
def traced(db: Database) -> Iterator[list[str]]:
    """Every statement SQLite runs on the station's connections from now on (the engine's pool is emptied
    so each new connection is traced from its start)."""
    statements: list[str] = []
    db.engine.dispose()

    def trace(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.set_trace_callback(statements.append)

    event.listen(db.engine, "connect", trace)
    yield statements
    event.remove(db.engine, "connect", trace)


def _other(db: Database) -> sqlite3.Connection:
    return sqlite3.connect(db.path, isolation_level=None, timeout=10)


def test_a_counted_scan_is_one_transaction_of_eight_statements(
    service: StationService, db: Database, traced: list[str]
) -> None:
    service.handle_scan("ORD-10001")
    traced.clear()
    verdict = service.handle_scan(WIDGET_EAN)
    assert verdict.kind is VerdictKind.OK
    kinds = [sql.split()[0].upper() for sql in traced if not sql.upper().startswith("PRAGMA")]
    # BEGIN IMMEDIATE, the stale check, the scan row (RETURNING what was stored), the line, the order, the
    # chain's head, the audit row, COMMIT. (Through the ORM it was ten: two stale reads, a read-back.)
    assert kinds == ["BEGIN", "SELECT", "INSERT", "UPDATE", "UPDATE", "SELECT", "INSERT", "COMMIT"], traced
    assert traced[0] == "BEGIN IMMEDIATE"


def test_the_count_is_on_disk_when_the_verdict_returns(service: StationService, db: Database) -> None:
    service.handle_scan("ORD-10001")
    verdict = service.handle_scan(WIDGET_EAN)
    other = _other(db)  # another program reads the file: the count and its scan row are committed
    assert other.execute("SELECT scanned FROM order_lines WHERE sku = 'W-1'").fetchone()[0] == 1
    assert other.execute("SELECT status FROM orders WHERE order_id = '10001'").fetchone()[0] == "packing"
    assert other.execute("SELECT count(*) FROM scans WHERE verdict = 'ok'").fetchone()[0] == 1
    assert verdict.line is not None and verdict.line.scanned == 1
    other.close()


def test_counted_rows_are_stored_like_the_orm_stores_them(service: StationService, db: Database) -> None:
    """The same clock writes a counted scan (the fast path) and a blocking scan (the ORM): their times,
    dates and flags have the same stored form, so every reader sees one format."""
    service.handle_scan("ORD-10001")
    lot_label = gs1("05901230412708", expiry="271231", lot="L42")  # vitamin tablets: expiry and lot
    assert service.handle_scan(lot_label).kind is VerdictKind.OK
    assert service.handle_scan(UNKNOWN_EAN).blocking  # written through the ORM
    other = _other(db)
    counted, blocked = other.execute(
        "SELECT created_at, typeof(created_at), expiry, typeof(expiry), undone, typeof(undone), lot "
        "FROM scans ORDER BY id"
    ).fetchall()
    assert counted[:2] == blocked[:2] and counted[4:6] == blocked[4:6]
    assert counted[2:4] == ("2027-12-31", "text") and counted[6] == "L42"
    count_audit, *_ = other.execute("SELECT at FROM audit_log WHERE action = 'scan' ORDER BY id").fetchall()
    last_audit = other.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert count_audit == last_audit
    other.close()
    with db.sessions() as s:
        report = audit.verify_chain(s)
    assert report.ok, report
    assert report.rows >= 5


def test_an_edited_counted_scan_breaks_its_binding(service: StationService, db: Database) -> None:
    service.handle_scan("ORD-10001")
    service.handle_scan(GADGET_EAN)
    other = _other(db)
    other.execute("UPDATE scans SET units = 6 WHERE verdict = 'ok'")  # someone "makes" it a case of six
    other.close()
    with db.sessions() as s:
        report = audit.verify_chain(s)
    assert not report.ok and [p.table for p in report.bound_rows] == ["scans"]


def test_a_locked_database_refuses_the_count_and_nothing_is_counted(
    service: StationService, db: Database, tmp_path: Path
) -> None:
    service.handle_scan("ORD-10001")
    other = _other(db)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock past the busy timeout
    other.execute("PRAGMA busy_timeout = 0")
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def short_timeout(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout = 50")

    with pytest.raises(StorageError) as refused:
        service.handle_scan(WIDGET_EAN)
    assert refused.value.reason is StorageReason.LOCKED
    other.execute("ROLLBACK")
    assert service.order is not None and service.order.lines[0].scanned == 0  # memory did not run ahead
    assert other.execute("SELECT count(*) FROM scans").fetchone()[0] == 0
    again = service.handle_scan(WIDGET_EAN)
    assert again.kind is VerdictKind.OK and again.line is not None and again.line.scanned == 1
    other.close()


def test_an_undo_is_one_transaction_of_seven_statements_and_the_chain_still_verifies(
    service: StationService, db: Database, traced: list[str]
) -> None:
    service.handle_scan("ORD-10001")
    service.handle_scan(WIDGET_EAN)
    service.handle_scan(GADGET_EAN)
    traced.clear()
    verdict = service.handle_scan("CMD:UNDO")
    assert verdict.kind is VerdictKind.UNDONE and verdict.line is not None and verdict.line.sku == "G-6"
    kinds = [sql.split()[0].upper() for sql in traced if not sql.upper().startswith("PRAGMA")]
    # BEGIN IMMEDIATE, the last counted scan, its flag, its line, the chain's head, the audit row, COMMIT
    assert kinds == ["BEGIN", "SELECT", "UPDATE", "UPDATE", "SELECT", "INSERT", "COMMIT"], traced
    other = _other(db)
    assert other.execute("SELECT scanned FROM order_lines WHERE sku = 'G-6'").fetchone()[0] == 0
    assert other.execute("SELECT undone FROM scans ORDER BY id DESC LIMIT 1").fetchone()[0] == 1
    other.close()
    assert service.handle_scan("CMD:UNDO").line.sku == "W-1"  # then the one before
    with db.sessions() as s:
        report = audit.verify_chain(s)
    assert report.ok, report
