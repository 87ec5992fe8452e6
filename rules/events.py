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
