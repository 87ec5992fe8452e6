"""The PackGate sync wire format, version 1 — the single definition both ends use.

The station's drain client builds request bodies with these models and the central service
(`sync.server`) validates with them, so a field renamed here changes both ends at once. The prose
description, with examples, is `sync/PROTOCOL.md`.

Library choice: pydantic v2 (installed with FastAPI). Its discriminated unions give one error list per
event with a path to the bad field, and the same models produce the OpenAPI schema the service exports.

Unknown fields are refused (``extra="forbid"``): a field nobody reads was stored verbatim before, so
one event could carry 300 MB of anything into the central database. A station that is a version ahead
has such an event *parked* (kept, shown, retried after the central service is upgraded), not lost.

Storable values: every text the service stores is checked for what both databases hold — no NUL
(PostgreSQL text cannot contain U+0000), no lone surrogates (not encodable as UTF-8), lengths within
the columns — and every time lies between 1900 and 8999 (due times are computed by adding days, and
year 9999 or year 1 overflowed). A value outside that is a per-event rejection with its reason, never
a failed batch.
"""

from __future__ import annotations

import enum
import logging
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from rules.orders import FIELD_MAX_LEN, MAX_BARCODE_LEN, MAX_QUANTITY, MAX_UNITS_PER_PACK
from sync.storable import Day, Storable, storable_json, to_utc  # noqa: F401  (Day: re-exported for the service)

logger = logging.getLogger(__name__)

WIRE_VERSION = 1
API_PREFIX = "/api/v1"
MAX_BATCH_EVENTS = 500
MAX_ORDERS_PAGE = 500


UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]
"""An ISO-8601 timestamp with an offset; stored and compared in UTC."""

StationId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
"""Station ids appear in URLs, logs and file names, hence the conservative alphabet."""

Ident = Annotated[str, StringConstraints(min_length=1, max_length=128), Storable]
"""Order ids, SKUs, packer ids, barcodes: non-empty, bounded so one bad event cannot bloat the store."""

Text = Annotated[str, StringConstraints(max_length=4000), Storable]
"""Free text (reasons, descriptions, notes)."""


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


class CaseStatus(enum.StrEnum):
    """The remediation case of an incident at the central service.

    open → customer_notified → replacement_shipped | refund_issued | credit_issued → resolved.
    ``open → resolved`` is allowed (with a note) for incidents fixed at the bench with no customer impact.
    """

    OPEN = "open"
    CUSTOMER_NOTIFIED = "customer_notified"
    REPLACEMENT_SHIPPED = "replacement_shipped"
    REFUND_ISSUED = "refund_issued"
    CREDIT_ISSUED = "credit_issued"
    RESOLVED = "resolved"


class Remedy(enum.StrEnum):
    """The remedy a case is heading for; decides its remedy due time."""

    REPLACEMENT = "replacement"
    REFUND = "refund"
    CREDIT = "credit"


class _Wire(BaseModel):
    """Base for every wire model: refuse unknown fields (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------------------- payloads


class ExpectedLine(_Wire):
    sku: Ident
    description: Text = ""
    ordered: int = Field(ge=0, le=10**9)
    scanned: int = Field(ge=0, le=10**9)


class MissingLine(_Wire):
    sku: Ident
    description: Text = ""
    missing: int = Field(ge=1, le=10**9)


class IncidentOpened(_Wire):
    incident_id: uuid.UUID
    order_id: Ident
    kind: IncidentKind
    code: Annotated[str, StringConstraints(max_length=512), Storable] | None = None
    packer_id: Ident
    detected_at: UtcDatetime
    expected: list[ExpectedLine] = Field(default_factory=list, max_length=1000)
    missing: list[MissingLine] = Field(default_factory=list, max_length=1000)
    suggested_remediation: Text = ""
    evidence_file: Annotated[str, StringConstraints(max_length=1024), Storable] | None = None
    detail: Text = Field(default="", description="The verdict's detail, as the station logged it.")


class IncidentCleared(_Wire):
    incident_id: uuid.UUID
    order_id: Ident
    supervisor_id: Ident
    resolution: ClearResolution
    reason: Text
    cleared_at: UtcDatetime


class IncidentEscalated(_Wire):
    incident_id: uuid.UUID
    order_id: Ident
    supervisor_id: Ident
    reason: Text
    escalated_at: UtcDatetime


class SealedLine(_Wire):
    sku: Ident
    ordered: int = Field(ge=0, le=10**9)
    scanned: int = Field(ge=0, le=10**9)


class PackSealed(_Wire):
    order_id: Ident
    packer_id: Ident
    sealed_at: UtcDatetime
    lines: list[SealedLine] = Field(max_length=1000)
    short_shipped: bool = False


class PackCancelled(_Wire):
    order_id: Ident
    packer_id: Ident
    reason: Text
    cancelled_at: UtcDatetime


class AuditRecorded(_Wire):
    action: Ident
    actor: Ident | None = None
    station_id: StationId | None = None
    order_id: Ident | None = None
    at: UtcDatetime | None = None
    detail: Annotated[dict[str, Any], AfterValidator(storable_json)] = Field(default_factory=dict)


# --------------------------------------------------------------------------------------- envelopes


class _Envelope(_Wire):
    event_id: uuid.UUID
    station_id: StationId
    seq: int = Field(
        ge=1, le=2**62, description="Per-station sequence number, increasing; for ordering and gap checks."
    )
    occurred_at: UtcDatetime


class IncidentOpenedEvent(_Envelope):
    type: Literal["incident.opened"]
    payload: IncidentOpened


class IncidentClearedEvent(_Envelope):
    type: Literal["incident.cleared"]
    payload: IncidentCleared


class IncidentEscalatedEvent(_Envelope):
    type: Literal["incident.escalated"]
    payload: IncidentEscalated


class PackSealedEvent(_Envelope):
    type: Literal["pack.sealed"]
    payload: PackSealed


class PackCancelledEvent(_Envelope):
    type: Literal["pack.cancelled"]
    payload: PackCancelled


class AuditRecordedEvent(_Envelope):
    type: Literal["audit.recorded"]
    payload: AuditRecorded


Event = Annotated[
    IncidentOpenedEvent
    | IncidentClearedEvent
    | IncidentEscalatedEvent
    | PackSealedEvent
    | PackCancelledEvent
    | AuditRecordedEvent,
    Field(discriminator="type"),
]
"""One event envelope; ``type`` selects the payload model."""

EVENT_TYPES: tuple[str, ...] = (
    "incident.opened",
    "incident.cleared",
    "incident.escalated",
    "pack.sealed",
    "pack.cancelled",
    "audit.recorded",
)

EVENT_ADAPTER: TypeAdapter[Any] = TypeAdapter(Event)

AnyEvent = (
    IncidentOpenedEvent
    | IncidentClearedEvent
    | IncidentEscalatedEvent
    | PackSealedEvent
    | PackCancelledEvent
    | AuditRecordedEvent
)


def event_from_outbox(
    *,
    event_id: uuid.UUID | str,
    station_id: str,
    seq: int,
    type: str,
    occurred_at: datetime | str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """Build the JSON-ready envelope for one outbox row (the station stores rows in exactly this shape).

    Returns a plain dict (not a model) so unknown payload fields survive untouched; raises
    ``pydantic.ValidationError`` if the row would be rejected by the server anyway.
    """
    raw = {
        "event_id": str(event_id),
        "station_id": station_id,
        "seq": seq,
        "type": type,
        "occurred_at": occurred_at.isoformat() if isinstance(occurred_at, datetime) else occurred_at,
        "payload": payload,
    }
    EVENT_ADAPTER.validate_python(raw)
    return raw


def format_errors(exc: ValidationError, *, event_type: object = None) -> list[str]:
    """Turn a pydantic error into short ``"path.to.field: message"`` strings for the ``rejected`` list.

    The discriminated union puts the event type first in every location; it is dropped because the
    client already knows which type it sent.
    """
    messages = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        if loc and isinstance(event_type, str) and loc[0] == event_type:
            loc = loc[1:]
        where = ".".join(str(part) for part in loc)
        messages.append(f"{where}: {err['msg']}" if where else err["msg"])
    return messages


def validate_event(raw: object) -> tuple[AnyEvent | None, list[str]]:
    """Validate one event on its own. Returns ``(event, [])`` or ``(None, [reasons...])``; never raises."""
    if not isinstance(raw, dict):
        return None, [f"an event must be a JSON object, got {type(raw).__name__}"]
    event_type = raw.get("type")
    if event_type is not None and event_type not in EVENT_TYPES:
        return None, [f"type: unknown event type {event_type!r}; known types: {', '.join(EVENT_TYPES)}"]
    try:
        return EVENT_ADAPTER.validate_python(raw), []
    except ValidationError as exc:
        return None, format_errors(exc, event_type=event_type)


# --------------------------------------------------------------------------------------- batches


class EventBatch(BaseModel):
    """``POST /api/v1/events`` body. Events are validated one by one by the server, so the list items
    are left open here: a malformed event is reported in ``rejected`` instead of failing the batch."""

    model_config = ConfigDict(extra="forbid")

    station_id: StationId
    events: list[Any] = Field(
        max_length=MAX_BATCH_EVENTS,
        description="Event envelopes (see the Event schema); each is validated on its own.",
    )


REJECTED_INVALID = 422
REJECTED_CONFLICT = 409


class Rejection(BaseModel):
    index: int = Field(description="Position of the event in the posted list.")
    event_id: str | None = Field(description="The event's event_id if it could be read, else null.")
    errors: list[str]
    status: int = Field(
        default=REJECTED_INVALID,
        description=(
            "422: the event is invalid or cannot be stored; 409: this station already sent another event "
            "with this event_id (the first one is kept)."
        ),
    )


class BatchResult(BaseModel):
    """Answer to a batch. Every posted event appears in exactly one of the three lists. A station may drop
    accepted and duplicate events from its outbox; rejected events will never be accepted as sent."""

    accepted: list[uuid.UUID] = Field(default_factory=list)
    duplicates: list[uuid.UUID] = Field(default_factory=list)
    rejected: list[Rejection] = Field(default_factory=list)


# --------------------------------------------------------------------------------------- orders


class OrderBarcode(_Wire):
    code: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BARCODE_LEN), Storable]
    units: int = Field(default=1, ge=1, le=MAX_UNITS_PER_PACK, description="Items counted per scan (case packs > 1).")


def _bounded(name: str) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=FIELD_MAX_LEN[name]), Storable]


# Limits come from rules.orders, as the station's order-file reader's do, so an order the service
# accepts is one every station can load (the service also runs rules.orders.order_problems on it).
class OrderLine(_Wire):
    sku: _bounded("sku")  # type: ignore[valid-type]
    description: _bounded("description")  # type: ignore[valid-type]
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    barcodes: list[OrderBarcode] = Field(default_factory=list, max_length=100)
    lot_tracked: bool = Field(default=False, description="Every counted scan must carry the lot (GS1 AI 10).")
    expiry_tracked: bool = Field(
        default=False, description="The product has an expiry date: every counted scan must carry it (GS1 AI 17)."
    )
    serial_tracked: bool = Field(
        default=False,
        description="Every unit is scanned on its own with its serial (GS1 AI 21); a serial is never packed twice.",
    )


class Order(_Wire):
    """One order in the station's order-file JSON shape."""

    order_id: _bounded("order_id")  # type: ignore[valid-type]
    order_barcode: Annotated[str, StringConstraints(max_length=FIELD_MAX_LEN["order_barcode"]), Storable] | None = None
    tote: Annotated[str, StringConstraints(max_length=FIELD_MAX_LEN["tote"]), Storable] | None = Field(
        default=None,
        description="The tote the order was picked into: scanning it opens the order at the bench "
        "until the order is sealed, then the tote is free for another order.",
    )
    ship_to: _bounded("ship_to")  # type: ignore[valid-type]
    carrier: _bounded("carrier")  # type: ignore[valid-type]
    lines: list[OrderLine] = Field(min_length=1, max_length=1000)


class OrdersPage(BaseModel):
    """``GET /api/v1/orders`` answer. Pass ``cursor`` back to get only orders created or changed since;
    an empty ``orders`` list means the station is up to date (keep the cursor)."""

    orders: list[Order]
    cursor: str


SiteName = Annotated[str, StringConstraints(min_length=1, max_length=64), Storable]


class OrdersUpsert(BaseModel):
    """``PUT /api/v1/orders`` body (admin). ``site``: the site whose stations may pull these orders
    (null: only stations registered without a site)."""

    model_config = ConfigDict(extra="forbid")

    site: SiteName | None = None
    orders: list[Order] = Field(max_length=MAX_ORDERS_PAGE)


class OrdersUpsertResult(BaseModel):
    created: list[str]
    updated: list[str]
    unchanged: list[str]


# --------------------------------------------------------------------------------------- incidents


class CaseTransition(BaseModel):
    """``POST /api/v1/incidents/{id}/case`` body (admin)."""

    model_config = ConfigDict(extra="forbid")

    status: CaseStatus
    note: Text = ""
    actor: Ident | None = None


class HistoryEntry(BaseModel):
    at: datetime
    kind: str = Field(description="incident.opened | incident.cleared | incident.escalated | case.transition")
    actor: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    note: str = ""


class Case(BaseModel):
    status: CaseStatus
    remedy: Remedy
    notify_due_at: datetime | None
    remedy_due_at: datetime | None
    notified_at: datetime | None
    remedied_at: datetime | None
    resolved_at: datetime | None
    breaching: list[str] = Field(description="Targets missed or overdue: 'notify', 'remedy'.")


class IncidentSummary(BaseModel):
    incident_id: uuid.UUID
    station_id: str
    site: str | None
    order_id: str | None
    kind: IncidentKind | None = Field(description="null until the incident.opened event has arrived")
    code: str | None
    bench_status: str = Field(description="pending (only follow-up events seen) | open | escalated | cleared")
    detected_at: datetime | None
    case_status: CaseStatus


class IncidentDetail(IncidentSummary):
    packer_id: str | None
    expected: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    suggested_remediation: str
    evidence_file: str | None
    resolution: str | None
    logged_at: datetime | None
    case: Case
    history: list[HistoryEntry]


class IncidentList(BaseModel):
    incidents: list[IncidentSummary]


class BenchStatus(enum.StrEnum):
    """Where an incident stands at the bench (derived from the stored times, see ``IncidentSummary``)."""

    OPEN = "open"  # the package is blocked, waiting for a supervisor
    ESCALATED = "escalated"
    CLEARED = "cleared"


MAX_SITE_INCIDENTS = 1000


class SiteIncident(BaseModel):
    """One row of a station's site-wide flagged queue (``GET /api/v1/site/incidents``, station token).

    Carries the packer (unlike ``IncidentSummary``) because the supervisor filters the queue by packer."""

    incident_id: uuid.UUID
    station_id: str
    order_id: str | None
    kind: IncidentKind | None
    code: str | None
    packer_id: str | None
    detected_at: datetime
    bench_status: BenchStatus
    case_status: CaseStatus


class SiteIncidentList(BaseModel):
    """The incidents of the caller's site, oldest detection first. ``site`` is null when the calling
    station has no site: then ``incidents`` holds only its own."""

    station_id: str = Field(description="The calling station (from the token).")
    site: str | None
    incidents: list[SiteIncident]
    truncated: bool = Field(description="More incidents matched than ``limit``; the oldest are listed.")


# --------------------------------------------------------------------------------------- KPIs


class Percentiles(BaseModel):
    n: int
    p50_s: float | None
    p90_s: float | None


class Kpis(BaseModel):
    day: str
    site: str | None
    station: str | None
    orders_packed: int
    order_lines: int
    orders_cancelled: int
    incidents: int
    incidents_per_order_line: float | None
    order_completion_rate: float | None
    incidents_blocked_before_sealing: int
    detection_to_logged: Percentiles
    detection_to_notified: Percentiles
    detection_to_resolved: Percentiles
    cases_breaching_targets: int


class Health(BaseModel):
    status: Literal["ok"]
    wire_version: int
    database: str
