"""Set-based storage of a batch's events (the SQL half of ``sync.server.ingest``).

``store(session, station_id, events, now)`` writes a list of validated events of one station, each with a
distinct event id, in a fixed number of statements, whatever the batch size:

1. one multi-row ``INSERT INTO events ... ON CONFLICT (station_id, event_id) DO NOTHING RETURNING event_id``
   (SQLAlchemy's "insertmanyvalues": one statement of up to 1,000 rows on PostgreSQL and SQLite). The
   primary key decides what is new; nothing is read first, so two racing batches cannot both store an event:
   on PostgreSQL the second INSERT waits on the first one's uncommitted row and then skips it.
2. for the ids not returned, one ``SELECT`` of the stored rows, to tell a duplicate (same content) from a
   conflict (the same id with other content: the first is kept);
3. the projections of the events stored *now* (``sync.server.ingest_project``): one upsert of the
   incidents, one INSERT of their history rows, the webhook deliveries.

Rows are written in event-id (and incident-id) order, so concurrent batches take their row locks in the same
order and do not deadlock each other.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from sync.server import rollups
from sync.server.ingest_project import dialect_insert, project
from sync.server.models import Event
from sync.wire.events import AnyEvent

logger = logging.getLogger(__name__)

EVENTS: Table = Event.__table__  # type: ignore[assignment]

#: What a repeat of an event id is compared on: (type, seq, occurred_at, payload as JSON).
Content = tuple[str, int, datetime, dict[str, Any]]


@dataclass(frozen=True)
class Outcome:
    """What happened to one event: stored now, or already there (``conflict`` says how it differs)."""

    stored: bool
    conflict: str | None
    content: Content  # the content stored under this id (this event's when stored now)


def content_of(event: AnyEvent, payload: dict[str, Any]) -> Content:
    return (event.type.value, event.seq, event.occurred_at, payload)


def differences(ours: Content, stored: Content) -> str | None:
    """None when ``ours`` is the stored event itself; else which parts differ ("differs in payload")."""
    differs = [
        name for name, a, b in zip(("type", "seq", "occurred_at", "payload"), ours, stored, strict=True) if a != b
    ]
    return f"differs in {', '.join(differs)}" if differs else None


def store(session: Session, station_id: str, events: list[AnyEvent], now: datetime) -> dict[uuid.UUID, Outcome]:
    """Store ``events`` (distinct ids, all of ``station_id``) and project the new ones; their outcomes by id.

    Raises what the database raises: the caller runs this in a savepoint and, when one event's value is
    refused, again event by event (``sync.server.ingest``)."""
    ordered = sorted(events, key=lambda e: e.event_id.int)  # a UUID orders by its .int; comparing ints is C
    payloads = {e.event_id: e.payload.model_dump(mode="json") for e in ordered}
    rows = [
        {
            "event_id": e.event_id,
            "station_id": station_id,
            "seq": e.seq,
            "type": e.type.value,
            "order_id": payloads[e.event_id].get("order_id"),
            "occurred_at": e.occurred_at,
            "received_at": now,
            "payload": payloads[e.event_id],
        }
        for e in ordered
    ]
    new = _insert_events(session, rows) if rows else set()
    known = _stored_content(session, station_id, [e.event_id for e in ordered if e.event_id not in new])

    outcomes: dict[uuid.UUID, Outcome] = {}
    for event in ordered:
        ours = content_of(event, payloads[event.event_id])
        if event.event_id in new:
            outcomes[event.event_id] = Outcome(True, None, ours)
            continue
        theirs = known.get(event.event_id)
        if theirs is None:  # cannot happen after ON CONFLICT; answer as a conflict rather than guess
            outcomes[event.event_id] = Outcome(False, "the stored event could not be read", ours)
        else:
            outcomes[event.event_id] = Outcome(False, differences(ours, theirs), theirs)
    stored_now = [e for e in ordered if e.event_id in new]
    project(session, stored_now, now)
    rollups.events_stored(session, stored_now)  # the KPI roll-ups (sync/server/rollups.py)
    return outcomes


# PostgreSQL: the rows travel as one JSON document, unpacked by json_to_recordset, so the statement is
# short and prepared once (a VALUES list of 100 rows cost 17 ms of client-side query parsing per batch, and
# one array parameter per column 8 ms of array quoting; json.dumps and PostgreSQL's JSON parser are C).
_PG_INSERT_EVENTS = text(
    """
    INSERT INTO events (station_id, event_id, seq, type, order_id, occurred_at, received_at, payload)
    SELECT :station_id, e.event_id, e.seq, e.type, e.order_id, e.occurred_at, :received_at, e.payload
    FROM json_to_recordset(CAST(:rows AS JSON))
         AS e(event_id UUID, seq BIGINT, type VARCHAR, order_id VARCHAR, occurred_at TIMESTAMPTZ, payload JSON)
    ON CONFLICT (station_id, event_id) DO NOTHING
    RETURNING event_id
    """
)


def _insert_events(session: Session, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
    """One multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING event_id``: the ids stored now."""
    if session.get_bind().dialect.name == "postgresql":
        document = [
            {
                "event_id": str(r["event_id"]),
                "seq": r["seq"],
                "type": r["type"],
                "order_id": r["order_id"],
                "occurred_at": r["occurred_at"].astimezone(UTC).isoformat(),
                "payload": r["payload"],
            }
            for r in rows
        ]
        params = {
            "station_id": rows[0]["station_id"],
            "received_at": rows[0]["received_at"].astimezone(UTC),
            "rows": json.dumps(document),  # ensure_ascii, as SQLAlchemy's JSON type writes a payload
        }
        return set(session.execute(_PG_INSERT_EVENTS, params).scalars())
    # SQLite: SQLAlchemy's "insertmanyvalues" (the driver is in-process: no parsing or round trip to save).
    insert = (
        dialect_insert(session, EVENTS)
        .on_conflict_do_nothing(index_elements=["station_id", "event_id"])
        .returning(EVENTS.c.event_id)
    )
    return set(session.execute(insert, rows).scalars())


def _stored_content(session: Session, station_id: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, Content]:
    if not ids:
        return {}
    found = session.execute(
        select(Event.event_id, Event.type, Event.seq, Event.occurred_at, Event.payload).where(
            Event.station_id == station_id, Event.event_id.in_(ids)
        )
    )
    return {row.event_id: (row.type, row.seq, row.occurred_at, row.payload) for row in found}
