"""Event ingestion: validate each event on its own, store it once, project incidents -- set-based per batch.

A batch costs a fixed handful of statements, not a few per event (``sync.server.ingest_store``): one owner
look-up for the incidents the batch speaks of, one multi-row ``INSERT ... ON CONFLICT (station_id, event_id)
DO NOTHING RETURNING event_id`` for the events, one ``SELECT`` of the rows that were already there, and the
projections in bulk (``sync.server.ingest_project``).

Idempotency comes from the database, not from a read-then-write check: two identical batches racing on
different connections (or in different central processes) both run the insert; the primary key lets exactly
one row in, and the other sees no returned row, reads the stored one and reports a duplicate if it is the
same event, or a *conflict* (409 for that event, logged; the first one is kept) if the same id came with
other content. Ids are scoped to their station: another station's id is neither a duplicate nor a conflict.
The same id twice in one batch is stored once, and its repeat is answered like a repeat in a later batch.

One event never fails the batch: the batch is stored inside one savepoint, and when the database refuses
something in it (a value validation missed, a trigger), the savepoint is rolled back and the events are
stored again one by one, each in its own savepoint, so the failure rejects only the event that caused it,
with the reason. Only a database that is down, busy or deadlocked fails the whole request
(``OperationalError`` -> 503, retried by the station). The incident projection uses the upsert form with
column-targeted merges, so events of one incident may arrive in any order and in concurrent batches.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Table, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sync.server.db import retry_later
from sync.server.ingest_project import DELIVERIES_QUEUED, IncidentEvent
from sync.server.ingest_store import Outcome, content_of, differences, store
from sync.server.models import Incident, Station
from sync.wire.events import (
    EVENT_TYPES,
    REJECTED_CONFLICT,
    AnyEvent,
    BatchResult,
    Event,
    EventBatch,
    Rejection,
    validate_event,
)

logger = logging.getLogger(__name__)

__all__ = ["DELIVERIES_QUEUED", "bench_status", "ingest_batch"]

STATIONS: Table = Station.__table__  # type: ignore[assignment]
INCIDENTS: Table = Incident.__table__  # type: ignore[assignment]
EVENTS_ADAPTER: TypeAdapter[list[AnyEvent]] = TypeAdapter(list[Event])


# What storing an event may raise that is an event's fault (a value the database refuses, an overflow in the
# projection), not the database's.
_EVENT_FAILURES = (DBAPIError, ValueError, OverflowError, TypeError)


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
    checked: list[tuple[int, AnyEvent | None, list[str], object]] = []
    for index, (raw, event, errors) in enumerate(zip(batch.events, *_validated(batch.events), strict=True)):
        if event is not None and event.station_id != station_id:
            errors = [f"station_id: event is from station {event.station_id!r} but the batch is for {station_id!r}"]
            event = None
        checked.append((index, event, errors, raw))
    owners = _incident_owners(session, [e for _, e, _, _ in checked if e is not None])

    valid: list[tuple[int, AnyEvent]] = []
    for index, event, errors, raw in checked:
        owner = owners.get(event.payload.incident_id) if isinstance(event, IncidentEvent) else None
        if owner is not None and owner != station_id:
            # A station speaks only for its own incidents: another's must not be cleared or rewritten by it.
            errors = [f"payload.incident_id: the incident belongs to station {owner!r}, not {station_id!r}"]
            event = None
        if event is None:
            result.rejected.append(Rejection(index=index, event_id=_readable_id(raw), errors=errors))
        else:
            valid.append((index, event))

    firsts: dict[uuid.UUID, AnyEvent] = {}
    for _, event in valid:
        firsts.setdefault(event.event_id, event)
    outcomes = _store_all(session, station_id, list(firsts.values()), now)
    for index, event in sorted(valid, key=lambda pair: (pair[1].event_id.int, pair[0])):  # .int: the same order, in C
        outcome = outcomes[event.event_id]
        if firsts[event.event_id] is not event and isinstance(outcome, Outcome):
            # A repeat within the batch: judged against what is stored under its id, like a later resend.
            conflict = differences(content_of(event, event.payload.model_dump(mode="json")), outcome.content)
            outcome = Outcome(False, conflict, outcome.content)
        _answer(result, station_id, index, event, outcome)

    # A Core UPDATE of the table: the ORM's bulk-update path (session synchronisation) cost 0.3 ms more.
    session.execute(update(STATIONS).where(STATIONS.c.station_id == station_id).values(last_seen_at=now))
    if result.rejected:
        logger.warning(
            "station %s: %d event(s) rejected, first: %s", station_id, len(result.rejected), result.rejected[0].errors
        )
    logger.debug("station %s: %d accepted, %d duplicates", station_id, len(result.accepted), len(result.duplicates))
    return result


def _validated(raws: list[object]) -> tuple[list[AnyEvent | None], list[list[str]]]:
    """Each of ``raws`` validated on its own (``validate_event``): the events, and the reasons of each.

    The common batch is all valid, and one pydantic call for the list costs about a third less than one call
    per event; when anything in the list fails, every event is validated again on its own, so each bad event
    gets exactly the reasons ``validate_event`` gives it and the good ones around it are kept."""
    try:
        events: list[AnyEvent | None] = list(EVENTS_ADAPTER.validate_python(raws))
    except ValidationError:
        checked = [validate_event(raw) for raw in raws]
        return [event for event, _ in checked], [errors for _, errors in checked]
    if all(isinstance(raw, dict) and raw.get("type") in EVENT_TYPES for raw in raws):
        return events, [[] for _ in raws]
    checked = [validate_event(raw) for raw in raws]  # cannot happen (the union is discriminated by type)
    return [event for event, _ in checked], [errors for _, errors in checked]


def _incident_owners(session: Session, events: list[AnyEvent]) -> dict[uuid.UUID, str]:
    """The station each already stored incident the events speak of belongs to: one query for the batch."""
    ids = sorted({e.payload.incident_id for e in events if isinstance(e, IncidentEvent)}, key=lambda u: u.int)
    if not ids:
        return {}
    found = session.execute(
        select(INCIDENTS.c.incident_id, INCIDENTS.c.station_id).where(INCIDENTS.c.incident_id.in_(ids))
    )
    return {row.incident_id: row.station_id for row in found}


def _store_all(
    session: Session, station_id: str, events: list[AnyEvent], now: datetime
) -> dict[uuid.UUID, Outcome | Exception]:
    """The whole list in one savepoint (the common case); if the database refuses something in it, again
    event by event, each in its own savepoint, so the failure stays with the event that caused it."""
    together = _in_savepoint(session, station_id, events, now)
    if not isinstance(together, Exception):
        return dict(together)
    outcomes: dict[uuid.UUID, Outcome | Exception] = {}
    for event in sorted(events, key=lambda e: e.event_id):
        one = _in_savepoint(session, station_id, [event], now)
        outcomes.update({event.event_id: one} if isinstance(one, Exception) else one)
    return outcomes


def _in_savepoint(
    session: Session, station_id: str, events: list[AnyEvent], now: datetime
) -> dict[uuid.UUID, Outcome] | Exception:
    """Store ``events`` in one savepoint: their outcomes, or what storing them raised (the savepoint, and so
    all of them, rolled back). A database that is down, busy or deadlocked is raised instead: the batch as a
    whole is retried (503), not the event."""
    if not events:
        return {}
    try:
        with session.begin_nested():
            return store(session, station_id, events, now)
    except _EVENT_FAILURES as exc:
        if retry_later(exc):
            raise
        return exc


def _answer(result: BatchResult, station_id: str, index: int, event: AnyEvent, outcome: Outcome | Exception) -> None:
    if isinstance(outcome, Exception):
        logger.warning(
            "station %s: event %s (%s) could not be stored: %s", station_id, event.event_id, event.type, outcome
        )
        result.rejected.append(
            Rejection(
                index=index,
                event_id=str(event.event_id),
                errors=[f"the central service could not store this event: {_short(outcome)}"],
            )
        )
    elif outcome.stored:
        result.accepted.append(event.event_id)
    elif outcome.conflict is None:
        result.duplicates.append(event.event_id)
    else:
        logger.warning(
            "station %s: event_id %s sent again with other content (%s); the first is kept",
            station_id,
            event.event_id,
            outcome.conflict,
        )
        result.rejected.append(
            Rejection(
                index=index,
                event_id=str(event.event_id),
                status=REJECTED_CONFLICT,
                errors=[
                    f"event_id: this station already sent event {event.event_id} "
                    f"with other content ({outcome.conflict}); the first one is kept"
                ],
            )
        )


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def bench_status(incident: Incident) -> str:
    """Derived at read time from the stored times, so arrival order of the events does not matter."""
    if incident.cleared_at is not None and (
        incident.escalated_at is None or incident.cleared_at >= incident.escalated_at
    ):
        return "cleared"
    if incident.escalated_at is not None:
        return "escalated"
    return "open" if incident.detected_at is not None else "pending"
