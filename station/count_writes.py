"""A counted scan (and its undo) written in the fewest statements (issue 15): the hot path of the bench.

An item that counts towards its line is most of what a bench does all day. Through the ORM it cost 9
statements, 3 flushes and a Session per scan, and the time beyond the bare commit was SQLAlchemy's, not
SQLite's (see docs/changes/2026-12-02-scan-latency.md). Here the same rows are written with the same guarantees in one
transaction of 6 statements, each a prepared statement of `sqlite3` (cached per connection):

1. the stale-bench check: the order's status and every line's count in one SELECT (`bench_reads.differs`
   judges them exactly as `bench_reads.disk_differs` does); a change made by another program on this data
   dir aborts the write and the scan is judged again on what the disk says;
2. the scan row, `INSERT ... RETURNING` its content columns: the value its audit binding hashes is what
   SQLite stored (as `bindings.consume` reads it back), without a second read;
3. and 4. the line's count and the order's status (only its time and packer once it is packing: a column in
   the SET rewrites its index's page even when the value stays);
5. and 6. the audit row: the chain's head read under the write lock, the new row chained to it
   (`audit.chained`), with the scan bound to it (`bindings.content_hash`), as `audit.append` does.

`CMD:UNDO` takes the last counted scan back the same way: the scan read, its flag and its line's count
changed, the audit row chained (as `BenchWriter.undo` did through the ORM, in the same 5 statements).

The transaction is the engine's own (`BEGIN IMMEDIATE` and the file-identity checks at BEGIN and around
COMMIT, `station.db.make_sqlite_engine`), committed with `synchronous=FULL` before the caller adopts the new
state. Values cross into SQLite through the column types' own bind processors and come back through their
result processors, so every row is stored byte for byte as the ORM would store it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine
from sqlalchemy.exc import SQLAlchemyError

from station import audit, bindings
from station.bench_reads import differs
from station.bench_writes import ScanInput
from station.db import storage_reason
from station.file_guard import DatabaseFileChanged, StorageError, StorageReason
from station.model import OrderStatus, OrderView, VerdictKind
from station.orm import AuditRecord, Order, ScanRecord
from station.pack_session import CountedScan, Decision

__all__ = ["CountWriter", "StaleOrder"]

_SCAN_INSERT_COLUMNS = (
    "station_id",
    "packer_id",
    "order_id",
    "code",
    "symbology",
    "source",
    "verdict",
    "line_id",
    "units",
    "gtin",
    "lot",
    "serial",
    "expiry",
    "undone",
    "created_at",
)
_STALE_SQL = (
    "SELECT orders.status, order_lines.id, order_lines.scanned FROM orders "
    "LEFT JOIN order_lines ON order_lines.order_id = orders.order_id WHERE orders.order_id = ?"
)
_SCAN_SQL = (
    f"INSERT INTO scans ({', '.join(_SCAN_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _SCAN_INSERT_COLUMNS)}) RETURNING {', '.join(bindings.SCAN_COLUMNS)}"
)
_LINE_SQL = "UPDATE order_lines SET scanned = scanned + ? WHERE id = ?"
_ORDER_SQL = "UPDATE orders SET status = ?, updated_at = ?, packer_id = ? WHERE order_id = ?"
# Already packing on disk: the status is left out of the SET, so SQLite leaves its index's page alone.
_TOUCH_SQL = "UPDATE orders SET updated_at = ?, packer_id = ? WHERE order_id = ?"
_LAST_COUNTED_SQL = (
    "SELECT id, line_id, units, code FROM scans WHERE order_id = ? AND verdict = ? AND undone IS 0 "
    "ORDER BY id DESC LIMIT 1"
)
_UNDONE_SQL = "UPDATE scans SET undone = 1 WHERE id = ?"
_UNCOUNT_SQL = "UPDATE order_lines SET scanned = scanned - ? WHERE id = ?"
_HEAD_SQL = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
_AUDIT_SQL = (
    "INSERT INTO audit_log (id, at, station_id, actor, action, order_id, detail, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

Processor = Callable[[Any], Any]


class StaleOrder(Exception):
    """The order on disk is not the one in memory (another program changed it): nothing was written."""


def _bind(engine: Engine, column: ColumnElement[Any]) -> Processor:
    proc = column.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
    return proc if proc is not None else _same


def _result(engine: Engine, column: ColumnElement[Any]) -> Processor:
    proc = column.type.dialect_impl(engine.dialect).result_processor(engine.dialect, None)
    return proc if proc is not None else _same


def _same(value: Any) -> Any:
    return value


class CountWriter:
    """Writes counted scans on one database's engine; the type conversions are looked up once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        scans = ScanRecord.__table__.c
        self._scan_in: tuple[Processor, ...] = tuple(_bind(engine, scans[c]) for c in _SCAN_INSERT_COLUMNS)
        self._scan_out: tuple[Processor, ...] = tuple(_result(engine, scans[c]) for c in bindings.SCAN_COLUMNS)
        self._order_time = _bind(engine, Order.__table__.c["updated_at"])
        self._audit_time = _bind(engine, AuditRecord.__table__.c["at"])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction of the engine (BEGIN IMMEDIATE, file checks, fsync at COMMIT), handing out
        its sqlite3 connection. Failures of the storage are raised as `StorageError` with their typed
        reason (as `station.db.write` does), after the rollback; `StaleOrder` and other exceptions
        propagate unchanged, after the rollback."""
        try:
            with self.engine.connect() as conn, conn.begin():
                dbapi = conn.connection.dbapi_connection
                assert isinstance(dbapi, sqlite3.Connection)
                yield dbapi
        except DatabaseFileChanged:
            raise
        except sqlite3.IntegrityError as exc:  # a foreign row clashed: refused like any storage refusal
            raise StorageError(StorageReason.REFUSED, str(exc)) from exc
        except sqlite3.Error as exc:
            raise StorageError(storage_reason(exc), str(exc)) from exc
        except SQLAlchemyError as exc:
            raise StorageError(storage_reason(exc), str(getattr(exc, "orig", None) or exc)) from exc

    def count(
        self,
        db: sqlite3.Connection,
        now: datetime,
        station_id: str,
        packer_id: str | None,
        current: OrderView,
        d: Decision,
        scan: ScanInput,
    ) -> None:
        """Inside `transaction()`: check the order on disk against `current`, then write the count of `d`.
        Raises `StaleOrder` (nothing written) when the disk differs."""
        assert d.order is not None and d.line is not None
        order_id, line = d.order.order_id, d.line
        rows = db.execute(_STALE_SQL, (current.order_id,)).fetchall()
        status = rows[0][0] if rows else None
        if differs(status, {line_id: scanned for _, line_id, scanned in rows if line_id is not None}, current):
            raise StaleOrder

        parsed = scan.parsed
        values = (
            station_id,
            packer_id,
            order_id,
            scan.raw,
            scan.symbology,
            scan.source,
            VerdictKind.OK.value,
            line.line_id,
            d.units,
            parsed.gtin if parsed else None,
            parsed.lot if parsed else None,
            parsed.serial if parsed else None,
            parsed.expiry if parsed else None,
            False,
            now,
        )
        stored = db.execute(_SCAN_SQL, [p(v) for p, v in zip(self._scan_in, values, strict=True)]).fetchone()
        row = {c: p(v) for c, p, v in zip(bindings.SCAN_COLUMNS, self._scan_out, stored, strict=True)}
        db.execute(_LINE_SQL, (d.units, line.line_id))
        if status == OrderStatus.PACKING.value:
            db.execute(_TOUCH_SQL, (self._order_time(now), packer_id, order_id))
        else:
            db.execute(_ORDER_SQL, (OrderStatus.PACKING.value, self._order_time(now), packer_id, order_id))

        scan_id = row["id"]
        detail: dict[str, Any] = {
            "scan_id": scan_id,
            "code": scan.raw,
            "verdict": "ok",
            "sku": line.sku,
            "units": d.units,
            "scanned": line.scanned,
            "ordered": line.ordered,
            "source": scan.source,
        }
        binds = [[bindings.SCANS, scan_id, bindings.content_hash(bindings.SCANS, row)]]
        self._audit(db, now, station_id, packer_id, "scan", order_id, detail, binds)

    def last_counted(self, db: sqlite3.Connection, order_id: str) -> CountedScan | None:
        """Inside `transaction()`: the order's newest counted scan not yet taken back."""
        row = db.execute(_LAST_COUNTED_SQL, (order_id, VerdictKind.OK.value)).fetchone()
        return None if row is None else CountedScan(row[0], row[1], row[2], row[3])

    def undo(
        self,
        db: sqlite3.Connection,
        now: datetime,
        station_id: str,
        packer_id: str | None,
        d: Decision,
        order_id: str,
        source: str,
    ) -> None:
        """Inside `transaction()`: take back `d.undo` (flag the scan, lower its line's count, audit it)."""
        last, line = d.undo, d.line
        assert last is not None and line is not None and last.line_id is not None
        db.execute(_UNDONE_SQL, (last.scan_id,))
        db.execute(_UNCOUNT_SQL, (last.units, last.line_id))
        detail = {"scan_id": last.scan_id, "code": last.code, "sku": line.sku, "units": last.units, "source": source}
        self._audit(db, now, station_id, packer_id, "undo", order_id, detail, [])

    def _audit(
        self,
        db: sqlite3.Connection,
        now: datetime,
        station_id: str,
        actor: str | None,
        action: str,
        order_id: str,
        detail: dict[str, Any],
        binds: list[list[Any]],
    ) -> None:
        head = db.execute(_HEAD_SQL).fetchone()
        entry = audit.chained(head, now, station_id, actor, action, order_id, detail, binds)
        db.execute(
            _AUDIT_SQL,
            (
                entry.row_id,
                self._audit_time(now),
                station_id,
                actor,
                action,
                order_id,
                entry.detail,
                entry.prev_hash,
                entry.hash,
            ),
        )
