"""What a packing slip says, read from the sealed order: its lines as packed, the lots and serials scanned,
and the remedy of each short-shipped line (the supervisor's clearance of the SHORT incident)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.clock import as_utc
from station.model import VerdictKind
from station.orm import IncidentRecord, Order, OrderLine, ScanRecord
from station.statuses import IncidentStatus


@dataclass(frozen=True)
class SlipLine:
    line_no: int
    sku: str
    description: str
    ordered: int
    packed: int
    lots: tuple[str, ...]
    serials: tuple[str, ...]

    @property
    def short(self) -> int:
        return max(self.ordered - self.packed, 0)


@dataclass(frozen=True)
class ShortRemedy:
    """How a short shipment was resolved: who decided, the resolution and their reason."""

    supervisor: str | None
    resolution: str | None
    reason: str | None


@dataclass(frozen=True)
class SlipData:
    order_id: str
    ship_to: str | None
    carrier: str | None
    sealed_at: datetime | None
    packer_id: str | None
    station_id: str
    short_shipped: bool
    lines: tuple[SlipLine, ...]
    remedy: ShortRemedy | None  # set when some line is short


def slip_data(s: Session, order_id: str, station_id: str) -> SlipData | None:
    """The slip of ``order_id``, or None when there is no such order."""
    order = s.get(Order, order_id)
    if order is None:
        return None
    lots: dict[int, list[str]] = {}
    serials: dict[int, list[str]] = {}
    for line_id, lot, serial in s.execute(
        select(ScanRecord.line_id, ScanRecord.lot, ScanRecord.serial)
        .where(
            ScanRecord.order_id == order_id,
            ScanRecord.verdict == VerdictKind.OK.value,
            ScanRecord.undone.is_(False),
            ScanRecord.line_id.is_not(None),
        )
        .order_by(ScanRecord.id)
    ):
        if line_id is None:
            continue
        if lot and lot not in lots.setdefault(line_id, []):
            lots[line_id].append(lot)
        if serial and serial not in serials.setdefault(line_id, []):
            serials[line_id].append(serial)
    lines = tuple(
        SlipLine(
            line_no=line.line_no,
            sku=line.sku,
            description=line.description,
            ordered=line.quantity,
            packed=line.scanned,
            lots=tuple(lots.get(line.id, ())),
            serials=tuple(serials.get(line.id, ())),
        )
        for line in s.scalars(select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no))
    )
    remedy = None
    if any(line.short for line in lines):
        incident = s.scalars(
            select(IncidentRecord)
            .where(
                IncidentRecord.order_id == order_id,
                IncidentRecord.kind == VerdictKind.SHORT.value,
                IncidentRecord.status != IncidentStatus.OPEN.value,
            )
            .order_by(IncidentRecord.resolved_at.desc())
            .limit(1)
        ).first()
        remedy = ShortRemedy(
            supervisor=incident.resolved_by if incident else None,
            resolution=incident.resolution if incident else None,
            reason=incident.reason if incident else None,
        )
    return SlipData(
        order_id=order.order_id,
        ship_to=order.ship_to or None,
        carrier=order.carrier or None,
        sealed_at=as_utc(order.sealed_at) if order.sealed_at else None,
        packer_id=order.packer_id,
        station_id=station_id,
        short_shipped=order.short_shipped,
        lines=lines,
        remedy=remedy,
    )
