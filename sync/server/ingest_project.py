"""The incident projection of newly stored events, in bulk (called by ``sync.server.ingest_store``).

Per batch, one upsert of ``incidents`` (one row per incident the batch speaks of, in incident-id order),
one INSERT of ``incident_history`` rows, and the webhook deliveries of the new ``incident.opened``.

Events of one incident may arrive in any order and in concurrent batches, so every event sets only its own
columns, and the upsert's ``ON CONFLICT (incident_id) DO UPDATE`` says how each column merges with the row
already there:

- ``incident.opened`` columns (kind, code, detected_at, the due times ...) are written only while the row
  has no ``opened_event_id``: the first opened fills the row and a second one cannot move the case clock;
- ``incident.cleared`` sets ``cleared_at``/``resolution``, ``incident.escalated`` sets ``escalated_at``,
  and the row's other columns are left as they are (a cleared arriving first leaves a placeholder row that
  the opened later fills).

Within one batch the same rules hold: the first ``incident.opened`` of an incident (in event-id order, the
order the events are stored in) fills it, the last cleared and escalated win, as if applied one by one.
"""

from __future__ import annotations

import functools
import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Table, and_, bindparam, case, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.server import webhooks
from sync.server.cases import default_remedy, due_times
from sync.server.models import Incident, IncidentHistory
from sync.wire.events import AnyEvent, IncidentClearedEvent, IncidentEscalatedEvent, IncidentOpenedEvent
from sync.wire.incidents import CaseStatus

logger = logging.getLogger(__name__)

INCIDENTS: Table = Incident.__table__  # type: ignore[assignment]
HISTORY: Table = IncidentHistory.__table__  # type: ignore[assignment]

IncidentEvent = IncidentOpenedEvent | IncidentClearedEvent | IncidentEscalatedEvent

#: The columns only the first incident.opened writes.
OPENED_COLUMNS = (
    "order_id",
    "kind",
    "code",
    "packer_id",
    "detected_at",
    "logged_at",
    "opened_event_id",
    "expected",
    "missing",
    "weight",
    "suggested_remediation",
    "evidence_file",
    "remedy",
    "notify_due_at",
    "remedy_due_at",
)
#: ``session.info`` key set when the batch queued webhook deliveries: the caller wakes the dispatcher only then
#: (waking it after every batch cost three SELECTs and a pool checkout each time, for nothing).
DELIVERIES_QUEUED = "packgate.webhook_deliveries_queued"

# expected/missing of a row without its opened yet are SQL NULL, as before (a plain JSON bind writes 'null').
_JSON_OR_NULL = JSON(none_as_null=True)


def dialect_insert(session: Session, table: Table) -> Any:
    """The dialect's INSERT of ``table`` (``on_conflict_do_nothing``/``do_update`` on both our backends)."""
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)


def project(session: Session, stored: list[AnyEvent], now: datetime) -> None:
    """Project ``stored`` (just stored, in event-id order) onto incidents, history and webhooks."""
    incident_events = [e for e in stored if isinstance(e, IncidentEvent)]
    if not incident_events:
        return
    rows: dict[uuid.UUID, dict[str, Any]] = {}
    opened: list[IncidentOpenedEvent] = []
    for event in incident_events:
        row = rows.setdefault(event.payload.incident_id, _placeholder(event))
        if isinstance(event, IncidentOpenedEvent):
            if row["opened_event_id"] is None:  # the first opened of the batch fills the row
                row.update(_opened_values(event, now))
                opened.append(event)
        elif isinstance(event, IncidentClearedEvent):
            row.update(cleared_at=event.payload.cleared_at, resolution=event.payload.resolution.value)
        else:
            row["escalated_at"] = event.payload.escalated_at
    _upsert_incidents(session, [rows[i] for i in sorted(rows)])
    session.execute(HISTORY.insert(), [_history_row(e) for e in incident_events])
    if opened:
        hooks = webhooks.subscribers(session, webhooks.INCIDENT_OPENED)  # once per batch, not per event
        for event in opened if hooks else []:
            webhooks.on_incident_opened(session, event.station_id, event.event_id, event.payload, now, hooks=hooks)
        if hooks:
            session.info[DELIVERIES_QUEUED] = True


def _placeholder(event: IncidentEvent) -> dict[str, Any]:
    """The row of an incident whose first event to arrive is ``event`` (the opened fills the rest)."""
    row: dict[str, Any] = dict.fromkeys(OPENED_COLUMNS)
    row.update(
        incident_id=event.payload.incident_id,
        station_id=event.station_id,
        order_id=event.payload.order_id,
        case_status=CaseStatus.OPEN.value,
        remedy=default_remedy(None).value,
        cleared_at=None,
        resolution=None,
        escalated_at=None,
    )
    return row


def _opened_values(event: IncidentOpenedEvent, now: datetime) -> dict[str, Any]:
    p = event.payload
    remedy = default_remedy(p.kind)
    notify_due, remedy_due = due_times(p.detected_at, remedy)
    return {
        "order_id": p.order_id,
        "kind": p.kind.value,
        "code": p.code,
        "packer_id": p.packer_id,
        "detected_at": p.detected_at,
        "logged_at": now,
        "opened_event_id": event.event_id,
        "expected": [line.model_dump(mode="json") for line in p.expected],
        "missing": [line.model_dump(mode="json") for line in p.missing],
        "weight": p.weight.model_dump(mode="json") if p.weight is not None else None,
        "suggested_remediation": p.suggested_remediation,
        "evidence_file": p.evidence_file,
        "remedy": remedy.value,
        "notify_due_at": notify_due,
        "remedy_due_at": remedy_due,
    }


def _upsert_incidents(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(_incidents_upsert(session.get_bind().dialect.name), rows)


@functools.cache
def _incidents_upsert(dialect: str) -> Any:
    """The incidents upsert, built once per dialect (building it cost more than running it)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(INCIDENTS).values(
        expected=bindparam("expected", type_=_JSON_OR_NULL),
        missing=bindparam("missing", type_=_JSON_OR_NULL),
        weight=bindparam("weight", type_=_JSON_OR_NULL),
    )
    new, old = insert.excluded, INCIDENTS.c
    first_opened = and_(old.opened_event_id.is_(None), new.opened_event_id.is_not(None))
    merged: dict[str, Any] = {name: case((first_opened, new[name]), else_=old[name]) for name in OPENED_COLUMNS}
    merged["cleared_at"] = func.coalesce(new.cleared_at, old.cleared_at)
    merged["resolution"] = case((new.cleared_at.is_not(None), new.resolution), else_=old.resolution)
    merged["escalated_at"] = func.coalesce(new.escalated_at, old.escalated_at)
    return insert.on_conflict_do_update(index_elements=["incident_id"], set_=merged)


def _history_row(event: IncidentEvent) -> dict[str, Any]:
    p = event.payload
    at: datetime
    if isinstance(event, IncidentOpenedEvent):
        at, actor = event.payload.detected_at, event.payload.packer_id
        note = f"{event.payload.kind.value}" + (f" (code {event.payload.code})" if event.payload.code else "")
    elif isinstance(event, IncidentClearedEvent):
        at, actor = event.payload.cleared_at, event.payload.supervisor_id
        note = f"{event.payload.resolution.value}: {event.payload.reason}"
    else:
        at, actor, note = event.payload.escalated_at, event.payload.supervisor_id, event.payload.reason
    return {
        "incident_id": p.incident_id,
        "at": at,
        "kind": event.type.value,
        "actor": actor,
        "note": note,
        "event_id": event.event_id,
    }
