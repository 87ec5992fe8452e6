"""The rows one pack decision writes, inside the caller's transaction: the scan row, the order and line
counts, the incident with its outbox event, the seal and cancel events, and the audit row of each.

`station.service` opens the transaction (`station.db.write`), calls one of these per decision of the pack
session (`station.pack_session`) and commits. (A counted scan, the hot path, is written by
`station.count_writes` in fewer statements.) Every outbox event of the pack workflow is enqueued here or in
`station.clearance`, each in one place."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from rules import events
from station import audit, bindings, outbox
from station.barcodes import ParsedCode
from station.model import OrderStatus, OrderView, VerdictKind
from station.orm import BenchState as BenchStateRow
from station.orm import IncidentRecord, Order, OrderLine, ScanRecord
from station.pack_session import Decision
from station.printing.jobs import queue_seal_paperwork
from station.remediation import suggested_remediation
from station.statuses import IncidentStatus

__all__ = ["BenchWriter", "ScanInput"]


@dataclass(frozen=True)
class ScanInput:
    """One scan as received: what its scan row records."""

    raw: str
    symbology: str | None
    source: str
    parsed: ParsedCode | None


@dataclass(frozen=True)
class BenchWriter:
    """Writes for one station and the packer at work (every row carries both)."""

    station_id: str
    packer_id: str | None

    def bench_row(self, s: Session, now: datetime) -> BenchStateRow:
        bench = s.get(BenchStateRow, self.station_id)
        if bench is None:
            bench = BenchStateRow(station_id=self.station_id, order_id=None, packer_id=self.packer_id, updated_at=now)
            s.add(bench)
        bench.updated_at = now
        return bench

    def audit(
        self, s: Session, now: datetime, action: str, order_id: str | None, actor: str | None = None, **detail: Any
    ) -> None:
        audit.append(
            s,
            at=now,
            station_id=self.station_id,
            actor=actor or self.packer_id,
            action=action,
            order_id=order_id,
            detail=detail,
        )

    def scan_row(
        self,
        s: Session,
        now: datetime,
        scan: ScanInput,
        kind: VerdictKind,
        order_id: str | None,
        line_id: int | None = None,
        units: int = 0,
        code: str | None = None,
        symbology: str | None = None,
    ) -> ScanRecord:
        parsed = scan.parsed
        record = ScanRecord(
            station_id=self.station_id,
            packer_id=self.packer_id,
            order_id=order_id,  # None: a scan with no package to belong to (before any order, after a seal)
            code=code if code is not None else scan.raw,
            symbology=symbology if code is not None else scan.symbology,
            source=scan.source,
            verdict=kind.value,
            line_id=line_id,
            units=units,
            gtin=parsed.gtin if parsed else None,
            lot=parsed.lot if parsed else None,
            serial=parsed.serial if parsed else None,
            expiry=parsed.expiry if parsed else None,
            undone=False,
            created_at=now,
        )
        s.add(record)
        bindings.track(s, record)
        return record

    # ------------------------------------------------------------------ scans
    def record(self, s: Session, now: datetime, d: Decision, scan: ScanInput) -> None:
        """A scan with no package to belong to (before any order, after a seal)."""
        record = self.scan_row(s, now, scan, _stored_kind(d), None)
        s.flush()
        if d.no_order_note:
            self.audit(
                s,
                now,
                "scan",
                None,
                scan_id=record.id,
                code=scan.raw,
                verdict=_stored_kind(d).value,
                detail=d.detail,
                source=scan.source,
                note="no order on the bench",
            )
        else:
            self.audit(s, now, "scan", None, scan_id=record.id, code=scan.raw, verdict=d.kind.value, source=scan.source)

    def ignore(self, s: Session, now: datetime, d: Decision, scan: ScanInput, order_id: str | None) -> None:
        """A scan on the bench's order that changes nothing."""
        parsed = scan.parsed
        code = scan.raw if parsed is None else parsed.raw
        record = self.scan_row(
            s,
            now,
            scan,
            d.kind,
            order_id,
            d.line.line_id if d.line else None,
            code=code,
            symbology=parsed.symbology if parsed else None,
        )
        s.flush()
        self.audit(
            s,
            now,
            "scan",
            order_id,
            scan_id=record.id,
            code=code,
            verdict=d.kind.value,
            detail=d.detail,
            source=scan.source,
        )

    def block_scan(
        self, s: Session, now: datetime, d: Decision, scan: ScanInput, incident_id: str, evidence_file: str | None
    ) -> None:
        """A scan that must not count: block the package, open the incident."""
        order = d.order
        assert order is not None
        expected = [ln.as_dict() for ln in order.lines]
        record = self.scan_row(s, now, scan, d.kind, order.order_id, d.line.line_id if d.line else None)
        s.flush()
        self.block(s, now, order.order_id)
        self.open_incident(
            s, now, incident_id, order, d.kind, scan.raw, record.id, expected, [], d.detail, evidence_file
        )
        self.audit(
            s,
            now,
            "scan",
            order.order_id,
            scan_id=record.id,
            code=scan.raw,
            verdict=d.kind.value,
            detail=d.detail,
            source=scan.source,
            incident=incident_id,
            sku=d.line.sku if d.line else None,
        )

    # ------------------------------------------------------------------ commands
    def block_short(self, s: Session, now: datetime, d: Decision, incident_id: str, source: str) -> None:
        """SEAL with lines still short: block the package, open a SHORT incident."""
        order = d.order
        assert order is not None
        missing_list = [{"sku": ln.sku, "description": ln.description, "missing": ln.missing} for ln in d.missing]
        self.block(s, now, order.order_id)
        self.open_incident(
            s,
            now,
            incident_id,
            order,
            VerdictKind.SHORT,
            None,
            None,
            [ln.as_dict() for ln in order.lines],
            missing_list,
            f"{sum(ln.missing for ln in d.missing)} unit(s) missing",
            None,
        )
        self.audit(
            s,
            now,
            "seal.refused",
            order.order_id,
            reason="short",
            incident=incident_id,
            missing=missing_list,
            source=source,
        )

    def load(self, s: Session, now: datetime, d: Decision, code: str, source: str) -> Order:
        """Put `d.load_order_id` on the bench; an untouched previous order goes back to the queue."""
        order = s.get(Order, d.load_order_id)
        assert order is not None
        previous = d.previous_order_id
        if previous and previous != order.order_id:
            # Switching away from an order with nothing counted yet: it goes back to the queue.
            s.execute(
                update(Order)
                .where(Order.order_id == previous, Order.status == OrderStatus.PACKING.value)
                .values(status=OrderStatus.NEW.value, updated_at=now)
            )
        if order.status == OrderStatus.CANCELLED.value:
            order.status = OrderStatus.NEW.value
        if order.status == OrderStatus.NEW.value:
            order.packer_id = self.packer_id
        order.updated_at = now
        bench = self.bench_row(s, now)
        bench.order_id = order.order_id
        self.audit(s, now, "order.loaded", order.order_id, code=code, source=source, previous=previous)
        s.flush()
        return order

    def seal(
        self,
        s: Session,
        now: datetime,
        order: OrderView,
        short_shipped: bool,
        source: str,
        measured_weight_g: float | None = None,
    ) -> None:
        lines = [{"sku": ln.sku, "ordered": ln.ordered, "scanned": ln.scanned} for ln in order.lines]
        s.execute(
            update(Order)
            .where(Order.order_id == order.order_id)
            .values(
                status=OrderStatus.SEALED.value,
                sealed_at=now,
                updated_at=now,
                short_shipped=short_shipped,
                tote_key=None,
                measured_weight_g=measured_weight_g,
            )
        )  # the tote is free again: the next order can be picked into it
        bindings.track_order(s, order.order_id)  # its lines' counts at the seal go into the audit row
        outbox.enqueue(
            s,
            events.PackSealed(
                order_id=order.order_id,
                packer_id=self.packer_id,
                sealed_at=now,
                lines=[events.SealedLine.model_validate(line) for line in lines],
                short_shipped=short_shipped,
                measured_weight_g=measured_weight_g,
            ),
            now,
        )
        weighed: dict[str, Any] = {} if measured_weight_g is None else {"measured_weight_g": measured_weight_g}
        self.audit(s, now, "seal", order.order_id, lines=lines, short_shipped=short_shipped, source=source, **weighed)
        queue_seal_paperwork(s, now, self.station_id, order.order_id, self.packer_id)  # printed after the commit

    def cancel(self, s: Session, now: datetime, order_id: str, reason: str, source: str, actor: str | None) -> None:
        s.execute(update(OrderLine).where(OrderLine.order_id == order_id).values(scanned=0))
        undone = s.scalars(
            update(ScanRecord)
            .where(
                ScanRecord.order_id == order_id,
                ScanRecord.undone.is_(False),
                ScanRecord.verdict == VerdictKind.OK.value,
            )
            .values(undone=True)
            .returning(ScanRecord.id)
        ).all()
        s.execute(
            update(Order).where(Order.order_id == order_id).values(status=OrderStatus.CANCELLED.value, updated_at=now)
        )
        bench = self.bench_row(s, now)
        bench.order_id = None
        outbox.enqueue(
            s,
            events.PackCancelled(order_id=order_id, packer_id=self.packer_id, reason=reason, cancelled_at=now),
            now,
        )
        self.audit(s, now, "cancel", order_id, reason=reason, source=source, actor=actor, undone_scans=sorted(undone))

    # ------------------------------------------------------------------ incidents
    def block(self, s: Session, now: datetime, order_id: str) -> None:
        s.execute(
            update(Order)
            .where(Order.order_id == order_id)
            .values(status=OrderStatus.BLOCKED.value, updated_at=now, packer_id=self.packer_id)
        )

    def open_incident(
        self,
        s: Session,
        now: datetime,
        incident_id: str,
        order: OrderView,
        kind: VerdictKind,
        code: str | None,
        scan_id: int | None,
        expected: list[dict[str, Any]],
        missing: list[dict[str, Any]],
        detail: str,
        evidence_file: str | None,
        weight: dict[str, Any] | None = None,
    ) -> IncidentRecord:
        remediation = suggested_remediation(kind.value)
        incident = IncidentRecord(
            id=incident_id,
            station_id=self.station_id,
            packer_id=self.packer_id,
            order_id=order.order_id,
            kind=kind.value,
            code=code,
            scan_id=scan_id,
            expected=expected,
            missing=missing,
            detail=detail,
            suggested_remediation=remediation,
            evidence_file=evidence_file,
            detected_at=now,
            status=IncidentStatus.OPEN.value,
            weight=weight,
        )
        s.add(incident)
        bindings.track(s, incident)
        outbox.enqueue(
            s,
            events.IncidentOpened(
                incident_id=uuid.UUID(incident_id),
                order_id=order.order_id,
                kind=events.IncidentKind(kind.value),
                code=code,
                packer_id=self.packer_id,
                detected_at=now,
                expected=[events.ExpectedLine.model_validate(line) for line in expected],
                missing=[events.MissingLine.model_validate(line) for line in missing],
                suggested_remediation=remediation,
                evidence_file=evidence_file,
                detail=detail,
                weight=None if weight is None else events.WeightFacts.model_validate(weight),
            ),
            now,
        )
        self.audit(s, now, "incident.opened", order.order_id, incident=incident_id, kind=kind.value, code=code)
        return incident


def _stored_kind(d: Decision) -> VerdictKind:
    """The verdict an off-order bad scan is stored with: its own kind (the verdict says NO_ORDER for items)."""
    return d.stored_kind or d.kind
