"""The event payloads of wire protocol v1, each defined once: the station writes them, central validates them.

Each payload model names its event type (``TYPE``), so the type is written once, in ``EventType``:
``station.outbox.enqueue(session, PackSealed(...), now)`` stores ``pack.sealed`` with the model's JSON,
the drain client (``sync.outbound``) wraps the stored row in the envelope of ``sync.wire.events`` and
posts exactly what that envelope validated, and the central service validates every posted event with
the same envelope. A row that fails (written by an older version, edited on disk) is parked on the
station with the reason and never sent.

Why here, in ``rules``: both ends need these models and the central service may import no ``station``
module (import-linter contract in pyproject.toml). ``rules`` imports nothing of ours; it uses pydantic,
a pure validation library (no I/O), because the same models give both ends one error list per event
with the path to the bad field, and the OpenAPI schema, which a stdlib copy would have to redo by hand.

The limits are ``rules.fields`` (text) and ``rules.orders`` (quantities): a line count on the wire is at
most ``MAX_QUANTITY``, the largest quantity a station's order reader accepts (a scan beyond the ordered
quantity is an over-scan, never counted), so the station cannot write a count central refuses.
"""

from __future__ import annotations

import enum
import uuid
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, StringConstraints

from rules.fields import MAX_CODE_LENGTH, MAX_PATH_LENGTH, Ident, StationId, Strict, Text, UtcDatetime
from rules.orders import MAX_ORDER_LINES, MAX_QUANTITY
from rules.storable import Storable, storable_json

#: The heaviest weight on the wire (grams): 10 t, far beyond a bench scale.
MAX_GRAMS = 10_000_000.0

#: Lines an incident or a seal lists: an order's lines, of which an order has at most ``MAX_ORDER_LINES``.
MAX_EVENT_LINES = MAX_ORDER_LINES


class EventType(enum.StrEnum):
    """The event types of wire protocol v1 (sync/PROTOCOL.md)."""

    INCIDENT_OPENED = "incident.opened"
    INCIDENT_CLEARED = "incident.cleared"
    INCIDENT_ESCALATED = "incident.escalated"
    PACK_SEALED = "pack.sealed"
    PACK_CANCELLED = "pack.cancelled"
    AUDIT_RECORDED = "audit.recorded"


class IncidentKind(enum.StrEnum):
    """What the station detected. Mirrors the station's verdict kinds."""

    WRONG_ITEM = "wrong_item"
    OVER_SCAN = "over_scan"
    INVALID_CODE = "invalid_code"
    UNKNOWN_CODE = "unknown_code"
    EXPIRED = "expired"
    DUPLICATE_SERIAL = "duplicate_serial"
    RECALLED = "recalled"
    SERIAL_SHIPPED = "serial_shipped"  # the serial was already packed in an order sealed at that station
    SHORT = "short"
    WEIGHT_MISMATCH = "weight_mismatch"  # the parcel's weight at seal is outside the tolerance (see `weight`)


class ClearResolution(enum.StrEnum):
    """How a supervisor cleared an incident at the bench."""

    ITEM_SWAPPED = "item_swapped"
    QUANTITY_CORRECTED = "quantity_corrected"
    SHORT_SHIPPED = "short_shipped"
    PULLED_FOR_REPICK = "pulled_for_repick"
    FALSE_ALARM = "false_alarm"
    OTHER = "other"


Count = Annotated[int, Field(ge=0, le=MAX_QUANTITY)]
"""Units of one order line: ordered, or scanned so far (never more than ordered)."""

Code = Annotated[str, StringConstraints(max_length=MAX_CODE_LENGTH), Storable]
"""A scan as an incident keeps it (``station.limits.storable_code``)."""

PackerId = Annotated[Ident | None, Field(description="The packer signed in at the bench; null: nobody was.")]
"""A station packs without a signed-in packer too (the screen asks for one, the domain does not insist):
such an event says so with null instead of being refused (wire v1 took only a string until 2026-12)."""

FilePath = Annotated[str, StringConstraints(max_length=MAX_PATH_LENGTH), Storable]


class EventPayload(Strict):
    """Base of the six payloads; ``TYPE`` is the event type the payload travels as."""

    TYPE: ClassVar[EventType]


class ExpectedLine(Strict):
    sku: Ident
    description: Text = ""
    ordered: Count
    scanned: Count


class MissingLine(Strict):
    sku: Ident
    description: Text = ""
    missing: int = Field(ge=1, le=MAX_QUANTITY)


Grams = Annotated[float, Field(ge=-MAX_GRAMS, le=MAX_GRAMS, allow_inf_nan=False)]
"""A weight in grams, as the bench scale measured it or the station expected it."""


class WeightOutcome(enum.StrEnum):
    """How a weighed parcel compared with what was counted (mirrors ``station.weighing.WeightOutcome``)."""

    WITHIN = "within"
    OVER = "over"
    UNDER = "under"
    UNKNOWN = "unknown"  # some lines had no known weight, and the site blocks those
    NOTED = "noted"


class WeightFacts(Strict):
    """A ``weight_mismatch`` incident's facts: what the parcel should weigh, what it weighed, the tolerance."""

    outcome: WeightOutcome
    expected_g: Grams
    measured_g: Grams
    tolerance_g: Annotated[float, Field(ge=0, le=MAX_GRAMS, allow_inf_nan=False)]
    tare_g: Annotated[float, Field(ge=0, le=MAX_GRAMS, allow_inf_nan=False)]
    unweighed: list[Ident] = Field(
        default_factory=list, max_length=MAX_EVENT_LINES, description="SKUs of lines without a known weight"
    )


class IncidentOpened(EventPayload):
    TYPE: ClassVar[EventType] = EventType.INCIDENT_OPENED

    incident_id: uuid.UUID
    order_id: Ident
    kind: IncidentKind
    code: Code | None = None
    packer_id: PackerId = None
    detected_at: UtcDatetime
    expected: list[ExpectedLine] = Field(default_factory=list, max_length=MAX_EVENT_LINES)
    missing: list[MissingLine] = Field(default_factory=list, max_length=MAX_EVENT_LINES)
    suggested_remediation: Text = ""
    evidence_file: FilePath | None = None
    detail: Text = Field(default="", description="The verdict's detail, as the station logged it.")
    weight: WeightFacts | None = Field(default=None, description="weight_mismatch: the weighing's facts")


class IncidentCleared(EventPayload):
    TYPE: ClassVar[EventType] = EventType.INCIDENT_CLEARED

    incident_id: uuid.UUID
    order_id: Ident
    supervisor_id: Ident
    resolution: ClearResolution
    reason: Text
    cleared_at: UtcDatetime


class IncidentEscalated(EventPayload):
    TYPE: ClassVar[EventType] = EventType.INCIDENT_ESCALATED

    incident_id: uuid.UUID
    order_id: Ident
    supervisor_id: Ident
    reason: Text
    escalated_at: UtcDatetime


class SealedLine(Strict):
    sku: Ident
    ordered: Count
    scanned: Count


class PackSealed(EventPayload):
    TYPE: ClassVar[EventType] = EventType.PACK_SEALED

    order_id: Ident
    packer_id: PackerId = None
    sealed_at: UtcDatetime
    lines: list[SealedLine] = Field(max_length=MAX_EVENT_LINES)
    short_shipped: bool = False
    measured_weight_g: Grams | None = Field(default=None, description="The stable reading the parcel was sealed on")


class PackCancelled(EventPayload):
    TYPE: ClassVar[EventType] = EventType.PACK_CANCELLED

    order_id: Ident
    packer_id: PackerId = None
    reason: Text
    cancelled_at: UtcDatetime


class AuditRecorded(EventPayload):
    TYPE: ClassVar[EventType] = EventType.AUDIT_RECORDED

    action: Ident
    actor: Ident | None = None
    station_id: StationId | None = None
    order_id: Ident | None = None
    at: UtcDatetime | None = None
    detail: Annotated[dict[str, Any], AfterValidator(storable_json)] = Field(default_factory=dict)


PAYLOADS: dict[EventType, type[EventPayload]] = {
    model.TYPE: model
    for model in (IncidentOpened, IncidentCleared, IncidentEscalated, PackSealed, PackCancelled, AuditRecorded)
}
"""The payload model of each event type."""
