"""The KPI roll-ups: ``kpi_orders``, one row per (UTC day, station, order) sealed or cancelled, and
``kpi_incidents``, per opened incident whether it was blocked before its order's seal.

Why a roll-up, and why only this one (measured at 1,000,000 incidents, docs/changes/2026-12-02-kpi-scale.md): everything
the KPIs need from the *incidents* is in their own columns, so SQL aggregation over a covering index answers
it (sync/server/kpi_sql.py), and percentiles and "cases breaching at ``now``" cannot be summed from a roll-up
anyway. The *pack* figures (orders packed, order lines, completion rate, cancelled) live inside each
``pack.sealed`` event's JSON payload: counting a day's lines meant parsing ~20,000 JSON documents per day,
~150,000 for the KPI page's week, far past the 200 ms budget however it is indexed. Here each payload is
read once, at ingest, and the KPIs sum narrow rows. Likewise "blocked before sealing" needs, per incident,
a probe for an earlier seal of its order at its station: ~11 µs each, ~120 ms for one day's 10,000 incidents.
``kpi_incidents`` keeps the answer; it is recomputed (same probe) for the incidents a batch opens and for
the incidents of the orders a batch seals, so it is right whichever of the two arrives first.

Why maintained at ingest (one call from ingest.py, ``events_stored``) and not refreshed from a watermark:
events commit out of ``received_at`` order (two central processes, long transactions), so a watermark would
skip a slow writer's rows; a row written in the ingest transaction is committed exactly with its event.

The row is defined by the events alone, whatever order they arrive in and however often: the upsert keeps
the latest seal of the day (latest ``occurred_at``, ties to the larger event id: the same answer for any
arrival order), a cancellation only makes the row exist (the order was attempted). So a repeated or
out-of-order batch, or two processes racing with the same batch, leave the same row; PostgreSQL's
``INSERT ... ON CONFLICT DO UPDATE`` is atomic per row, so no lock or retry is needed. The blocked flag is
recomputed from what is committed, so the one gap is an incident opened and its order sealed in two
*different* batches of one station in flight at the same time, each not seeing the other; a station sends
its outbox one batch after the other (oldest first), so that does not happen in practice; ``rebuild``
repairs it. ``rebuild`` (and migration 0006, for a database that already holds data) computes the same rows
from the stored events and incidents.
"""

from __future__ import annotations

import functools
import itertools
import logging
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, and_, delete, exists, insert, literal_column, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sync.server import kpi_cells
from sync.server.db import upsert
from sync.server.models import Event, Incident, KpiIncident, KpiOrder
from sync.wire.events import AnyEvent, IncidentOpenedEvent, PackCancelledEvent, PackSealedEvent

logger = logging.getLogger(__name__)

_Key = tuple[date, str, str]


def _row(event: PackSealedEvent | PackCancelledEvent) -> dict[str, Any]:
    day = event.occurred_at.astimezone(UTC).date()
    base: dict[str, Any] = {"day": day, "station_id": event.station_id, "order_id": event.payload.order_id}
    if isinstance(event, PackSealedEvent):
        return base | {
            "sealed_at": event.occurred_at,
            "seal_event_id": event.event_id,
            "lines": len(event.payload.lines),
            "short_shipped": bool(event.payload.short_shipped),
            "weighed": event.payload.measured_weight_g is not None,
        }
    return base | {"sealed_at": None, "seal_event_id": None, "lines": None, "short_shipped": None, "weighed": None}


def _later(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Of two rows for one key, the one the table keeps: a seal beats a cancellation, a later seal an earlier."""
    if b["sealed_at"] is None:
        return a
    if a["sealed_at"] is None:
        return b
    return b if (b["sealed_at"], b["seal_event_id"]) > (a["sealed_at"], a["seal_event_id"]) else a


def events_stored(session: Session, events: Iterable[AnyEvent]) -> None:
    """Roll ``events`` (stored in this transaction) into the KPI roll-ups: pack events into ``kpi_orders``;
    opened incidents, and the incidents whose order a seal concerns, into ``kpi_incidents``. Other event
    types are ignored; passing an event twice changes nothing."""
    events = list(events)
    _orders(session, events)
    opened = sorted({e.payload.incident_id for e in events if isinstance(e, IncidentOpenedEvent)})
    sealed = sorted({(e.station_id, e.payload.order_id) for e in events if isinstance(e, PackSealedEvent)})
    if opened:
        _incidents_opened(session, opened)
    flags_of: list[tuple[datetime, str]] = _orders_sealed(session, sealed) if sealed else []
    # Last: the KPI cells are recomputed from the rows written above (and those of the flags just recomputed).
    kpi_cells.events_stored(session, events, flags_of)


def sealed_before(station: Any, order: Any, detected: Any) -> ColumnElement[bool]:
    """Some seal of ``order`` at ``station`` happened before ``detected`` (a probe of ``ix_events_seals``)."""
    return exists().where(
        Event.type == literal_column("'pack.sealed'"),  # a literal, so the partial index applies
        Event.station_id == station,
        Event.order_id == order,
        Event.occurred_at < detected,
    )


def blocked_of(station: Any, order: Any, detected: Any) -> ColumnElement[bool]:
    """Detected while its order was not yet sealed at its station (no order at all counts as not sealed)."""
    return or_(order.is_(None), order == "", ~sealed_before(station, order, detected))


def _blocked_select(*where: ColumnElement[bool]) -> Any:
    return select(
        Incident.incident_id,
        Incident.station_id,
        Incident.order_id,
        Incident.detected_at,
        blocked_of(Incident.station_id, Incident.order_id, Incident.detected_at),
    ).where(Incident.detected_at.is_not(None), *where)


def _incidents_opened(session: Session, incident_ids: list[uuid.UUID]) -> None:
    # From the incidents row, not the event: only the first incident.opened sets the detection time.
    stmt = upsert(session, KpiIncident).from_select(_COLUMNS, _blocked_select(Incident.incident_id.in_(incident_ids)))
    new = stmt.excluded
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["incident_id"],
            set_={c: new[c] for c in ("station_id", "order_id", "detected_at", "blocked")},
        )
    )


def _orders_sealed(session: Session, pairs: list[tuple[str, str]]) -> list[tuple[datetime, str]]:
    """Recompute the flags of the incidents of the sealed orders; returns their (detected_at, station)."""
    # Recomputed, not just cleared: the same answer whatever arrived first.
    touched: list[tuple[datetime, str]] = []
    for station, orders in itertools.groupby(pairs, key=lambda p: p[0]):
        found = session.execute(
            update(KpiIncident)
            .where(KpiIncident.station_id == station, KpiIncident.order_id.in_([o for _, o in orders]))
            .values(blocked=blocked_of(KpiIncident.station_id, KpiIncident.order_id, KpiIncident.detected_at))
            .returning(KpiIncident.detected_at, KpiIncident.station_id)
            .execution_options(synchronize_session=False)
        )
        touched += [(at, st) for at, st in found]
    return touched


def blocked_backfill() -> Any:
    """The INSERT that fills an empty ``kpi_incidents`` from the stored incidents and events."""
    return insert(KpiIncident).from_select(_COLUMNS, _blocked_select())


_COLUMNS = ["incident_id", "station_id", "order_id", "detected_at", "blocked"]


def _orders(session: Session, events: list[AnyEvent]) -> int:
    rows: dict[_Key, dict[str, Any]] = {}
    for event in events:
        if isinstance(event, PackSealedEvent | PackCancelledEvent):
            row = _row(event)
            key = (row["day"], row["station_id"], row["order_id"])
            rows[key] = _later(rows[key], row) if key in rows else row
    if not rows:
        return 0
    # One statement may not touch a row twice (hence the reduction above); sorted keys keep the row locks
    # of concurrent batches in one order.
    values = [rows[key] for key in sorted(rows)]
    stmt = _orders_upsert(session.get_bind().dialect.name)
    session.execute(stmt, values)
    logger.debug("kpi roll-up: %d order-day row(s) written", len(values))
    return len(values)


@functools.cache
def _orders_upsert(dialect: str) -> Any:
    """The ``kpi_orders`` upsert, built once per dialect and run with the batch's rows as parameters: a
    VALUES list built per batch was compiled anew every time (6.7 ms of a 17.7 ms batch of 100 on
    PostgreSQL, docs/changes/2026-12-02-ingest-drain.md), while one statement with parameter sets is compiled once."""
    table: Table = KpiOrder.__table__  # type: ignore[assignment]
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    new, old = stmt.excluded, table.c
    return stmt.on_conflict_do_update(
        index_elements=["day", "station_id", "order_id"],
        set_={c: new[c] for c in ("sealed_at", "seal_event_id", "lines", "short_shipped", "weighed")},
        where=and_(
            new.sealed_at.is_not(None),
            or_(
                old.sealed_at.is_(None),
                new.sealed_at > old.sealed_at,
                and_(new.sealed_at == old.sealed_at, new.seal_event_id > old.seal_event_id),
            ),
        ),
    )


def rebuild_sql(dialect: str) -> str:
    """The INSERT that fills an empty ``kpi_orders`` from the stored events (same rows as ``events_stored``)."""
    if dialect == "postgresql":
        day = "CAST(timezone('UTC', occurred_at) AS DATE)"
        lines = "json_array_length(payload -> 'lines')"
        short = "CAST(payload ->> 'short_shipped' AS BOOLEAN)"
        weighed = "(payload ->> 'measured_weight_g') IS NOT NULL"
    else:
        day = "date(occurred_at)"
        lines = "json_array_length(payload, '$.lines')"
        short = "json_extract(payload, '$.short_shipped')"
        weighed = "json_extract(payload, '$.measured_weight_g') IS NOT NULL"
    sealed = "type = 'pack.sealed'"
    return f"""
        INSERT INTO kpi_orders (day, station_id, order_id, sealed_at, seal_event_id, lines, short_shipped, weighed)
        SELECT day, station_id, order_id,
               CASE WHEN sealed THEN occurred_at END,
               CASE WHEN sealed THEN event_id END,
               CASE WHEN sealed THEN lines END,
               CASE WHEN sealed THEN short END,
               CASE WHEN sealed THEN weighed END
        FROM (
            SELECT {day} AS day, station_id, order_id, occurred_at, event_id, ({sealed}) AS sealed,
                   CASE WHEN {sealed} THEN {lines} END AS lines,
                   CASE WHEN {sealed} THEN {short} END AS short,
                   CASE WHEN {sealed} THEN {weighed} END AS weighed,
                   row_number() OVER (
                       PARTITION BY {day}, station_id, order_id
                       ORDER BY CASE WHEN {sealed} THEN 1 ELSE 0 END DESC, occurred_at DESC, event_id DESC
                   ) AS rn
            FROM events
            WHERE type IN ('pack.sealed', 'pack.cancelled') AND order_id IS NOT NULL
        ) AS latest
        WHERE rn = 1
    """


def rebuild(session: Session) -> None:
    """Recompute the roll-ups from the events and incidents tables (after a bulk load that bypassed ingest)."""
    session.execute(delete(KpiOrder))
    session.execute(text(rebuild_sql(session.get_bind().dialect.name)))
    session.execute(delete(KpiIncident))
    session.execute(blocked_backfill())
    kpi_cells.rebuild(session)
