"""What the pack session reads from the station database: the bench's order and its barcode keys, the facts a
scan's rules ask for (`ScanFacts`), the stale-bench check, the open incidents. Reads only: no writes here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, sessionmaker

from station import tracking
from station.barcodes import ParsedCode
from station.clock import as_utc
from station.model import IncidentView, LineView, OrderStatus, OrderView, Tracking
from station.order_keys import find_order
from station.orm import BenchState as BenchStateRow
from station.orm import IncidentRecord, ItemRecord, LineBarcode, Order, OrderLine, RecallRecord
from station.pack_session import LineKey, OrderRef, PackSession
from station.statuses import IncidentStatus

__all__ = [
    "DbFacts",
    "bench_on_disk",
    "differs",
    "disk_differs",
    "incident_view",
    "open_incidents",
    "session_for",
]


def session_for(s: Session, order: Order) -> PackSession:
    """The pack session of `order`: its view (lines in order) and its barcode keys."""
    lines = s.scalars(select(OrderLine).where(OrderLine.order_id == order.order_id).order_by(OrderLine.line_no)).all()
    keys = {
        bc.match_key: LineKey(bc.line_id, bc.units)
        for bc in s.scalars(select(LineBarcode).where(LineBarcode.order_id == order.order_id))
    }
    weights = _unit_weights(s, lines)
    view = OrderView(
        order_id=order.order_id,
        order_barcode=order.order_barcode,
        ship_to=order.ship_to,
        carrier=order.carrier,
        status=OrderStatus(order.status),
        lines=tuple(
            LineView(
                ln.id,
                ln.sku,
                ln.description,
                ln.quantity,
                ln.scanned,
                Tracking(ln.lot_tracked, ln.expiry_tracked, ln.serial_tracked),
                ln.unit_weight_g if ln.unit_weight_g is not None else weights.get(ln.sku),
            )
            for ln in lines
        ),
        tote=order.tote,
        carton=order.carton_code,
        tare_g=order.tare_g,
    )
    return PackSession(view, keys)


def _unit_weights(s: Session, lines: Sequence[OrderLine]) -> dict[str, float]:
    """The item master's unit weight of the SKUs of `lines` that the order file gave none."""
    skus = {ln.sku for ln in lines if ln.unit_weight_g is None}
    if not skus:
        return {}
    rows = s.execute(
        select(ItemRecord.sku, ItemRecord.unit_weight_g).where(
            ItemRecord.sku.in_(skus), ItemRecord.unit_weight_g.is_not(None)
        )
    ).all()
    return {sku: float(weight) for sku, weight in rows if weight is not None}


def bench_on_disk(sessions: sessionmaker[Session], station_id: str) -> tuple[bool, str | None, PackSession]:
    """(a bench row exists, its packer, the session of its order) as the database holds them."""
    with sessions() as s:
        bench = s.get(BenchStateRow, station_id)
        if bench is None:
            return False, None, PackSession()
        order = s.get(Order, bench.order_id) if bench.order_id else None
        return True, bench.packer_id, session_for(s, order) if order is not None else PackSession()


def disk_differs(s: Session, order: OrderView) -> bool:
    """Inside a write transaction (which holds the write lock): is the order on disk no longer what this
    process holds in memory (a second `packgate` on the same data dir blocked it or counted items)?
    Counting or sealing on a stale view could seal a blocked package."""
    status = s.scalar(select(Order.status).where(Order.order_id == order.order_id))
    rows = s.execute(select(OrderLine.id, OrderLine.scanned).where(OrderLine.order_id == order.order_id))
    return differs(status, {line_id: count for line_id, count in rows}, order)


def differs(status: str | None, scanned: Mapping[int, int], order: OrderView) -> bool:
    """The stale-bench rule, on what was read: the order on disk (`status`, None when it is gone, and each
    line's count by line id) is not `order` as this process holds it."""
    if status in (OrderStatus.BLOCKED.value, OrderStatus.SEALED.value, OrderStatus.CANCELLED.value):
        return True
    return any(scanned.get(ln.line_id) != ln.scanned for ln in order.lines)


def open_incidents(sessions: sessionmaker[Session], order_id: str) -> tuple[IncidentView, ...]:
    with sessions() as s:
        rows = s.scalars(
            select(IncidentRecord)
            .where(IncidentRecord.order_id == order_id, IncidentRecord.status == IncidentStatus.OPEN.value)
            .order_by(IncidentRecord.detected_at)
        ).all()
        return tuple(incident_view(r) for r in rows)


@dataclass(frozen=True)
class DbFacts:
    """`ScanFacts` read from the station database, each in its own short read (one indexed look-up)."""

    sessions: sessionmaker[Session]
    today: date

    def order_named(self, parsed: ParsedCode) -> OrderRef | None:
        with self.sessions() as s:
            order = find_order(s, parsed)
            return None if order is None else OrderRef(order.order_id, OrderStatus(order.status))

    def known_elsewhere(self, match_key: str) -> bool:
        with self.sessions() as s:
            return bool(s.scalar(select(exists().where(LineBarcode.match_key == match_key))))

    def recall_reason(self, parsed: ParsedCode) -> str | None:
        if parsed.lot is None and parsed.serial is None:
            return None
        conditions: list[ColumnElement[bool]] = []
        if parsed.lot is not None:
            conditions.append((RecallRecord.lot == parsed.lot) & RecallRecord.serial.is_(None))
        if parsed.serial is not None:
            conditions.append(RecallRecord.serial == parsed.serial)
        q = (
            select(RecallRecord.reason)
            .where(
                (RecallRecord.gtin.is_(None)) | (RecallRecord.gtin == parsed.gtin),
                conditions[0] if len(conditions) == 1 else (conditions[0] | conditions[1]),
            )
            .limit(1)
        )
        with self.sessions() as s:
            return s.scalar(q)

    def serial_history(self, order_id: str, parsed: ParsedCode) -> tuple[bool, str | None]:
        with self.sessions() as s:
            return tracking.serial_history(s, order_id, parsed)


def incident_view(r: IncidentRecord) -> IncidentView:
    return IncidentView(
        id=r.id,
        order_id=r.order_id,
        kind=r.kind,
        code=r.code,
        packer_id=r.packer_id,
        status=r.status,
        detected_at=as_utc(r.detected_at),
        detail=r.detail,
        evidence_file=r.evidence_file,
        expected=list(r.expected or []),
        missing=list(r.missing or []),
    )
