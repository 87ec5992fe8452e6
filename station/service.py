"""The station's application service: every scan, command and clearance goes through here.

One call = one transaction: the scan row, the session state, the audit row, the incident and its outbox
event are committed together (SQLite WAL, fsync on commit) *before* the verdict is returned, so whatever
the screen shows as done survives a crash. If the commit fails (disk full, database locked for too long)
a `StorageError` is raised and nothing is counted.

The current order's lines are kept in memory between scans (they are re-read after any failure and on
start), so a scan costs one indexed look-up at most plus one commit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from rules import events
from station import audit, bindings, outbox, tracking
from station.barcodes import CodeKind, InvalidCode, ParsedCode, parse_scan
from station.clock import Clock, SystemClock, as_utc
from station.commands import COMMAND_PREFIX, Command
from station.db import Database
from station.file_guard import StorageError
from station.limits import MAX_NOTE_LENGTH, TextField, check_note, clip, storable_code
from station.model import (
    RESOLUTIONS,
    BenchState,
    IncidentView,
    LineView,
    OrderStatus,
    OrderView,
    Tracking,
    Verdict,
    VerdictKind,
)
from station.order_keys import find_order
from station.orm import (
    BenchState as BenchStateRow,
)
from station.orm import (
    IncidentRecord,
    LineBarcode,
    Order,
    OrderLine,
    RecallRecord,
    ScanRecord,
)
from station.paths import make_private_dir, write_private
from station.remediation import suggested_remediation
from station.statuses import IncidentStatus

logger = logging.getLogger(__name__)


# A camera frame for an incident: JPEG bytes, or a callable producing them only when needed.
Evidence = bytes | Callable[[], bytes | None] | None


class NotAllowed(RuntimeError):
    """A domain rule refuses the operation (e.g. the packer who caused an incident clearing it)."""


class StationService:
    def __init__(
        self, db: Database, station_id: str, clock: Clock | None = None, evidence_dir: Path | None = None
    ) -> None:
        self.db = db
        self.station_id = station_id
        self.clock = clock or SystemClock()
        self.evidence_dir = evidence_dir or db.path.parent / "evidence"
        self.packer_id: str | None = None
        self._order: OrderView | None = None
        self._keys: dict[str, tuple[int, int]] = {}  # match_key -> (line_id, units) for the current order
        self._state = BenchState.NO_ORDER
        self._last_sealed: OrderView | None = None
        self.reload()

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> BenchState:
        return self._state

    @property
    def order(self) -> OrderView | None:
        return self._order

    def reload(self) -> None:
        """Re-read the bench from the database (start-up, after a failed commit, after a clearance
        made elsewhere)."""
        with self.db.sessions() as s:
            bench = s.get(BenchStateRow, self.station_id)
            if bench is None:
                self._set_order(None)
                return
            if self.packer_id is None:
                self.packer_id = bench.packer_id
            order = s.get(Order, bench.order_id) if bench.order_id else None
            if order is None:
                self._set_order(None)
                return
            self._set_order(self._load_view(s, order))

    def _set_order(self, view: OrderView | None, keys: dict[str, tuple[int, int]] | None = None) -> None:
        self._order = view
        if keys is not None:
            self._keys = keys
        self._state = self._derive_state(view)

    @staticmethod
    def _derive_state(view: OrderView | None) -> BenchState:
        if view is None:
            return BenchState.NO_ORDER
        if view.status is OrderStatus.BLOCKED:
            return BenchState.BLOCKED
        if view.status is OrderStatus.SEALED:
            return BenchState.SEALED
        if view.status is OrderStatus.CANCELLED:
            return BenchState.NO_ORDER
        if view.lines and view.complete:
            return BenchState.COMPLETE
        if any(line.scanned for line in view.lines):
            return BenchState.SCANNING
        return BenchState.ORDER_LOADED

    def _load_view(self, s: Session, order: Order) -> OrderView:
        lines = s.scalars(
            select(OrderLine).where(OrderLine.order_id == order.order_id).order_by(OrderLine.line_no)
        ).all()
        keys: dict[str, tuple[int, int]] = {}
        for bc in s.scalars(select(LineBarcode).where(LineBarcode.order_id == order.order_id)):
            keys[bc.match_key] = (bc.line_id, bc.units)
        self._keys = keys
        return OrderView(
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
                )
                for ln in lines
            ),
            tote=order.tote,
        )

    def set_packer(self, packer_id: str | None) -> None:
        """Who is packing from now on; every event carries it."""
        now = self.clock.now()
        with self._transaction() as s:
            bench = self._bench_row(s, now)
            previous = bench.packer_id
            bench.packer_id = packer_id
            audit.append(
                s,
                at=now,
                station_id=self.station_id,
                actor=packer_id,
                action="packer.changed",
                detail={"previous": previous, "packer": packer_id},
            )
        self.packer_id = packer_id

    def open_incidents(self, order_id: str | None = None) -> tuple[IncidentView, ...]:
        order_id = order_id or (self._order.order_id if self._order else None)
        if order_id is None:
            return ()
        with self.db.sessions() as s:
            rows = s.scalars(
                select(IncidentRecord)
                .where(IncidentRecord.order_id == order_id, IncidentRecord.status == IncidentStatus.OPEN.value)
                .order_by(IncidentRecord.detected_at)
            ).all()
            return tuple(incident_view(r) for r in rows)

    # ------------------------------------------------------------------ scans
    def handle_scan(
        self, raw: str, symbology: str | None = None, source: str = "manual", evidence_jpeg: Evidence = None
    ) -> Verdict:
        """Check one scanned code against the bench and return its verdict, durably recorded.

        `evidence_jpeg` is the camera frame as JPEG bytes, or a callable returning them: encoding a frame
        costs milliseconds, so the camera passes a callable that runs only when the scan opens an incident.
        """
        try:
            parsed = parse_scan(raw, symbology)
        except InvalidCode as exc:
            if isinstance(raw, str):
                # A lone surrogate cannot be stored as UTF-8 (the write failed and the package stayed
                # unblocked); NUL or 4 000 characters would be refused by central and parked for good.
                raw = storable_code(raw)
            return self._record_item(raw, symbology, source, None, VerdictKind.INVALID_CODE, exc.reason, evidence_jpeg)

        if parsed.kind is CodeKind.COMMAND:
            return self.run_command(parsed.command or parsed.text[len(COMMAND_PREFIX) :], source=source)

        if self._state in (BenchState.NO_ORDER, BenchState.SEALED):
            return self._load_by_code(parsed, source)

        order = self._order
        assert order is not None
        if self._state is BenchState.BLOCKED:
            return self._record_ignored(parsed, source, VerdictKind.STILL_BLOCKED)

        hit = self._keys.get(parsed.match_key)
        if hit is None:
            # Not an item of this order. Another order's barcode is a request to switch orders, not an item.
            other = self._find_order(parsed)
            if other is not None and other.order_id != order.order_id:
                if self._state is BenchState.ORDER_LOADED:
                    return self._load_by_code(parsed, source)
                return self._record_ignored(parsed, source, VerdictKind.ORDER_IN_PROGRESS, detail=other.order_id)
            if other is not None:  # the current order's own barcode again: harmless
                return Verdict(VerdictKind.ORDER_LOADED, self._state, order, code=parsed.text)
            known = self._known_elsewhere(parsed.match_key)
            kind = VerdictKind.WRONG_ITEM if known else VerdictKind.UNKNOWN_CODE
            return self._record_item(raw, symbology, source, parsed, kind, "", evidence_jpeg)

        line_id, units = hit
        if parsed.count and units == 1:
            units = parsed.count  # a GS1 label that states its own unit count (AI 30/37)
        line = next(ln for ln in order.lines if ln.line_id == line_id)

        recall = self._recall_reason(parsed)
        if recall is not None:
            return self._record_item(raw, symbology, source, parsed, VerdictKind.RECALLED, recall, evidence_jpeg, line)
        # Best-before and expiry dates are calendar dates where the parcel is packed: compare with the
        # station's local date, not UTC's (east of UTC, yesterday's expiry would pass until UTC midnight).
        if parsed.expiry is not None and parsed.expiry < self.clock.now().astimezone().date():
            return self._record_item(
                raw, symbology, source, parsed, VerdictKind.EXPIRED, parsed.expiry.isoformat(), evidence_jpeg, line
            )
        if parsed.serial is not None:
            with self.db.sessions() as s:
                counted_here, shipped_in = tracking.serial_history(s, order.order_id, parsed)
            if counted_here:
                return self._record_item(
                    raw, symbology, source, parsed, VerdictKind.DUPLICATE_SERIAL, parsed.serial, evidence_jpeg, line
                )
            if shipped_in is not None:
                return self._record_item(
                    raw, symbology, source, parsed, VerdictKind.SERIAL_SHIPPED, shipped_in, evidence_jpeg, line
                )
        needed = tracking.label_required(line.tracking, parsed, units)
        if needed is not None:  # the right item, the wrong label: count nothing, block nothing
            return self._record_ignored(parsed, source, needed.kind, detail=needed.detail, line=line)
        if line.scanned + units > line.ordered:
            return self._record_item(
                raw,
                symbology,
                source,
                parsed,
                VerdictKind.OVER_SCAN,
                f"{line.scanned + units}>{line.ordered}",
                evidence_jpeg,
                line,
                units,
            )
        return self._count(raw, symbology, source, parsed, line, units, evidence_jpeg)

    def _count(
        self,
        raw: str,
        symbology: str | None,
        source: str,
        parsed: ParsedCode,
        line: LineView,
        units: int,
        evidence_jpeg: Evidence = None,
    ) -> Verdict:
        assert self._order is not None
        now = self.clock.now()
        new_line = replace(line, scanned=line.scanned + units)
        lines = tuple(new_line if ln.line_id == line.line_id else ln for ln in self._order.lines)
        view = replace(self._order, lines=lines, status=OrderStatus.PACKING)
        try:
            with self._transaction() as s:
                self._check_disk_matches(s, self._order)
                scan = self._scan_row(s, now, raw, symbology, source, parsed, VerdictKind.OK, line.line_id, units)
                s.execute(
                    update(OrderLine).where(OrderLine.id == line.line_id).values(scanned=OrderLine.scanned + units)
                )
                s.execute(
                    update(Order)
                    .where(Order.order_id == view.order_id)
                    .values(status=OrderStatus.PACKING.value, updated_at=now, packer_id=self.packer_id)
                )
                s.flush()
                self._audit(
                    s,
                    now,
                    "scan",
                    view.order_id,
                    scan_id=scan.id,
                    code=raw,
                    verdict="ok",
                    sku=line.sku,
                    units=units,
                    scanned=new_line.scanned,
                    ordered=line.ordered,
                    source=source,
                )
        except _StaleBench:
            # Another process on this data dir changed the order (blocked it, counted items): judge again
            # on what the disk says, never on what this process remembered.
            self.reload()
            return self.handle_scan(raw, symbology, source, evidence_jpeg)
        self._set_order(view)
        return Verdict(
            VerdictKind.OK,
            self._state,
            view,
            code=parsed.text,
            line=new_line,
            units=units,
            expiry=parsed.expiry,
            lot=parsed.lot,
            serial=parsed.serial,
        )

    def _record_item(
        self,
        raw: str,
        symbology: str | None,
        source: str,
        parsed: ParsedCode | None,
        kind: VerdictKind,
        detail: str,
        evidence_jpeg: Evidence,
        line: LineView | None = None,
        units: int = 0,
    ) -> Verdict:
        """A non-counted item scan. With an order on the bench it blocks the package and opens an incident;
        without one it is only recorded (there is no package to block)."""
        now = self.clock.now()
        order = self._order
        if order is None or self._state in (BenchState.NO_ORDER, BenchState.SEALED):
            with self._transaction() as s:
                scan = self._scan_row(s, now, raw, symbology, source, parsed, kind, None, 0, on_order=False)
                s.flush()
                self._audit(
                    s,
                    now,
                    "scan",
                    None,
                    scan_id=scan.id,
                    code=raw,
                    verdict=kind.value,
                    detail=detail,
                    source=source,
                    note="no order on the bench",
                )
            return Verdict(
                VerdictKind.NO_ORDER if kind is not VerdictKind.INVALID_CODE else kind,
                self._state,
                order if self._state is BenchState.SEALED else None,
                code=raw,
                detail=detail,
            )
        if self._state is BenchState.BLOCKED:
            return self._record_ignored(parsed, source, VerdictKind.STILL_BLOCKED, raw=raw)

        incident_id = str(uuid.uuid4())
        evidence_file = self._save_evidence(incident_id, evidence_jpeg, now) if evidence_jpeg else None
        view = replace(order, status=OrderStatus.BLOCKED)
        expected = [ln.as_dict() for ln in order.lines]
        with self._transaction() as s:
            scan = self._scan_row(s, now, raw, symbology, source, parsed, kind, line.line_id if line else None, 0)
            s.flush()
            self._block(s, now, view.order_id)
            incident = self._open_incident(
                s, now, incident_id, view, kind, raw, scan.id, expected, [], detail, evidence_file
            )
            self._audit(
                s,
                now,
                "scan",
                view.order_id,
                scan_id=scan.id,
                code=raw,
                verdict=kind.value,
                detail=detail,
                source=source,
                incident=incident.id,
                sku=line.sku if line else None,
            )
        self._set_order(view)
        logger.info(
            "package blocked",
            extra={
                "order": view.order_id,
                "kind": kind.value,
                "code": raw,
                "incident": incident_id,
                "station": self.station_id,
            },
        )
        return Verdict(
            kind,
            self._state,
            view,
            code=parsed.text if parsed else raw,
            line=line,
            units=units,
            incident_id=incident_id,
            detail=detail,
            expiry=parsed.expiry if parsed else None,
            lot=parsed.lot if parsed else None,
            serial=parsed.serial if parsed else None,
        )

    def _record_ignored(
        self,
        parsed: ParsedCode | None,
        source: str,
        kind: VerdictKind,
        detail: str = "",
        raw: str | None = None,
        line: LineView | None = None,
    ) -> Verdict:
        """A scan that changes nothing (the bench is blocked, another order mid-pack, a tracked item scanned
        from the wrong label): audited, not counted."""
        now = self.clock.now()
        code = raw if raw is not None else (parsed.raw if parsed else "")
        order_id = self._order.order_id if self._order else None
        with self._transaction() as s:
            scan = self._scan_row(
                s,
                now,
                code,
                parsed.symbology if parsed else None,
                source,
                parsed,
                kind,
                line.line_id if line else None,
                0,
            )
            s.flush()
            self._audit(
                s, now, "scan", order_id, scan_id=scan.id, code=code, verdict=kind.value, detail=detail, source=source
            )
        return Verdict(
            kind,
            self._state,
            self._order,
            code=parsed.text if parsed else code,
            detail=detail,
            line=line,
            open_incidents=self.open_incidents() if kind is VerdictKind.STILL_BLOCKED else (),
        )

    # ------------------------------------------------------------------ orders
    def _find_order(self, code: str | ParsedCode) -> Order | None:
        with self.db.sessions() as s:
            order = find_order(s, code)
            if order is not None:
                s.expunge(order)
            return order

    def load_order(self, ref: str, source: str = "manual") -> Verdict:
        """Put an order on the bench by its order barcode, tote barcode or order id (the same rules as
        scanning it: never away from a blocked package, nor from one with items already counted)."""
        try:
            parsed = parse_scan(ref)
        except InvalidCode as exc:
            return Verdict(VerdictKind.ORDER_NOT_FOUND, self._state, self._order, code=ref, detail=exc.reason)
        if self._state is BenchState.BLOCKED:
            return self._record_ignored(parsed, source, VerdictKind.STILL_BLOCKED)
        if self._state in (BenchState.SCANNING, BenchState.COMPLETE):
            wanted = self._find_order(parsed)
            if wanted is not None and self._order is not None and wanted.order_id == self._order.order_id:
                return Verdict(VerdictKind.ORDER_LOADED, self._state, self._order, code=parsed.text)
            return self._record_ignored(parsed, source, VerdictKind.ORDER_IN_PROGRESS, detail=parsed.text)
        return self._load_by_code(parsed, source)

    def _load_by_code(self, parsed: ParsedCode, source: str) -> Verdict:
        now = self.clock.now()
        found = self._find_order(parsed)
        if found is None:
            if self._state in (BenchState.NO_ORDER, BenchState.SEALED):
                # An item scanned before its order: say so (nothing to block yet), but keep it in the trail.
                kind = VerdictKind.NO_ORDER if self._known_elsewhere(parsed.match_key) else VerdictKind.ORDER_NOT_FOUND
                with self._transaction() as s:
                    scan = self._scan_row(
                        s, now, parsed.raw, parsed.symbology, source, parsed, kind, None, 0, on_order=False
                    )
                    s.flush()
                    self._audit(
                        s, now, "scan", None, scan_id=scan.id, code=parsed.raw, verdict=kind.value, source=source
                    )
                return Verdict(
                    kind, self._state, self._order if self._state is BenchState.SEALED else None, code=parsed.text
                )
            return Verdict(VerdictKind.ORDER_NOT_FOUND, self._state, self._order, code=parsed.text)
        if found.status == OrderStatus.SEALED.value:
            return Verdict(VerdictKind.ORDER_CLOSED, self._state, self._order, code=parsed.text, detail=found.order_id)
        previous = self._order.order_id if self._order and self._state is not BenchState.SEALED else None
        with self._transaction() as s:
            order = s.get(Order, found.order_id)
            assert order is not None
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
            bench = self._bench_row(s, now)
            bench.order_id = order.order_id
            self._audit(s, now, "order.loaded", order.order_id, code=parsed.raw, source=source, previous=previous)
            s.flush()
            view = self._load_view(s, order)
        self._set_order(view)
        return Verdict(
            VerdictKind.ORDER_LOADED,
            self._state,
            view,
            code=parsed.text,
            open_incidents=self.open_incidents() if self._state is BenchState.BLOCKED else (),
        )

    # ------------------------------------------------------------------ commands
    def run_command(self, command: Command | str, source: str = "manual") -> Verdict:
        """Run a bench command; a word the station does not know gives ``UNKNOWN_COMMAND``."""
        known = command if isinstance(command, Command) else Command.from_word(command)
        if known is Command.SEAL:
            return self.seal(source)
        if known is Command.UNDO:
            return self.undo(source)
        if known is Command.CANCEL:
            return self.cancel(source=source)
        return Verdict(VerdictKind.UNKNOWN_COMMAND, self._state, self._order, code=COMMAND_PREFIX + command.upper())

    def seal(self, source: str = "manual") -> Verdict:
        order = self._order
        if order is None or self._state is BenchState.NO_ORDER:
            return Verdict(VerdictKind.NO_ORDER, self._state, None, code=Command.SEAL.barcode)
        if self._state is BenchState.SEALED:
            return Verdict(
                VerdictKind.ORDER_CLOSED, self._state, order, code=Command.SEAL.barcode, detail=order.order_id
            )
        now = self.clock.now()
        if self._state is BenchState.BLOCKED:
            with self._transaction() as s:
                self._audit(s, now, "seal.refused", order.order_id, reason="blocked", source=source)
            return Verdict(
                VerdictKind.STILL_BLOCKED,
                self._state,
                order,
                code=Command.SEAL.barcode,
                open_incidents=self.open_incidents(),
            )
        missing = order.missing_lines()
        if missing:
            incident_id = str(uuid.uuid4())
            view = replace(order, status=OrderStatus.BLOCKED)
            missing_list = [{"sku": ln.sku, "description": ln.description, "missing": ln.missing} for ln in missing]
            with self._transaction() as s:
                self._block(s, now, order.order_id)
                self._open_incident(
                    s,
                    now,
                    incident_id,
                    view,
                    VerdictKind.SHORT,
                    None,
                    None,
                    [ln.as_dict() for ln in order.lines],
                    missing_list,
                    f"{sum(ln.missing for ln in missing)} unit(s) missing",
                    None,
                )
                self._audit(
                    s,
                    now,
                    "seal.refused",
                    order.order_id,
                    reason="short",
                    incident=incident_id,
                    missing=missing_list,
                    source=source,
                )
            self._set_order(view)
            return Verdict(
                VerdictKind.SHORT,
                self._state,
                view,
                code=Command.SEAL.barcode,
                incident_id=incident_id,
                missing=missing,
            )
        return self._seal(order, now, source, short_shipped=False)

    def _seal(
        self, order: OrderView, now: datetime, source: str, short_shipped: bool, s: Session | None = None
    ) -> Verdict:
        view = replace(order, status=OrderStatus.SEALED)
        lines = [{"sku": ln.sku, "ordered": ln.ordered, "scanned": ln.scanned} for ln in order.lines]

        def write(s: Session) -> None:
            s.execute(
                update(Order)
                .where(Order.order_id == order.order_id)
                .values(
                    status=OrderStatus.SEALED.value,
                    sealed_at=now,
                    updated_at=now,
                    short_shipped=short_shipped,
                    tote_key=None,
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
                ),
                now,
            )
            self._audit(s, now, "seal", order.order_id, lines=lines, short_shipped=short_shipped, source=source)

        if s is not None:
            write(s)
        else:
            try:
                with self._transaction() as tx:
                    self._check_disk_matches(tx, order)
                    write(tx)
            except _StaleBench:
                self.reload()  # blocked or counted elsewhere meanwhile: decide again on what the disk says
                return self.seal(source)
        self._set_order(view)
        return Verdict(
            VerdictKind.SEALED,
            BenchState.SEALED,
            view,
            code=Command.SEAL.barcode,
            detail="short_shipped" if short_shipped else "",
        )

    def undo(self, source: str = "manual") -> Verdict:
        """Take back the last counted scan of the current order (the packer took the item out)."""
        order = self._order
        if order is None or self._state in (BenchState.NO_ORDER, BenchState.SEALED):
            return Verdict(VerdictKind.NOTHING_TO_UNDO, self._state, order, code=Command.UNDO.barcode)
        if self._state is BenchState.BLOCKED:
            return Verdict(
                VerdictKind.STILL_BLOCKED,
                self._state,
                order,
                code=Command.UNDO.barcode,
                open_incidents=self.open_incidents(),
            )
        now = self.clock.now()
        with self._transaction() as s:
            last = s.scalar(
                select(ScanRecord)
                .where(
                    ScanRecord.order_id == order.order_id,
                    ScanRecord.verdict == VerdictKind.OK.value,
                    ScanRecord.undone.is_(False),
                )
                .order_by(ScanRecord.id.desc())
                .limit(1)
            )
            if last is None or last.line_id is None:
                return Verdict(VerdictKind.NOTHING_TO_UNDO, self._state, order, code=Command.UNDO.barcode)
            last.undone = True
            s.execute(
                update(OrderLine).where(OrderLine.id == last.line_id).values(scanned=OrderLine.scanned - last.units)
            )
            line = next(ln for ln in order.lines if ln.line_id == last.line_id)
            self._audit(
                s,
                now,
                "undo",
                order.order_id,
                scan_id=last.id,
                code=last.code,
                sku=line.sku,
                units=last.units,
                source=source,
            )
            units = last.units
        new_line = replace(line, scanned=line.scanned - units)
        view = replace(order, lines=tuple(new_line if ln.line_id == line.line_id else ln for ln in order.lines))
        self._set_order(view)
        return Verdict(VerdictKind.UNDONE, self._state, view, code=Command.UNDO.barcode, line=new_line, units=units)

    def cancel(
        self,
        reason: str = "cancelled at the bench",
        source: str = "manual",
        actor: str | None = None,
        _session: Session | None = None,
    ) -> Verdict:
        """Abandon the pack: counted items are taken out again (counts reset), the order returns to the
        queue as cancelled. A blocked package cannot be cancelled by the packer: a supervisor decides."""
        reason = check_note(reason, TextField.CANCEL_REASON)
        order = self._order
        if order is None or self._state in (BenchState.NO_ORDER, BenchState.SEALED):
            return Verdict(VerdictKind.NO_ORDER, self._state, order, code=Command.CANCEL.barcode)
        if self._state is BenchState.BLOCKED and _session is None:
            return Verdict(
                VerdictKind.STILL_BLOCKED,
                self._state,
                order,
                code=Command.CANCEL.barcode,
                open_incidents=self.open_incidents(),
            )
        now = self.clock.now()

        def write(s: Session) -> None:
            s.execute(update(OrderLine).where(OrderLine.order_id == order.order_id).values(scanned=0))
            undone = s.scalars(
                update(ScanRecord)
                .where(
                    ScanRecord.order_id == order.order_id,
                    ScanRecord.undone.is_(False),
                    ScanRecord.verdict == VerdictKind.OK.value,
                )
                .values(undone=True)
                .returning(ScanRecord.id)
            ).all()
            s.execute(
                update(Order)
                .where(Order.order_id == order.order_id)
                .values(status=OrderStatus.CANCELLED.value, updated_at=now)
            )
            bench = self._bench_row(s, now)
            bench.order_id = None
            outbox.enqueue(
                s,
                events.PackCancelled(
                    order_id=order.order_id,
                    packer_id=self.packer_id,
                    reason=reason,
                    cancelled_at=now,
                ),
                now,
            )
            self._audit(
                s, now, "cancel", order.order_id, reason=reason, source=source, actor=actor, undone_scans=sorted(undone)
            )

        if _session is not None:
            write(_session)
        else:
            with self._transaction() as s:
                write(s)
        self._set_order(None)
        return Verdict(VerdictKind.CANCELLED, self._state, None, code=Command.CANCEL.barcode, detail=order.order_id)

    # ------------------------------------------------------------------ supervisor operations
    def clear(self, incident_id: str, supervisor_id: str, reason: str, resolution: str = "other") -> Verdict:
        """A supervisor clears an incident with a reason. When the order has no open incident left the
        package continues (or, per the resolution, is short-shipped and sealed, or pulled and cancelled)."""
        return self._resolve(incident_id, supervisor_id, reason, resolution, escalate=False)

    def escalate(self, incident_id: str, supervisor_id: str, reason: str) -> Verdict:
        """Hand the incident to the central team; the package is pulled from the bench."""
        return self._resolve(incident_id, supervisor_id, reason, "pulled_for_repick", escalate=True)

    def _resolve(self, incident_id: str, supervisor_id: str, reason: str, resolution: str, escalate: bool) -> Verdict:
        if resolution not in RESOLUTIONS:
            raise NotAllowed(f"unknown resolution {resolution!r}; choose one of {', '.join(RESOLUTIONS)}")
        reason = check_note(reason or "", TextField.ESCALATION_REASON if escalate else TextField.CLEARANCE_NOTE)
        if not reason:
            raise NotAllowed("a reason is required")
        now = self.clock.now()
        with self._transaction() as s:
            incident = s.get(IncidentRecord, incident_id)
            if incident is None:
                raise NotAllowed(f"no incident {incident_id}")
            if incident.status != IncidentStatus.OPEN:
                raise NotAllowed(f"incident {incident_id} is already {incident.status}")
            if incident.packer_id and incident.packer_id == supervisor_id:
                raise NotAllowed("four eyes: the packer who caused an incident cannot clear it")
            if (escalate or resolution in ("short_shipped", "pulled_for_repick")) and (
                self._order is None or self._order.order_id != incident.order_id
            ):
                # Sealing short or pulling a package happens to the package: only its own bench can do it,
                # otherwise central would hear "pulled" while the other bench goes on and seals it.
                raise NotAllowed(
                    f"order {incident.order_id} is not on this bench: ship it short, pull it or "
                    "escalate it at the bench where it is"
                )
            incident.status = (IncidentStatus.ESCALATED if escalate else IncidentStatus.CLEARED).value
            incident.resolved_by = supervisor_id
            incident.resolved_at = now
            incident.resolution = resolution
            incident.reason = reason
            order_id = incident.order_id
            action = "incident.escalated" if escalate else "incident.cleared"
            bindings.track(s, incident)
            if escalate:
                outbox.enqueue(
                    s,
                    events.IncidentEscalated(
                        incident_id=uuid.UUID(incident_id),
                        order_id=order_id,
                        supervisor_id=supervisor_id,
                        reason=reason,
                        escalated_at=now,
                    ),
                    now,
                )
            else:
                outbox.enqueue(
                    s,
                    events.IncidentCleared(
                        incident_id=uuid.UUID(incident_id),
                        order_id=order_id,
                        supervisor_id=supervisor_id,
                        resolution=events.ClearResolution(resolution),
                        reason=reason,
                        cleared_at=now,
                    ),
                    now,
                )
            self._audit(
                s,
                now,
                action,
                order_id,
                actor=supervisor_id,
                incident=incident_id,
                kind=incident.kind,
                resolution=resolution,
                reason=reason,
            )
            still_open = s.scalar(
                select(func.count())
                .select_from(IncidentRecord)
                .where(IncidentRecord.order_id == order_id, IncidentRecord.status == IncidentStatus.OPEN.value)
            )
            order = s.get(Order, order_id)
            on_bench = self._order is not None and self._order.order_id == order_id
            verdict_kind = VerdictKind.ESCALATED if escalate else VerdictKind.CLEARED
            if order is not None and not still_open and order.status == OrderStatus.BLOCKED.value:
                any_counted = s.scalar(
                    select(func.coalesce(func.sum(OrderLine.scanned), 0)).where(OrderLine.order_id == order_id)
                )
                order.status = OrderStatus.PACKING.value if any_counted else OrderStatus.NEW.value
                order.updated_at = now
                s.flush()
                if not on_bench:  # _load_view would replace this bench's barcode keys with that order's
                    return Verdict(verdict_kind, self._state, self._order, incident_id=incident_id, detail=resolution)
                view = self._load_view(s, order)
                if resolution == "pulled_for_repick" and on_bench:
                    self._set_order(view)
                    self.cancel(
                        reason=clip(f"pulled by {supervisor_id}: {reason}", MAX_NOTE_LENGTH),
                        actor=supervisor_id,
                        _session=s,
                    )
                    return Verdict(verdict_kind, self._state, None, incident_id=incident_id, detail=resolution)
                if resolution == "short_shipped" and on_bench:
                    self._set_order(view)
                    return replace(
                        self._seal(view, now, "supervisor", short_shipped=True, s=s),
                        kind=verdict_kind,
                        incident_id=incident_id,
                    )
                if on_bench:
                    self._set_order(view)
        if not on_bench:
            return Verdict(verdict_kind, self._state, self._order, incident_id=incident_id, detail=resolution)
        self.reload()
        return Verdict(
            verdict_kind,
            self._state,
            self._order,
            incident_id=incident_id,
            detail=resolution,
            open_incidents=self.open_incidents(),
        )

    # ------------------------------------------------------------------ helpers
    def _check_disk_matches(self, s: Session, order: OrderView) -> None:
        """Inside a write transaction (which holds the write lock): raise `_StaleBench` when the order on
        disk is no longer what this process holds in memory, e.g. a second `packgate` on the same data dir
        blocked it or counted items. Counting or sealing on a stale view could seal a blocked package."""
        status = s.scalar(select(Order.status).where(Order.order_id == order.order_id))
        if status in (OrderStatus.BLOCKED.value, OrderStatus.SEALED.value, OrderStatus.CANCELLED.value):
            raise _StaleBench
        rows = s.execute(select(OrderLine.id, OrderLine.scanned).where(OrderLine.order_id == order.order_id))
        scanned = {line_id: count for line_id, count in rows}
        if any(scanned.get(ln.line_id) != ln.scanned for ln in order.lines):
            raise _StaleBench

    def _transaction(self) -> Any:
        return _Transaction(self)

    def _bench_row(self, s: Session, now: datetime) -> BenchStateRow:
        bench = s.get(BenchStateRow, self.station_id)
        if bench is None:
            bench = BenchStateRow(station_id=self.station_id, order_id=None, packer_id=self.packer_id, updated_at=now)
            s.add(bench)
        bench.updated_at = now
        return bench

    def _scan_row(
        self,
        s: Session,
        now: datetime,
        raw: str,
        symbology: str | None,
        source: str,
        parsed: ParsedCode | None,
        kind: VerdictKind,
        line_id: int | None,
        units: int,
        on_order: bool = True,
    ) -> ScanRecord:
        record = ScanRecord(
            station_id=self.station_id,
            packer_id=self.packer_id,
            # on_order=False: a scan with no package to belong to (before any order, after a seal)
            order_id=self._order.order_id if self._order and on_order else None,
            code=raw,
            symbology=symbology,
            source=source,
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

    def _audit(
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

    def _block(self, s: Session, now: datetime, order_id: str) -> None:
        s.execute(
            update(Order)
            .where(Order.order_id == order_id)
            .values(status=OrderStatus.BLOCKED.value, updated_at=now, packer_id=self.packer_id)
        )

    def _open_incident(
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
            ),
            now,
        )
        self._audit(s, now, "incident.opened", order.order_id, incident=incident_id, kind=kind.value, code=code)
        return incident

    def _known_elsewhere(self, key: str) -> bool:
        with self.db.sessions() as s:
            return bool(s.scalar(select(exists().where(LineBarcode.match_key == key))))

    def _recall_reason(self, parsed: ParsedCode) -> str | None:
        if parsed.lot is None and parsed.serial is None:
            return None
        with self.db.sessions() as s:
            conditions = []
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
            return s.scalar(q)

    def _save_evidence(self, incident_id: str, evidence: Evidence, now: datetime) -> str | None:
        """Write the camera frame durably (fsync) before the incident that names it is committed.
        Losing the frame must not lose the incident: a failed write is logged and the incident goes on."""
        folder = self.evidence_dir / now.strftime("%Y-%m-%d")
        path = folder / f"{incident_id}.jpg"
        try:
            jpeg = evidence() if callable(evidence) else evidence
        except Exception:  # a frame that cannot be encoded must not stop the incident being logged
            logger.exception("evidence frame could not be encoded", extra={"incident": incident_id})
            return None
        if not jpeg:
            return None
        try:
            make_private_dir(folder)
            write_private(path, jpeg)  # 0600: frames show customers' goods and addresses
        except OSError as exc:
            logger.error("evidence frame not saved", extra={"incident": incident_id, "error": str(exc)})
            return None
        return str(path)


class _StaleBench(Exception):
    """The order on disk changed under this process; the write is rolled back and the scan judged again."""


class _Transaction:
    """One durable write: commit (with fsync) on success; on any storage failure roll back, re-read the
    bench from the database so memory never runs ahead of disk, and raise `StorageError`."""

    def __init__(self, service: StationService) -> None:
        self._service = service
        self._session: Session | None = None

    def __enter__(self) -> Session:
        self._session = self._service.db.sessions()
        return self._session

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        session = self._session
        assert session is not None
        try:
            if exc_type is None:
                try:
                    session.commit()
                    return False
                except SQLAlchemyError as commit_exc:
                    session.rollback()
                    self._recover()
                    raise StorageError(_storage_message(commit_exc)) from commit_exc
            session.rollback()
            if isinstance(exc, SQLAlchemyError):
                self._recover()
                raise StorageError(_storage_message(exc)) from exc
            return False
        finally:
            session.close()

    def _recover(self) -> None:
        try:
            self._service.reload()
        except SQLAlchemyError:
            logger.exception("could not re-read the bench after a failed write")


def _storage_message(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc))
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full: nothing was saved"
    if "locked" in text:
        return "the database is busy (locked by another program): nothing was saved, scan again"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only: nothing was saved"
    return f"the database refused the write ({text}): nothing was saved"


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
