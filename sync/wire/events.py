"""Event envelopes and batches of wire protocol v1: what ``POST /api/v1/events`` takes and answers.

The payloads are ``rules.events`` (the station's outbox writes the same models); here each is wrapped in
its envelope, whose ``type`` is the payload's ``TYPE``, so the type names are written once, in
``rules.events.EventType``. ``validate_event`` is the one check of an event: the central service runs it on
every posted event, and the drain client (``sync.outbound``) runs it on every outbox row before posting
the JSON of the envelope it returned (a row that fails is parked on the station, never sent).
"""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from rules.events import (
    AuditRecorded,
    EventType,
    IncidentCleared,
    IncidentEscalated,
    IncidentOpened,
    PackCancelled,
    PackSealed,
)
from rules.fields import StationId, Strict, UtcDatetime

logger = logging.getLogger(__name__)

MAX_BATCH_EVENTS = 500


class _Envelope(Strict):
    event_id: uuid.UUID
    station_id: StationId
    seq: int = Field(
        ge=1, le=2**62, description="Per-station sequence number, increasing; for ordering and gap checks."
    )
    occurred_at: UtcDatetime


class IncidentOpenedEvent(_Envelope):
    type: Literal[EventType.INCIDENT_OPENED]
    payload: IncidentOpened


class IncidentClearedEvent(_Envelope):
    type: Literal[EventType.INCIDENT_CLEARED]
    payload: IncidentCleared


class IncidentEscalatedEvent(_Envelope):
    type: Literal[EventType.INCIDENT_ESCALATED]
    payload: IncidentEscalated


class PackSealedEvent(_Envelope):
    type: Literal[EventType.PACK_SEALED]
    payload: PackSealed


class PackCancelledEvent(_Envelope):
    type: Literal[EventType.PACK_CANCELLED]
    payload: PackCancelled


class AuditRecordedEvent(_Envelope):
    type: Literal[EventType.AUDIT_RECORDED]
    payload: AuditRecorded


AnyEvent = (
    IncidentOpenedEvent
    | IncidentClearedEvent
    | IncidentEscalatedEvent
    | PackSealedEvent
    | PackCancelledEvent
    | AuditRecordedEvent
)

Event = Annotated[AnyEvent, Field(discriminator="type")]
"""One event envelope; ``type`` selects the payload model."""

EVENT_TYPES: tuple[str, ...] = tuple(t.value for t in EventType)

EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(Event)


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
