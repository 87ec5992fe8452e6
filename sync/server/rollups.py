"""The KPI roll-up of the pack events: ``kpi_orders``, one row per (UTC day, station, order) sealed or cancelled.

Why a roll-up, and why only this one (measured at 1,000,000 incidents, docs/notes/kpi-scale.md): everything
the KPIs need from the *incidents* is in their own columns, so SQL aggregation over a covering index answers
it (sync/server/kpi_sql.py), and percentiles and "cases breaching at ``now``" cannot be summed from a roll-up
anyway. The *pack* figures (orders packed, order lines, completion rate, cancelled) live inside each
``pack.sealed`` event's JSON payload: counting a day's lines meant parsing ~20,000 JSON documents per day,
~150,000 for the KPI page's week, far past the 200 ms budget however it is indexed. Here each payload is
read once, at ingest, and the KPIs sum narrow rows.

Why maintained at ingest (one call from ingest.py, ``events_stored``) and not refreshed from a watermark:
events commit out of ``received_at`` order (two central processes, long transactions), so a watermark would
skip a slow writer's rows; a row written in the ingest transaction is committed exactly with its event.

The row is defined by the events alone, whatever order they arrive in and however often: the upsert keeps
the latest seal of the day (latest ``occurred_at``, ties to the larger event id: the same answer for any
arrival order), a cancellation only makes the row exist (the order was attempted). So a repeated or
out-of-order batch, or two processes racing with the same batch, leave the same row; PostgreSQL's
``INSERT ... ON CONFLICT DO UPDATE`` is atomic per row, so no lock or retry is needed. ``rebuild`` (and
migration 0006, for a database that already holds events) computes the same rows from the stored events.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date
from typing import Any

from sqlalchemy import and_, delete, or_, text
from sqlalchemy.orm import Session

from sync.server.db import upsert
from sync.server.models import KpiOrder
from sync.wire.events import AnyEvent, PackCancelledEvent, PackSealedEvent

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
        }
    return base | {"sealed_at": None, "seal_event_id": None, "lines": None, "short_shipped": None}


def _later(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Of two rows for one key, the one the table keeps: a seal beats a cancellation, a later seal an earlier."""
    if b["sealed_at"] is None:
        return a
    if a["sealed_at"] is None:
        return b
    return b if (b["sealed_at"], b["seal_event_id"]) > (a["sealed_at"], a["seal_event_id"]) else a


def events_stored(session: Session, events: Iterable[AnyEvent]) -> int:
    """Roll the pack events among ``events`` (stored in this transaction) into ``kpi_orders``; returns the
    number of rows written. Other event types are ignored; passing an event twice changes nothing."""
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
    stmt = upsert(session, KpiOrder).values(values)
    new, old = stmt.excluded, KpiOrder.__table__.c
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "station_id", "order_id"],
        set_={c: new[c] for c in ("sealed_at", "seal_event_id", "lines", "short_shipped")},
        where=and_(
            new.sealed_at.is_not(None),
            or_(
                old.sealed_at.is_(None),
                new.sealed_at > old.sealed_at,
                and_(new.sealed_at == old.sealed_at, new.seal_event_id > old.seal_event_id),
            ),
        ),
    )
    session.execute(stmt)
    logger.debug("kpi roll-up: %d order-day row(s) written", len(values))
    return len(values)


def rebuild_sql(dialect: str) -> str:
    """The INSERT that fills an empty ``kpi_orders`` from the stored events (same rows as ``events_stored``)."""
    if dialect == "postgresql":
        day = "CAST(timezone('UTC', occurred_at) AS DATE)"
        lines = "json_array_length(payload -> 'lines')"
        short = "CAST(payload ->> 'short_shipped' AS BOOLEAN)"
    else:
        day = "date(occurred_at)"
        lines = "json_array_length(payload, '$.lines')"
        short = "json_extract(payload, '$.short_shipped')"
    sealed = "type = 'pack.sealed'"
    return f"""
        INSERT INTO kpi_orders (day, station_id, order_id, sealed_at, seal_event_id, lines, short_shipped)
        SELECT day, station_id, order_id,
               CASE WHEN sealed THEN occurred_at END,
               CASE WHEN sealed THEN event_id END,
               CASE WHEN sealed THEN lines END,
               CASE WHEN sealed THEN short END
        FROM (
            SELECT {day} AS day, station_id, order_id, occurred_at, event_id, ({sealed}) AS sealed,
                   CASE WHEN {sealed} THEN {lines} END AS lines,
                   CASE WHEN {sealed} THEN {short} END AS short,
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
    """Recompute the whole roll-up from the events table (after a bulk load that bypassed ingest)."""
    session.execute(delete(KpiOrder))
    session.execute(text(rebuild_sql(session.get_bind().dialect.name)))
