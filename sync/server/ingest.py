"""Event ingestion: validate each event on its own, store it once, project incidents.

Idempotency comes from the database, not from a read-then-write check: every event is written with
``INSERT ... ON CONFLICT (station_id, event_id) DO NOTHING RETURNING event_id``. Two identical batches
racing on different connections both run the insert; the primary key lets exactly one row in, and the
other sees no returned row, reads the stored one and reports a duplicate if it is the same event, or a
*conflict* (409 for that event, logged; the first one is kept) if the same id came with other content.
Ids are scoped to their station: another station's id is neither a duplicate nor a conflict.

One event never fails the batch: each is stored inside its own savepoint, and a failure while storing
it (a value the database refuses that validation missed, an overflow in the projection) rolls back
that event alone and rejects it with the reason. Only a database that is down or busy fails the whole
request (``OperationalError`` -> 503, retried by the station). The incident projection uses the same upsert form and only
column-targeted updates, so events of one incident may arrive in any order (``incident.cleared`` before
its ``incident.opened`` after a retry) and in concurrent batches without losing either.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sync.server import rollups, webhooks
from sync.server.cases import default_remedy, due_times
from sync.server.db import retry_later, upsert
from sync.server.models import Event, Incident, IncidentHistory, Station
from sync.wire.events import (
    REJECTED_CONFLICT,
    AnyEvent,
    BatchResult,
    EventBatch,
    IncidentClearedEvent,
    IncidentEscalatedEvent,
    IncidentOpenedEvent,
    Rejection,
    validate_event,
)
from sync.wire.incidents import CaseStatus

logger = logging.getLogger(__name__)


# What storing one event may raise that is that event's fault (a value the database refuses, an overflow in
# the projection), not the database's.
_EVENT_FAILURES = (DBAPIError, ValueError, OverflowError, TypeError)

# One event's outcome: (event, stored now, conflict: how it differs from the stored one, failure).
_Outcome = tuple[AnyEvent, bool, str | None, Exception | None]


def _readable_id(raw: object) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("event_id")
        if isinstance(value, str) and len(value) <= 64:
            return value
    return None


def ingest_batch(session: Session, station_id: str, batch: EventBatch, now: datetime) -> BatchResult:
    """Store the valid events of ``batch`` (already known to come from ``station_id``'s token).

    Does not commit: the caller commits once, so a database outage leaves nothing half-stored and the
    station simply retries the whole batch. A failure storing one event rejects that event only.
    """
    result = BatchResult()
    valid: list[AnyEvent] = []
    index_of: dict[int, int] = {}
    for index, raw in enumerate(batch.events):
        event, errors = validate_event(raw)
        if event is not None and event.station_id != station_id:
            errors = [f"station_id: event is from station {event.station_id!r} but the batch is for {station_id!r}"]
            event = None
        owner = _incident_owner(session, event) if event is not None else None
        if owner is not None and owner != station_id:
            # A station speaks only for its own incidents: another's must not be cleared or rewritten by it.
            errors = [f"payload.incident_id: the incident belongs to station {owner!r}, not {station_id!r}"]
            event = None
        if event is None:
            result.rejected.append(Rejection(index=index, event_id=_readable_id(raw), errors=errors))
        else:
            index_of[id(event)] = index
            valid.append(event)

    # A stable order (by id) makes concurrent batches take row locks in the same order (fewer deadlocks).
    ordered = sorted(valid, key=lambda e: e.event_id)
    # The common case in one savepoint (two extra statements per batch, not per event) ...
    outcomes = _in_savepoint(session, ordered, now)
    if isinstance(outcomes, Exception):
        # ... and when something in it fails, again event by event, each in its own savepoint, so the
        # failure stays with the event that caused it.
        outcomes = []
        for event in ordered:
            one = _in_savepoint(session, [event], now)
            outcomes.extend([(event, False, None, one)] if isinstance(one, Exception) else one)

    for event, stored, conflict, failure in outcomes:
        index = index_of[id(event)]
        if failure is not None:
            logger.warning(
                "station %s: event %s (%s) could not be stored: %s", station_id, event.event_id, event.type, failure
            )
            result.rejected.append(
                Rejection(
                    index=index,
                    event_id=str(event.event_id),
                    errors=[f"the central service could not store this event: {_short(failure)}"],
                )
            )
        elif stored:
            result.accepted.append(event.event_id)
        elif conflict is None:
            result.duplicates.append(event.event_id)
        else:
            logger.warning(
                "station %s: event_id %s sent again with other content (%s); the first is kept",
                station_id,
                event.event_id,
                conflict,
            )
            result.rejected.append(
                Rejection(
                    index=index,
                    event_id=str(event.event_id),
                    status=REJECTED_CONFLICT,
                    errors=[
                        f"event_id: this station already sent event {event.event_id} "
                        f"with other content ({conflict}); the first one is kept"
                    ],
                )
            )

    rollups.events_stored(session, [event for event, stored, _, failure in outcomes if stored and failure is None])
    session.execute(update(Station).where(Station.station_id == station_id).values(last_seen_at=now))
    if result.rejected:
        logger.warning(
            "station %s: %d event(s) rejected, first: %s", station_id, len(result.rejected), result.rejected[0].errors
        )
    logger.debug("station %s: %d accepted, %d duplicates", station_id, len(result.accepted), len(result.duplicates))
    return result


def _incident_owner(session: Session, event: AnyEvent) -> str | None:
    """The station an incident event's incident is already stored for (None: not an incident event, or new)."""
    if not isinstance(event, IncidentOpenedEvent | IncidentClearedEvent | IncidentEscalatedEvent):
        return None
    return session.scalar(select(Incident.station_id).where(Incident.incident_id == event.payload.incident_id))


def _store_one(session: Session, event: AnyEvent, now: datetime) -> tuple[bool, str | None]:
    """``(stored, conflict)``: stored and projected now, or already there (conflict: how it differs)."""
    if _store_event(session, event, now):
        _project(session, event, now)  # its history row is flushed when the caller's savepoint ends
        if isinstance(event, IncidentOpenedEvent):  # webhooks queued in this same transaction
            webhooks.on_incident_opened(session, event.station_id, event.event_id, event.payload, now)
        return True, None
    return False, _conflict(session, event)


def _in_savepoint(session: Session, events: list[AnyEvent], now: datetime) -> list[_Outcome] | Exception:
    """Store ``events`` in one savepoint: their outcomes, or what storing one of them raised (the savepoint,
    and so all of them, rolled back). A database that is down, busy or deadlocked is raised instead: the
    batch as a whole is retried (503), not the event."""
    try:
        with session.begin_nested():
            return [(event, *_store_one(session, event, now), None) for event in events]
    except _EVENT_FAILURES as exc:
        if retry_later(exc):
            raise
        return exc


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _conflict(session: Session, event: AnyEvent) -> str | None:
    """None when the stored event with this id is this very event; else which parts differ."""
    stored = session.get(Event, (event.station_id, event.event_id))
    if stored is None:  # cannot happen after ON CONFLICT; answer as a conflict rather than guess
        return "the stored event could not be read"
    differs = [
        name
        for name, ours, theirs in (
            ("type", event.type, stored.type),
            ("seq", event.seq, stored.seq),
            ("occurred_at", event.occurred_at, stored.occurred_at),
            ("payload", event.payload.model_dump(mode="json"), stored.payload),
        )
        if ours != theirs
    ]
    return f"differs in {', '.join(differs)}" if differs else None


def _store_event(session: Session, event: AnyEvent, now: datetime) -> bool:
    payload = event.payload.model_dump(mode="json")
    stmt = (
        upsert(session, Event)
        .values(
            event_id=event.event_id,
            station_id=event.station_id,
            seq=event.seq,
            type=event.type.value,
            order_id=payload.get("order_id"),
            occurred_at=event.occurred_at,
            received_at=now,
            payload=payload,
        )
        .on_conflict_do_nothing(index_elements=["station_id", "event_id"])
        .returning(Event.event_id)
    )
    return session.execute(stmt).first() is not None


def _ensure_incident(session: Session, incident_id: uuid.UUID, station_id: str, order_id: str) -> None:
    """Create a placeholder row if this is the first event of the incident to arrive."""
    session.execute(
        upsert(session, Incident)
        .values(
            incident_id=incident_id,
            station_id=station_id,
            order_id=order_id,
            case_status=CaseStatus.OPEN.value,
            remedy=default_remedy(None).value,
        )
        .on_conflict_do_nothing(index_elements=["incident_id"])
    )


def _history(
    session: Session, event: AnyEvent, incident_id: uuid.UUID, at: datetime, actor: str | None, note: str
) -> None:
    session.add(
        IncidentHistory(
            incident_id=incident_id, at=at, kind=event.type.value, actor=actor, note=note, event_id=event.event_id
        )
    )


def _project(session: Session, event: AnyEvent, now: datetime) -> None:
    if isinstance(event, IncidentOpenedEvent):
        _project_opened(session, event, now)
    elif isinstance(event, IncidentClearedEvent):
        _project_cleared(session, event)
    elif isinstance(event, IncidentEscalatedEvent):
        _project_escalated(session, event)


def _project_opened(session: Session, event: IncidentOpenedEvent, now: datetime) -> None:
    p = event.payload
    remedy = default_remedy(p.kind)
    notify_due, remedy_due = due_times(p.detected_at, remedy)
    _ensure_incident(session, p.incident_id, event.station_id, p.order_id)
    # Only the first incident.opened fills the row (a second one with another event_id is kept in
    # the events table but cannot rewrite the detection time the case clock runs from).
    session.execute(
        update(Incident)
        .where(Incident.incident_id == p.incident_id, Incident.opened_event_id.is_(None))
        .values(
            order_id=p.order_id,
            kind=p.kind.value,
            code=p.code,
            packer_id=p.packer_id,
            detected_at=p.detected_at,
            logged_at=now,
            opened_event_id=event.event_id,
            expected=[line.model_dump(mode="json") for line in p.expected],
            missing=[line.model_dump(mode="json") for line in p.missing],
            weight=p.weight.model_dump(mode="json") if p.weight is not None else None,
            suggested_remediation=p.suggested_remediation,
            evidence_file=p.evidence_file,
            remedy=remedy.value,
            notify_due_at=notify_due,
            remedy_due_at=remedy_due,
        )
        .execution_options(synchronize_session=False)
    )
    note = f"{p.kind.value}" + (f" (code {p.code})" if p.code else "")
    _history(session, event, p.incident_id, p.detected_at, p.packer_id, note)


def _project_cleared(session: Session, event: IncidentClearedEvent) -> None:
    p = event.payload
    values = {"cleared_at": p.cleared_at, "resolution": p.resolution.value}
    note = f"{p.resolution.value}: {p.reason}"
    _update_incident(session, event, p.incident_id, p.order_id, values, p.cleared_at, p.supervisor_id, note)


def _project_escalated(session: Session, event: IncidentEscalatedEvent) -> None:
    p = event.payload
    values = {"escalated_at": p.escalated_at}
    _update_incident(session, event, p.incident_id, p.order_id, values, p.escalated_at, p.supervisor_id, p.reason)


def _update_incident(
    session: Session,
    event: AnyEvent,
    incident_id: uuid.UUID,
    order_id: str,
    values: Mapping[str, object],
    at: datetime,
    actor: str | None,
    note: str,
) -> None:
    """A later event of an incident: set only its own columns (the row may not have arrived yet), and log it."""
    _ensure_incident(session, incident_id, event.station_id, order_id)
    session.execute(
        update(Incident)
        .where(Incident.incident_id == incident_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    _history(session, event, incident_id, at, actor, note)


def bench_status(incident: Incident) -> str:
    """Derived at read time from the stored times, so arrival order of the events does not matter."""
    if incident.cleared_at is not None and (
        incident.escalated_at is None or incident.cleared_at >= incident.escalated_at
    ):
        return "cleared"
    if incident.escalated_at is not None:
        return "escalated"
    return "open" if incident.detected_at is not None else "pending"
