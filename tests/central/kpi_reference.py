"""The key figures computed the straightforward way, in Python over ORM rows: the code sync/server/kpis.py ran
before the figures moved into SQL (sync/server/kpi_sql.py), kept as the reference the SQL path is tested
against (tests/central/test_kpi_sql.py). Definitions: the docstring of sync/server/kpis.py."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sync.server.cases import breaching
from sync.server.kpis import percentiles
from sync.server.models import Event, Incident, Station
from sync.wire.kpis import Kpis

logger = logging.getLogger(__name__)


def _scope(column: InstrumentedAttribute[str], station: str | None, site: str | None) -> list[ColumnElement[bool]]:
    """The conditions on a station-id ``column`` for one station and/or the stations of one site."""
    conditions: list[ColumnElement[bool]] = []
    if station is not None:
        conditions.append(column == station)
    if site is not None:
        conditions.append(column.in_(select(Station.station_id).where(Station.site == site)))
    return conditions


def python_kpis(
    session: Session, day: date, now: datetime, *, station: str | None = None, site: str | None = None
) -> Kpis:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    end = start + timedelta(days=1)
    station_filter = _scope(Event.station_id, station, site)

    pack_events = session.scalars(
        select(Event)
        .where(
            Event.type.in_(("pack.sealed", "pack.cancelled")),
            Event.occurred_at >= start,
            Event.occurred_at < end,
            *station_filter,
        )
        .order_by(Event.occurred_at)
    ).all()
    sealed: dict[tuple[str, str], dict] = {}
    attempted: set[tuple[str, str]] = set()
    for ev in pack_events:
        key = (ev.station_id, ev.payload["order_id"])
        attempted.add(key)
        if ev.type == "pack.sealed":
            sealed[key] = ev.payload  # the last seal of the day wins
    order_lines = sum(len(p.get("lines", [])) for p in sealed.values())
    complete = sum(1 for p in sealed.values() if not p.get("short_shipped"))

    incident_filter = _scope(Incident.station_id, station, site)
    incidents = session.scalars(
        select(Incident).where(Incident.detected_at >= start, Incident.detected_at < end, *incident_filter)
    ).all()

    # First seal per (station, order) ever, for "blocked before sealing".
    first_seal: dict[tuple[str, str], datetime] = {}
    order_ids = {i.order_id for i in incidents if i.order_id}
    if order_ids:
        for ev in session.scalars(select(Event).where(Event.type == "pack.sealed", Event.order_id.in_(order_ids))):
            key = (ev.station_id, ev.order_id or "")
            if key not in first_seal or ev.occurred_at < first_seal[key]:
                first_seal[key] = ev.occurred_at
    blocked = 0
    for inc in incidents:
        sealed_at = first_seal.get((inc.station_id, inc.order_id or ""))
        if sealed_at is None or inc.detected_at is None or inc.detected_at <= sealed_at:
            blocked += 1

    def spans(attr: str) -> list[float]:
        return [
            (getattr(i, attr) - i.detected_at).total_seconds()
            for i in incidents
            if i.detected_at is not None and getattr(i, attr) is not None
        ]

    n_incidents = len(incidents)
    return Kpis(
        day=day.isoformat(),
        site=site,
        station=station,
        orders_packed=len(sealed),
        order_lines=order_lines,
        orders_cancelled=len(attempted - set(sealed)),
        incidents=n_incidents,
        incidents_per_order_line=round(n_incidents / order_lines, 6) if order_lines else None,
        order_completion_rate=round(complete / len(attempted), 6) if attempted else None,
        incidents_blocked_before_sealing=blocked,
        detection_to_logged=percentiles(spans("logged_at")),
        detection_to_notified=percentiles(spans("notified_at")),
        detection_to_resolved=percentiles(spans("resolved_at")),
        cases_breaching_targets=sum(1 for i in incidents if breaching(i, now)),
        weight_mismatches=sum(1 for i in incidents if i.kind == "weight_mismatch"),
        orders_weighed=sum(1 for p in sealed.values() if p.get("measured_weight_g") is not None),
    )
