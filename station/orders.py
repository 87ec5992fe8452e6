"""Storing orders and recall lists: import (all or nothing), listing for the CLI and the screen.

Import writes with bulk Core inserts in one transaction, a chunk of orders at a time (the orders may come
from a stream: memory stays bounded): a 100,000-order file either lands whole or not at all, and fast
enough to run at shift start. Codes that would make a scan ambiguous are refused first
(:mod:`station.order_files.conflicts`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from station import audit
from station.barcodes import match_key
from station.clock import Clock, SystemClock
from station.db import Database
from station.model import OrderStatus
from station.order_files import FLAGS, OrderSpec, RecallEntry
from station.order_files.conflicts import Conflict, check_chunk, load_badges
from station.order_keys import code_key
from station.orm import LineBarcode, Order, OrderLine, RecallRecord
from station.printing.labels import label_rows, write_labels

logger = logging.getLogger(__name__)

# An order someone is working on, or has finished, is never silently replaced by a re-import.
_LOCKED_STATUSES = {OrderStatus.PACKING.value, OrderStatus.BLOCKED.value, OrderStatus.SEALED.value}


@dataclass
class ImportResult:
    imported: int = 0
    replaced: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (order_id, status)


class OrderConflictError(ValueError):
    """The import was refused whole: these orders' codes collide with stored orders, each other or badges
    (see :mod:`station.order_files.conflicts`). Nothing was stored."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(f"{len(conflicts)} conflicting code(s), first: {conflicts[0]}")
        self.conflicts = conflicts


#: Orders written per round trip: bounds the memory of an import, whatever the file's size.
CHUNK_ORDERS = 2000


def import_orders(
    db: Database,
    specs: Iterable[OrderSpec],
    station_id: str,
    clock: Clock | None = None,
    actor: str | None = None,
    source: str = "",
) -> ImportResult:
    """Store orders, all or nothing, in one transaction, a chunk at a time (``specs`` may be a stream).

    Raises ``OrderConflictError`` (nothing stored) when a code collides, and whatever the stream raises (an
    ``OrderFileError`` after its last order) rolls the whole import back too."""
    clock = clock or SystemClock()
    now = clock.now()
    result = ImportResult()
    conflicts: list[Conflict] = []
    with db.session() as s:
        badges = load_badges(s)
        next_line_id = (s.scalar(select(OrderLine.id).order_by(OrderLine.id.desc()).limit(1)) or 0) + 1
        chunk: list[OrderSpec] = []
        for spec in specs:
            chunk.append(spec)
            if len(chunk) >= CHUNK_ORDERS:
                next_line_id = _write_chunk(s, chunk, now, result, badges, conflicts, next_line_id)
                chunk = []
        if chunk:
            _write_chunk(s, chunk, now, result, badges, conflicts, next_line_id)
        if conflicts:  # raising rolls the whole import back
            logger.info("orders refused: %d conflicting code(s)", len(conflicts), extra={"source": source})
            raise OrderConflictError(conflicts)
        audit.append(
            s,
            at=now,
            station_id=station_id,
            actor=actor,
            action="orders.imported",
            detail={
                "source": source,
                "imported": result.imported,
                "replaced": result.replaced,
                "refused": [oid for oid, _ in result.refused],
            },
        )
    logger.info(
        "orders imported",
        extra={
            "source": source,
            "imported": result.imported,
            "replaced": result.replaced,
            "refused": len(result.refused),
        },
    )
    return result


def _write_chunk(
    s: Session,
    specs: list[OrderSpec],
    now: datetime,
    result: ImportResult,
    badges: dict[str, tuple[str, str]],
    conflicts: list[Conflict],
    next_line_id: int,
) -> int:
    ids = [spec.order_id for spec in specs]
    existing: dict[str, str] = {}
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 900]
        existing.update(
            {oid: st for oid, st in s.execute(select(Order.order_id, Order.status).where(Order.order_id.in_(chunk)))}
        )
    to_write: list[OrderSpec] = []
    replace_ids: list[str] = []
    for spec in specs:
        status = existing.get(spec.order_id)
        if status in _LOCKED_STATUSES:
            result.refused.append((spec.order_id, status))
            continue
        if status is not None:
            replace_ids.append(spec.order_id)
        to_write.append(spec)
    for start in range(0, len(replace_ids), 900):
        chunk = replace_ids[start : start + 900]
        s.execute(delete(LineBarcode).where(LineBarcode.order_id.in_(chunk)))
        s.execute(delete(OrderLine).where(OrderLine.order_id.in_(chunk)))
        s.execute(delete(Order).where(Order.order_id.in_(chunk)))
    result.replaced += len(replace_ids)
    result.imported += len(to_write) - len(replace_ids)
    found = check_chunk(s, to_write, badges)
    if found or conflicts:
        conflicts.extend(found)
        return next_line_id  # the import will be refused: keep checking, stop writing

    order_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    barcode_rows: list[dict[str, Any]] = []
    for spec in to_write:
        order_rows.append(
            {
                "order_id": spec.order_id,
                "order_barcode": spec.order_barcode or None,
                "barcode_key": code_key(spec.order_barcode) if spec.order_barcode else None,
                "tote": spec.tote or None,
                "tote_key": code_key(spec.tote) if spec.tote else None,
                "ship_to": spec.ship_to,
                "carrier": spec.carrier,
                "status": OrderStatus.NEW.value,
                "packer_id": None,
                "imported_at": now,
                "updated_at": now,
                "sealed_at": None,
                "short_shipped": False,
            }
        )
        for line_no, line in enumerate(spec.lines, start=1):
            line_id = next_line_id
            next_line_id += 1
            line_rows.append(
                {
                    "id": line_id,
                    "order_id": spec.order_id,
                    "line_no": line_no,
                    "sku": line.sku,
                    "description": line.description,
                    "quantity": line.quantity,
                    "scanned": 0,
                    "lot_tracked": line.lot_tracked,
                    "expiry_tracked": line.expiry_tracked,
                    "serial_tracked": line.serial_tracked,
                    "unit_weight_g": line.unit_weight_g,
                }
            )
            for bc in line.barcodes:
                barcode_rows.append(
                    {
                        "line_id": line_id,
                        "order_id": spec.order_id,
                        "code": bc.code,
                        "match_key": bc.key,
                        "units": bc.units,
                    }
                )
    if order_rows:
        s.execute(insert(Order), order_rows)
        s.execute(insert(OrderLine), line_rows)
        s.execute(insert(LineBarcode), barcode_rows)
        labelled = [(spec.order_id, spec.label.format, spec.label.content) for spec in to_write if spec.label]
        write_labels(s, [spec.order_id for spec in to_write], label_rows(labelled, now))
    return next_line_id


def list_orders(db: Database, status: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Orders with their lines and counts, as the CLI's `orders list --json` prints them."""
    with db.sessions() as s:
        q = select(Order).order_by(Order.imported_at, Order.order_id)
        if status:
            q = q.where(Order.status == status)
        if limit:
            q = q.limit(limit)
        orders = s.scalars(q).all()
        lines_by_order: dict[str, list[OrderLine]] = {}
        ids = [o.order_id for o in orders]
        for start in range(0, len(ids), 900):
            for line in s.scalars(
                select(OrderLine)
                .where(OrderLine.order_id.in_(ids[start : start + 900]))
                .order_by(OrderLine.order_id, OrderLine.line_no)
            ):
                lines_by_order.setdefault(line.order_id, []).append(line)
        return [
            {
                "order_id": o.order_id,
                "order_barcode": o.order_barcode,
                "tote": o.tote,
                "ship_to": o.ship_to,
                "carrier": o.carrier,
                "status": o.status,
                "packer_id": o.packer_id,
                "short_shipped": o.short_shipped,
                "lines": [
                    {
                        "sku": ln.sku,
                        "description": ln.description,
                        "ordered": ln.quantity,
                        "scanned": ln.scanned,
                        **{flag: True for flag in FLAGS if getattr(ln, flag)},
                    }
                    for ln in lines_by_order.get(o.order_id, [])
                ],
            }
            for o in orders
        ]


def import_recalls(
    db: Database,
    entries: list[RecallEntry],
    station_id: str,
    clock: Clock | None = None,
    actor: str | None = None,
    source: str = "",
) -> int:
    """Add recall/quarantine entries (never removes one: a recall list only grows until a person says
    otherwise). Returns how many were new."""
    clock = clock or SystemClock()
    now = clock.now()
    with db.session() as s:
        have = {tuple(row) for row in s.execute(select(RecallRecord.gtin, RecallRecord.lot, RecallRecord.serial))}
        new = []
        for e in entries:
            gtin = match_key(e.gtin) if e.gtin else None
            key = (gtin, e.lot, e.serial)
            if key in have:
                continue
            have.add(key)
            new.append({"gtin": gtin, "lot": e.lot, "serial": e.serial, "reason": e.reason, "imported_at": now})
        if new:
            s.execute(insert(RecallRecord), new)
        audit.append(
            s,
            at=now,
            station_id=station_id,
            actor=actor,
            action="recalls.imported",
            detail={"source": source, "added": len(new), "in_file": len(entries)},
        )
    return len(new)
