"""Binding rows to the audit chain: the content hash of every scan, incident, outbox event and sealed order
is written into the audit row that records it, so editing one of those rows later is caught by
`packgate audit verify` even though the row itself is not in the chain.

Writing side: code that creates or changes a bound row calls `track(session, row)` (`outbox.enqueue` does it
for every event; `track_order` for an order at its seal). The next `audit.append` in the same transaction
*consumes* every tracked row: it reads each back from the database (so the hash is of exactly what was
stored, after type conversion) and adds ``"bind": [[table, key, sha256], ...]`` to its detail, which the
chain hash covers. Rows tracked after the transaction's last audit row are bound by one extra ``bind``
audit row written just before the commit (`station.audit.install` registers that safety net), so no
bound row can be committed unbound.

What is hashed (`content_hash`): the table name plus the row's *content* columns. Columns that change for
operational reasons are left out: an outbox row's status/attempts/errors (the sync worker updates them),
a scan's ``undone`` flag (set by undo/cancel; `audit verify` checks it against the undo and cancel rows
instead, see `station.chain_check`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from station.canonical import canonical_json
from station.clock import as_utc
from station.orm import IncidentRecord, Order, OrderLine, OutboxRecord, ScanRecord

SCANS = "scans"
INCIDENTS = "incidents"
OUTBOX = "outbox"
ORDERS = "orders"

#: table -> (key column, content columns)
SCAN_COLUMNS = (
    "id",
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
    "created_at",
)
INCIDENT_COLUMNS = (
    "id",
    "station_id",
    "packer_id",
    "order_id",
    "kind",
    "code",
    "scan_id",
    "expected",
    "missing",
    "detail",
    "suggested_remediation",
    "evidence_file",
    "detected_at",
    "status",
    "resolved_by",
    "resolved_at",
    "resolution",
    "reason",
)
OUTBOX_COLUMNS = ("seq", "event_id", "type", "occurred_at", "payload")
ORDER_COLUMNS = ("order_id", "status", "short_shipped", "sealed_at")
LINE_COLUMNS = ("line_no", "sku", "quantity", "scanned")

_TABLES: dict[str, tuple[Table, str, tuple[str, ...]]] = {
    SCANS: (ScanRecord.__table__, "id", SCAN_COLUMNS),  # type: ignore[dict-item]
    INCIDENTS: (IncidentRecord.__table__, "id", INCIDENT_COLUMNS),  # type: ignore[dict-item]
    OUTBOX: (OutboxRecord.__table__, "seq", OUTBOX_COLUMNS),  # type: ignore[dict-item]
}
_MODELS = {ScanRecord: SCANS, IncidentRecord: INCIDENTS, OutboxRecord: OUTBOX}
# Built once: building a 15-column select per scan cost more than running it.
_ONE: dict[str, Select[Any]] = {
    t: select(*(tbl.c[c] for c in cols)).where(tbl.c[key] == bindparam("k")) for t, (tbl, key, cols) in _TABLES.items()
}
_MANY: dict[str, Select[Any]] = {
    t: select(*(tbl.c[c] for c in cols)).where(tbl.c[key].in_(bindparam("k", expanding=True)))
    for t, (tbl, key, cols) in _TABLES.items()
}
# A stored row by column name: a dict, or SQLAlchemy's RowMapping (keyed by name or by Column, hence Any keys).
StoredRow = Mapping[Any, Any]

_KEY = "packgate.audit.tracked"
_CHUNK = 500


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def content_hash(table: str, row: StoredRow, lines: Iterable[StoredRow] = ()) -> str:
    """SHA-256 of the canonical content of one row (for an order: the order and its lines)."""
    columns = ORDER_COLUMNS if table == ORDERS else _TABLES[table][2]
    content: dict[str, Any] = {"table": table, **{c: _plain(row[c]) for c in columns}}
    if table == ORDERS:
        content["lines"] = [{c: _plain(ln[c]) for c in LINE_COLUMNS} for ln in lines]
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def track(session: Session, row: ScanRecord | IncidentRecord | OutboxRecord) -> None:
    """Bind `row` to the next audit row of this transaction (call after creating or changing it)."""
    session.info.setdefault(_KEY, {})[(_MODELS[type(row)], id(row))] = row


def track_order(session: Session, order_id: str) -> None:
    """Bind the order's state and its lines' counts (at its seal) to the next audit row."""
    session.info.setdefault(_KEY, {})[(ORDERS, order_id)] = order_id


def has_tracked(session: Session) -> bool:
    return bool(session.info.get(_KEY))


def consume(session: Session) -> list[list[Any]]:
    """The ``bind`` entries for every tracked row, read back from the database; forgets them."""
    tracked = session.info.pop(_KEY, None)
    if not tracked:
        return []
    session.flush()  # ids, seqs and changes reach the database first
    wanted: dict[str, list[Any]] = {}
    for (table, _), obj in tracked.items():
        key = obj if table == ORDERS else getattr(obj, _TABLES[table][1])
        if key not in wanted.setdefault(table, []):
            wanted[table].append(key)
    binds: list[list[Any]] = []
    for table in (SCANS, INCIDENTS, ORDERS, OUTBOX):
        keys = wanted.get(table)
        if keys:
            hashes = current_hashes(session, table, keys)
            binds.extend([table, k, hashes[k]] for k in keys if k in hashes)
    return binds


def current_hashes(session: Session, table: str, keys: list[Any]) -> dict[Any, str]:
    """key -> content hash of the rows that exist now (missing keys are left out)."""
    found: dict[Any, str] = {}
    for chunk in _chunks(keys):
        if table == ORDERS:
            orders = (
                session.execute(select(*(Order.__table__.c[c] for c in ORDER_COLUMNS)).where(Order.order_id.in_(chunk)))
                .mappings()
                .all()
            )
            lines: dict[str, list[StoredRow]] = {}
            for ln in session.execute(
                select(OrderLine.order_id, *(OrderLine.__table__.c[c] for c in LINE_COLUMNS))
                .where(OrderLine.order_id.in_(chunk))
                .order_by(OrderLine.line_no, OrderLine.id)
            ).mappings():
                lines.setdefault(ln["order_id"], []).append(ln)
            for o in orders:
                found[o["order_id"]] = content_hash(ORDERS, o, lines.get(o["order_id"], []))
            continue
        key = _TABLES[table][1]
        stmt, arg = (_ONE[table], chunk[0]) if len(chunk) == 1 else (_MANY[table], chunk)
        for row in session.connection().execute(stmt, {"k": arg}).mappings():
            found[row[key]] = content_hash(table, row)
    return found


def current_rows(session: Session, table: str, keys: list[Any]) -> dict[Any, StoredRow]:
    """key -> the row's content columns as stored now (to say *how* a row differs)."""
    key = _TABLES[table][1]
    out: dict[Any, StoredRow] = {}
    for chunk in _chunks(keys):
        for row in session.execute(_MANY[table], {"k": chunk}).mappings():
            out[row[key]] = row
    return out


def _chunks(keys: list[Any]) -> Iterator[list[Any]]:
    """`keys` in slices of at most `_CHUNK` (SQLite's bound-parameter limit stays far away)."""
    for start in range(0, len(keys), _CHUNK):
        yield keys[start : start + _CHUNK]


def forget(session: Session, *_: Any) -> None:
    """Drop what this session tracked (after a rollback: those rows are gone)."""
    session.info.pop(_KEY, None)
