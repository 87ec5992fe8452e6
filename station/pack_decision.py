"""The values the pack session trades with the application service: the facts it asks for (`ScanFacts`,
`OrderRef`, `CountedScan`), the barcode keys of an order (`LineKey`), and its answer (`Decision`, `Action`).
Plain values: no storage, no clock."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from station.barcodes import ParsedCode
from station.model import BenchState, IncidentView, LineView, OrderStatus, OrderView, Verdict, VerdictKind
from station.weighing import WeightCheck

__all__ = ["Action", "CountedScan", "Decision", "LineKey", "OrderRef", "ScanFacts"]


@dataclass(frozen=True)
class LineKey:
    """What one barcode of the order counts: on which line, how many units per scan."""

    line_id: int
    units: int


@dataclass(frozen=True)
class OrderRef:
    """An order some scan names (by its barcode, tote or id), as far as the rules need it."""

    order_id: str
    status: OrderStatus


@dataclass(frozen=True)
class CountedScan:
    """The last counted, not yet undone scan of the bench's order (what UNDO takes back)."""

    scan_id: int
    line_id: int | None
    units: int
    code: str


class ScanFacts(Protocol):
    """What the aggregate asks while judging one scan; each is asked only when a rule needs it."""

    @property
    def today(self) -> date:
        """The station's local calendar date (best-before and expiry dates are local dates)."""
        ...

    def order_named(self, parsed: ParsedCode) -> OrderRef | None:
        """The stored order whose barcode, tote or id this scan is, if any."""
        ...

    def known_elsewhere(self, match_key: str) -> bool:
        """Is this item code a line barcode of any stored order?"""
        ...

    def recall_reason(self, parsed: ParsedCode) -> str | None:
        """Why this lot or serial is recalled, or None."""
        ...

    def serial_history(self, order_id: str, parsed: ParsedCode) -> tuple[bool, str | None]:
        """(already counted on `order_id`, the sealed order that shipped it or None)."""
        ...


class Action(enum.Enum):
    """What the service must write for a decision."""

    REPLY = "reply"  # nothing: the verdict only informs
    RECORD = "record"  # a scan with no package to belong to: scan row and audit row
    IGNORE = "ignore"  # a scan on the bench's order that changes nothing: scan row and audit row
    AUDIT = "audit"  # an audit row only (a seal refused while blocked)
    BLOCK = "block"  # block the package and open an incident (with the scan row, if a scan caused it)
    COUNT = "count"
    LOAD = "load"
    SEAL = "seal"
    UNDO = "undo"
    CANCEL = "cancel"
    CARTON = "carton"  # the carton the package goes in (its tare counts in the expected weight)


@dataclass(frozen=True)
class Decision:
    """The verdict of the rules and what it changes. `order` is the bench's order as it stands once the
    decision is committed (for LOAD the service reads the loaded order back from disk)."""

    action: Action
    kind: VerdictKind
    order: OrderView | None
    code: str | None = None
    line: LineView | None = None  # COUNT: the line after counting; UNDO: after taking back; else the line hit
    units: int = 0
    detail: str = ""  # the stored detail (incident detail, audit detail)
    would_make: int | None = None  # OVER_SCAN: the count this scan would have made
    label_missing: tuple[str, ...] = ()  # LOT_REQUIRED / SERIAL_REQUIRED: what the label lacks
    named_order: str | None = None  # the other order a verdict is about (in progress, sealed, cancelled)
    missing: tuple[LineView, ...] = ()  # SHORT: the lines not fully scanned
    with_incidents: bool = False  # the verdict lists the order's open incidents
    load_order_id: str | None = None  # LOAD: the order to put on the bench
    previous_order_id: str | None = None  # LOAD: the order it replaces (back to the queue if untouched)
    short_shipped: bool = False  # SEAL: sealed short by a supervisor
    undo: CountedScan | None = None  # UNDO: the scan taken back
    reason: str = ""  # CANCEL: why
    no_order_note: bool = False  # RECORD: a bad code scanned with no order on the bench
    stored_kind: VerdictKind | None = None
    expiry: date | None = None  # COUNT / BLOCK: what the scanned label said
    lot: str | None = None
    serial: str | None = None  # RECORD: the verdict the scan row keeps, when not `kind`
    weight: WeightCheck | None = None  # SEAL / BLOCK at a bench with a scale: the weight check

    def verdict(
        self,
        state: BenchState,
        order: OrderView | None = None,
        incident_id: str | None = None,
        open_incidents: tuple[IncidentView, ...] = (),
    ) -> Verdict:
        """What the screen is told once this decision is written (or refused): ``order`` when the bench's
        order is not the decision's own (a refusal shows the one still on the bench)."""
        return Verdict(
            self.kind,
            state,
            order if order is not None else self.order,
            code=self.code,
            line=self.line,
            units=self.units,
            incident_id=incident_id,
            missing=self.missing,
            detail=self.detail,
            expiry=self.expiry,
            lot=self.lot,
            serial=self.serial,
            open_incidents=open_incidents,
            would_make=self.would_make,
            label_missing=self.label_missing,
            named_order=self.named_order,
            short_shipped=self.short_shipped,
            weight=self.weight,
        )
