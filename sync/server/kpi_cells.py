"""The KPI cells: one row per (UTC day, station) holding everything the KPIs need of that station's day.

Why (profile at 1,000,000 incidents, docs/changes/2026-12-02-kpi-page.md): the KPI page ran 19 statements, each
aggregating a week (~78,000 incidents, ~160,000 order rows) again: 585 ms of SQL on a quiet machine,
0.9-1.7 s through the server under load. A cell is computed once, when something in it changes; the page
adds up a week's counts (~2,800 narrow rows for 400 stations) and takes the percentiles and root causes
from each day's cells merged once (sync/server/kpi_days.py):

- counts (orders attempted / sealed / lines / complete / weighed, incidents, weight mismatches, blocked
  before sealing, cases that met a target late) are sums of cells;
- percentiles stay EXACT: a cell keeps each span's values sorted (whole microseconds); a group's sorted
  values are the merge of its cells' lists, and the same order statistics give the same floats
  (kpi_sql.percentiles_from) as ``statistics.quantiles`` over the incidents;
- root causes: per cell the counts by kind, scanned code, packer and hour, summed over the cells;
- "cases breaching at ``now``" is the only figure that moves with time: a target met late counts for good
  (``late``, in the cell); an unresolved case that is overdue now is counted at read time from the partial
  index of the unresolved cases (kpi_sql.py).

Kept by the writes that change a cell's inputs, in the same transaction (so a figure is right as soon as
its cause is committed): ingest (``events_stored``, called by rollups.events_stored after kpi_orders and
kpi_incidents are written: an opened incident, a seal or cancellation, a seal that unblocks incidents) and
``cases.transition`` (``incident_moved``). A cell is recomputed from its inputs, never incremented, so a
repeated or reordered batch cannot count twice.

Two writers touching one cell at once (two central processes, or an ingest and a case action on the same
station's day) cannot lose each other's change: each first writes its inputs (incidents, kpi_orders ...),
then locks the cell row (an ``INSERT ... ON CONFLICT DO UPDATE`` that changes nothing but locks like
``SELECT ... FOR UPDATE``; keys in one order, so no deadlock), then recomputes it in a new statement.
Under READ COMMITTED that statement sees everything committed before it, and the lock is only granted
once the other writer has committed: whoever recomputes second sees both changes (the test pauses a
writer holding the lock to show it). SQLite has one writer at a time.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Table, and_, bindparam, case, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from rules.events import IncidentKind
from sync.server.models import Incident, KpiIncident, KpiOrder
from sync.server.rollup_models import KpiCell
from sync.wire.events import AnyEvent, IncidentOpenedEvent, PackCancelledEvent, PackSealedEvent

logger = logging.getLogger(__name__)

CELLS: Table = KpiCell.__table__  # type: ignore[assignment]

Key = tuple[date, str]  # (UTC day, station id)
SPANS = ("logged_at", "notified_at", "resolved_at")
CAUSES = ("kind", "code", "packer", "hour")
_COUNTS = ("attempted", "sealed", "lines", "complete", "weighed", "incidents", "weight_mismatches", "blocked", "late")


def micros(later: datetime, earlier: datetime) -> int:
    """``later - earlier`` in whole microseconds (``timedelta.total_seconds() * 10**6``, exactly)."""
    d = later - earlier
    return (d.days * 86400 + d.seconds) * 10**6 + d.microseconds


def met_late(
    notify_due: datetime | None,
    notified: datetime | None,
    remedy_due: datetime | None,
    remedied: datetime | None,
) -> bool:
    """A target that was met, but after its due time: ``cases.breaching`` says so at any ``now``."""
    return (notify_due is not None and notified is not None and notified > notify_due) or (
        remedy_due is not None and remedied is not None and remedied > remedy_due
    )


def utc_day(at: datetime) -> date:
    return at.astimezone(UTC).date()


@dataclass
class _Build:
    """A cell being computed from its inputs."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0))
    spans: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in SPANS})
    causes: dict[str, Counter[Any]] = field(default_factory=lambda: {c: Counter() for c in CAUSES})

    def add_incident(self, row: Any) -> None:
        detected = row.detected_at
        self.counts["incidents"] += 1
        if row.kind == IncidentKind.WEIGHT_MISMATCH.value:
            self.counts["weight_mismatches"] += 1
        if met_late(row.notify_due_at, row.notified_at, row.remedy_due_at, row.remedied_at):
            self.counts["late"] += 1
        for name in SPANS:
            later = getattr(row, name)
            if later is not None:
                self.spans[name].append(micros(later, detected))
        self.causes["kind"][row.kind] += 1
        self.causes["code"][row.code] += 1
        self.causes["packer"][row.packer_id] += 1
        self.causes["hour"][detected.astimezone(UTC).hour] += 1

    def values(self) -> dict[str, Any]:
        return {
            **self.counts,
            "spans": {name: sorted(v) for name, v in self.spans.items()},
            "causes": {name: sorted(c.items(), key=_cause_order) for name, c in self.causes.items()},
        }


def _cause_order(item: tuple[Any, int]) -> tuple[bool, Any]:
    return (item[0] is None, item[0] if item[0] is not None else "")


_INCIDENT_COLUMNS = (
    Incident.station_id,
    Incident.detected_at,
    Incident.kind,
    Incident.code,
    Incident.packer_id,
    Incident.logged_at,
    Incident.notified_at,
    Incident.resolved_at,
    Incident.notify_due_at,
    Incident.remedy_due_at,
    Incident.remedied_at,
)


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def _orders_of(where: Any) -> Any:
    return (
        select(
            KpiOrder.day,
            KpiOrder.station_id,
            func.count(),
            func.count(KpiOrder.sealed_at),
            func.coalesce(func.sum(KpiOrder.lines), 0),
            func.sum(case((and_(KpiOrder.sealed_at.is_not(None), KpiOrder.short_shipped.is_(False)), 1), else_=0)),
            func.sum(case((and_(KpiOrder.sealed_at.is_not(None), KpiOrder.weighed.is_(True)), 1), else_=0)),
        )
        .where(where)
        .group_by(KpiOrder.day, KpiOrder.station_id)
    )


def _add_orders(cells: dict[Key, _Build], rows: Iterable[Any]) -> None:
    for day, station, attempted, sealed, lines, complete, weighed in rows:
        c = cells[(day, station)].counts
        c["attempted"], c["sealed"], c["lines"] = int(attempted), int(sealed), int(lines or 0)
        c["complete"], c["weighed"] = int(complete or 0), int(weighed or 0)


def _lock(session: Session, keys: list[Key]) -> None:
    """Make the cells exist and hold their row locks until commit, in one statement: the no-op
    ``DO UPDATE`` locks an existing row (waiting for a writer holding it), like ``SELECT ... FOR UPDATE``.
    The keys are sorted, so concurrent writers take the locks in one order. (SQLite: one writer anyway.)"""
    session.execute(_lock_statement(session.get_bind().dialect.name), [{"day": d, "station_id": s} for d, s in keys])


@functools.cache
def _lock_statement(dialect: str) -> Any:
    """Built once per dialect and run with the keys as parameter sets (executed in the keys' order): a
    VALUES list built per batch was compiled anew for every ingest (as the roll-up upsert was, see
    ``rollups._orders_upsert``)."""
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CELLS)
    return stmt.on_conflict_do_update(index_elements=["day", "station_id"], set_={"version": CELLS.c.version})


def refresh(session: Session, keys: Iterable[Key]) -> None:
    """Recompute the cells ``keys`` from what is stored (including this transaction's writes)."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    _lock(session, wanted)
    cells: dict[Key, _Build] = {k: _Build() for k in wanted}
    for key in wanted:  # usually one per batch: a station's today (a case action: its incident's day)
        start, end = _day_range(key[0])
        found = session.execute(
            select(*_INCIDENT_COLUMNS, KpiIncident.blocked)
            .outerjoin(KpiIncident, KpiIncident.incident_id == Incident.incident_id)
            .where(Incident.detected_at >= start, Incident.detected_at < end, Incident.station_id == key[1])
        )
        for row in found:
            cells[key].add_incident(row)
            if row.blocked:  # kpi_incidents holds one flag per opened incident (rollups.py)
                cells[key].counts["blocked"] += 1
    by_station = itertools.groupby(sorted(wanted, key=lambda k: k[1]), key=lambda k: k[1])
    for station, group in by_station:
        days = [d for d, _ in group]
        where = and_(KpiOrder.station_id == station, KpiOrder.day.in_(days))
        _add_orders(cells, session.execute(_orders_of(where)))
    session.execute(
        update(CELLS)
        .where(CELLS.c.day == bindparam("k_day", type_=Date()), CELLS.c.station_id == bindparam("k_station"))
        .values(
            version=CELLS.c.version + 1,
            **{c: bindparam(c, type_=CELLS.c[c].type) for c in (*_COUNTS, "spans", "causes")},
        ),
        [{"k_day": d, "k_station": s, **cells[(d, s)].values()} for d, s in wanted],
    )
    logger.debug("kpi cells refreshed: %s", wanted)


def events_stored(session: Session, events: list[AnyEvent], flags_of: Iterable[tuple[datetime, str]] = ()) -> None:
    """The cells that ``events`` (just stored and rolled into kpi_orders / kpi_incidents) change, and those of
    the incidents whose blocked flag a seal recomputed (``flags_of``: their detection time and station,
    possibly on other days)."""
    keys: set[Key] = {(utc_day(at), station) for at, station in flags_of}
    for e in events:
        # Only the incident.opened that fills the row changes a cell, and it names that cell itself (a
        # later opened of the same incident changes nothing: refreshing its day is merely harmless).
        if isinstance(e, IncidentOpenedEvent):
            keys.add((utc_day(e.payload.detected_at), e.station_id))
        elif isinstance(e, PackSealedEvent | PackCancelledEvent):
            keys.add((utc_day(e.occurred_at), e.station_id))
    refresh(session, keys)


def incident_moved(session: Session, incident: Incident) -> None:
    """A case transition changed ``incident`` (its clocks): refresh its cell."""
    if incident.detected_at is not None:
        refresh(session, [(utc_day(incident.detected_at), incident.station_id)])


def rebuild(session: Session | Connection) -> int:
    """Recompute every cell from the stored incidents and roll-ups (after a bulk load; migration 0011)."""
    # Versions start above every earlier one: a day's stamp (kpi_days.py) never comes back after a rebuild.
    version = int(session.execute(select(func.max(CELLS.c.version))).scalar() or 0) + 1
    session.execute(delete(CELLS))
    cells: dict[Key, _Build] = defaultdict(_Build)
    found = session.execute(
        select(*_INCIDENT_COLUMNS).where(Incident.detected_at.is_not(None)).execution_options(yield_per=20_000)
    )
    for row in found:
        cells[(utc_day(row.detected_at), row.station_id)].add_incident(row)
    blocked = select(KpiIncident.station_id, KpiIncident.detected_at).where(KpiIncident.blocked)
    for station, at in session.execute(blocked.execution_options(yield_per=20_000)):
        cells[(utc_day(at), station)].counts["blocked"] += 1
    _add_orders(cells, session.execute(_orders_of(KpiOrder.day.is_not(None))))
    rows = [{"day": d, "station_id": s, "version": version, **cells[(d, s)].values()} for d, s in sorted(cells)]
    for start in range(0, len(rows), 2000):
        session.execute(insert(CELLS), rows[start : start + 2000])
    logger.info("kpi cells rebuilt: %d", len(rows))
    return len(rows)
