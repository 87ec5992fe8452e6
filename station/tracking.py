"""Lot-, expiry- and serial-tracked lines: which scans of their items may count.

A line marked ``lot_tracked`` counts only a scan that carries the lot (GS1 AI 10); ``expiry_tracked``, only
one that carries the expiry date (AI 17); ``serial_tracked``, only one that carries the unit's serial (AI 21),
one unit per scan. A scan of the item's plain EAN/UPC (or of a case label without them) is the right item
read from the wrong label: it counts nothing and asks for the label that carries the data, so the expiry,
recall and serial checks cannot be skipped. It does **not** block the package or open an incident (nothing
wrong went in); sealing still refuses while the line is short.

A serial is also refused when this station already packed it into an order that is sealed: the same unit
cannot ship twice (a copied label, or a return that was never booked back in). That verdict blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.barcodes import ParsedCode
from station.model import OrderStatus, Tracking, VerdictKind
from station.orm import Order, ScanRecord

__all__ = ["LabelRequired", "label_required", "serial_history"]


@dataclass(frozen=True)
class LabelRequired:
    """A tracked line's item scanned from a label that lacks what the line needs.

    ``missing`` names what is missing, in this order: ``serial``, ``lot``, ``expiry``, and ``unit`` when a
    serial-tracked line was scanned as a case or a count (each unit needs its own serial scan)."""

    kind: VerdictKind
    missing: tuple[str, ...]

    @property
    def detail(self) -> str:
        return ",".join(self.missing)


def label_required(tracking: Tracking, parsed: ParsedCode, units: int) -> LabelRequired | None:
    """None when this scan may count for a line tracked as ``tracking`` (``units`` it would count)."""
    if not tracking.any:
        return None
    missing: list[str] = []
    if tracking.serial and parsed.serial is None:
        missing.append("serial")
    if tracking.lot and parsed.lot is None:
        missing.append("lot")
    if tracking.expiry and parsed.expiry is None:
        missing.append("expiry")
    if tracking.serial and units > 1:
        missing.append("unit")
    if not missing:
        return None
    serial = "serial" in missing or "unit" in missing
    return LabelRequired(VerdictKind.SERIAL_REQUIRED if serial else VerdictKind.LOT_REQUIRED, tuple(missing))


def serial_history(s: Session, order_id: str, parsed: ParsedCode) -> tuple[bool, str | None]:
    """Where this GTIN + serial was already counted, in one indexed query: (counted in `order_id` already,
    the order sealed on this station that holds it, or None).

    Uses the (gtin, serial) index on scans; undone and cancelled counts are marked ``undone`` and ignored."""
    rows = (
        s.execute(
            select(ScanRecord.order_id)
            .join(Order, Order.order_id == ScanRecord.order_id)
            .where(
                ScanRecord.gtin == parsed.gtin,
                ScanRecord.serial == parsed.serial,
                ScanRecord.verdict == VerdictKind.OK.value,
                ScanRecord.undone.is_(False),
                (ScanRecord.order_id == order_id) | (Order.status == OrderStatus.SEALED.value),
            )
        )
        .scalars()
        .all()
    )
    sealed_in = next((other for other in rows if other != order_id), None)
    return order_id in rows, sealed_in
