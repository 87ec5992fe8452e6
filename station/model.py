"""Plain value types of the pack workflow: states, verdict kinds, and the read-only views the screen
paints. No storage, no Qt: the service returns these, the UI turns them into words, colours and sounds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from station.weighing import WeightCheck


class BenchState(enum.Enum):
    """The pack session, a small explicit state machine.

    NO_ORDER -> ORDER_LOADED (order scanned) -> SCANNING (first item counted) -> COMPLETE (every line
    fully scanned) -> SEALED (CMD:SEAL); any blocking verdict -> BLOCKED until a supervisor clears it.
    Undo can move COMPLETE back to SCANNING (or ORDER_LOADED); CANCEL returns to NO_ORDER.
    """

    NO_ORDER = "no_order"
    ORDER_LOADED = "order_loaded"
    SCANNING = "scanning"
    COMPLETE = "complete"
    SEALED = "sealed"
    BLOCKED = "blocked"


class OrderStatus(str, enum.Enum):
    NEW = "new"
    PACKING = "packing"
    BLOCKED = "blocked"
    SEALED = "sealed"
    CANCELLED = "cancelled"


class VerdictKind(str, enum.Enum):
    # item verdicts
    OK = "ok"
    WRONG_ITEM = "wrong_item"
    OVER_SCAN = "over_scan"
    INVALID_CODE = "invalid_code"
    UNKNOWN_CODE = "unknown_code"
    EXPIRED = "expired"
    DUPLICATE_SERIAL = "duplicate_serial"
    RECALLED = "recalled"
    SERIAL_SHIPPED = "serial_shipped"  # the serial was already packed in an order sealed on this station
    SHORT = "short"  # at seal
    WEIGHT_MISMATCH = "weight_mismatch"  # at seal: the scale disagrees with what was counted (station.weighing)
    # a tracked line's item scanned from a label without its lot/expiry (LOT_REQUIRED) or serial
    # (SERIAL_REQUIRED): nothing is counted and nothing is blocked; the packer scans the right label
    LOT_REQUIRED = "lot_required"
    SERIAL_REQUIRED = "serial_required"
    # workflow outcomes (never incidents)
    ORDER_LOADED = "order_loaded"
    SEALED = "sealed"
    UNDONE = "undone"
    CANCELLED = "cancelled"
    CLEARED = "cleared"
    ESCALATED = "escalated"
    STILL_BLOCKED = "still_blocked"  # a scan or command while blocked: not counted
    NO_ORDER = "no_order"  # an item scanned before any order was loaded
    ORDER_NOT_FOUND = "order_not_found"
    ORDER_IN_PROGRESS = "order_in_progress"  # another order scanned mid-pack
    ORDER_CLOSED = "order_closed"  # that order is already sealed
    NOTHING_TO_UNDO = "nothing_to_undo"
    UNKNOWN_COMMAND = "unknown_command"
    REPRINTED = "reprinted"  # CMD:REPRINT: the last sealed package's paperwork queued again (named_order)
    CARTON_SET = "carton_set"  # a carton barcode scanned: its tare counts in the expected weight
    WEIGHT_NEEDED = "weight_needed"  # SEAL at a bench with a scale, without a stable reading: nothing sealed


BLOCKING_KINDS = frozenset(
    {
        VerdictKind.WRONG_ITEM,
        VerdictKind.OVER_SCAN,
        VerdictKind.INVALID_CODE,
        VerdictKind.UNKNOWN_CODE,
        VerdictKind.EXPIRED,
        VerdictKind.DUPLICATE_SERIAL,
        VerdictKind.RECALLED,
        VerdictKind.SERIAL_SHIPPED,
        VerdictKind.SHORT,
        VerdictKind.WEIGHT_MISMATCH,
    }
)

# The resolutions a supervisor can choose when clearing an incident (wire protocol names).
RESOLUTIONS = ("item_swapped", "quantity_corrected", "short_shipped", "pulled_for_repick", "false_alarm", "other")


@dataclass(frozen=True)
class Tracking:
    """What every counted scan of an order line must carry: its lot (GS1 AI 10), its expiry (AI 17), its
    serial (AI 21). Set per line by the order file (``lot_tracked``, ``expiry_tracked``, ``serial_tracked``)."""

    lot: bool = False
    expiry: bool = False
    serial: bool = False

    @property
    def any(self) -> bool:
        return self.lot or self.expiry or self.serial


UNTRACKED = Tracking()


@dataclass(frozen=True)
class LineView:
    line_id: int
    sku: str
    description: str
    ordered: int
    scanned: int
    tracking: Tracking = UNTRACKED
    unit_weight_g: float | None = None  # from the order file, else the item master; None: not known

    @property
    def missing(self) -> int:
        return max(self.ordered - self.scanned, 0)

    @property
    def complete(self) -> bool:
        return self.scanned >= self.ordered

    def as_dict(self) -> dict[str, object]:
        return {"sku": self.sku, "description": self.description, "ordered": self.ordered, "scanned": self.scanned}


@dataclass(frozen=True)
class OrderView:
    order_id: str
    order_barcode: str | None
    ship_to: str
    carrier: str
    status: OrderStatus
    lines: tuple[LineView, ...]
    tote: str | None = None  # the tote the order was picked into, if any
    carton: str | None = None  # the carton barcode scanned at the bench, if any
    tare_g: float | None = None  # that carton's tare; None: the site's default tare

    @property
    def units_ordered(self) -> int:
        return sum(line.ordered for line in self.lines)

    @property
    def units_scanned(self) -> int:
        return sum(min(line.scanned, line.ordered) for line in self.lines)

    @property
    def complete(self) -> bool:
        return all(line.complete for line in self.lines)

    def missing_lines(self) -> tuple[LineView, ...]:
        return tuple(line for line in self.lines if not line.complete)


@dataclass(frozen=True)
class IncidentView:
    id: str
    order_id: str
    kind: str
    code: str | None
    packer_id: str | None
    status: str
    detected_at: datetime
    detail: str
    evidence_file: str | None
    expected: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Verdict:
    """What one scan or command did. `blocking` verdicts opened incident `incident_id`."""

    kind: VerdictKind
    state: BenchState
    order: OrderView | None = None
    code: str | None = None
    line: LineView | None = None
    units: int = 0
    incident_id: str | None = None
    missing: tuple[LineView, ...] = ()
    detail: str = ""  # the specific reason: check-digit error, expiry date, recall reason, command name
    expiry: date | None = None
    serial: str | None = None
    lot: str | None = None
    open_incidents: tuple[IncidentView, ...] = ()
    would_make: int | None = None  # OVER_SCAN: the count of the line this scan would have made
    label_missing: tuple[str, ...] = ()  # LOT_REQUIRED / SERIAL_REQUIRED: "serial", "lot", "expiry", "unit"
    named_order: str | None = None  # the other order the verdict is about (in progress, sealed, cancelled)
    short_shipped: bool = False  # SEALED: sealed short by a supervisor's decision
    weight: WeightCheck | None = (
        None  # SEALED / WEIGHT_MISMATCH at a bench with a scale: the `station.weighing.WeightCheck`
    )

    @property
    def blocking(self) -> bool:
        """This verdict blocked a package (and opened an incident). A bad code scanned with no order on
        the bench is reported with its kind but blocks nothing: there is no package yet."""
        return self.kind in BLOCKING_KINDS and self.incident_id is not None

    @property
    def is_ok(self) -> bool:
        return self.kind is VerdictKind.OK
