"""The key figures (definitions in sync/server/kpis.py) added up from the KPI cells, per day, site or station.

A cell (sync/server/kpi_cells.py) holds one station's UTC day; a table of the KPI page (seven days, every
site, every station) is a sum over ~400 cells per day, read once per page (``load``) and grouped three ways
in Python (``group``), instead of 19 statements aggregating a week of incidents and order rows (585 ms at
1,000,000 incidents, docs/changes/2026-12-02-kpi-page.md).

- counts are sums of the cells' counts;
- "cases breaching at ``now``": the cells count the cases that met a target late (for good); the unresolved
  cases overdue at ``now`` are counted per cell by one read of the partial index ``ix_incidents_unresolved``
  (``overdue_condition``: the two parts never overlap, so their sum is ``cases.breaching`` exactly);
- percentiles: each cell keeps every span's values sorted, in whole microseconds; a group's values are the
  merge of its cells' lists, and only the two order statistics around p50 and p90 are turned into seconds
  (divided by 10**6 like ``timedelta.total_seconds``) and interpolated here with exactly the arithmetic of
  ``statistics.quantiles(method="inclusive")``. So the figures are bit-for-bit those of the straightforward
  Python computation (``kpis.percentiles``), which the tests compare on both backends. ``percentile_cont``
  would interpolate in a different floating-point order and could round the third decimal the other way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, and_, cast, func, not_, or_, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from sync.server import kpi_cells, kpi_days
from sync.server.models import Incident, Station
from sync.server.rollup_models import KpiCell
from sync.wire.kpis import Kpis, Percentiles

logger = logging.getLogger(__name__)

GROUPS = ("day", "site", "station")
_INCIDENTS = 2 + kpi_cells._COUNTS.index("incidents")  # positions in a Cells row (day, station, counts...)
_ATTEMPTED = 2 + kpi_cells._COUNTS.index("attempted")
_SPANS = ("logged_at", "notified_at", "resolved_at")
_CUTS = (50, 90)  # p50 and p90: cuts[49] and cuts[89] of statistics.quantiles(n=100)


def percentile_of(n: int, ranked: dict[int, float], i: int) -> float:
    """``statistics.quantiles(data, n=100, method="inclusive")[i - 1]`` from the sorted data's size ``n`` and
    the values at the two ranks it needs (0-based): the same arithmetic, so the same float."""
    j, delta = divmod(i * (n - 1), 100)
    return (ranked[j] * (100 - delta) + ranked[j + 1] * delta) / 100


def percentiles_from(n: int, ranked: dict[int, float]) -> Percentiles:
    """``kpis.percentiles`` of a list of ``n`` values of which ``ranked`` holds the needed order statistics."""
    if n == 0:
        return Percentiles.model_construct(n=0, p50_s=None, p90_s=None)
    if n == 1:
        return Percentiles.model_construct(n=1, p50_s=ranked[0], p90_s=ranked[0])
    p50, p90 = round(percentile_of(n, ranked, 50), 3), round(percentile_of(n, ranked, 90), 3)
    return Percentiles.model_construct(n=n, p50_s=p50, p90_s=p90)


def _utc_day(session: Session, col: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", col), Date)
    return func.date(col)


@dataclass
class _Cell:
    attempted: int = 0
    sealed: int = 0
    lines: int = 0
    complete: int = 0
    incidents: int = 0
    breaching: int = 0
    weight_mismatches: int = 0
    weighed: int = 0
    blocked: int = 0
    spans: dict[str, tuple[int, dict[int, float]]] = field(default_factory=dict)


@dataclass
class Cells:
    """The KPI cells of a range of days (one station and/or site, or all), loaded once for every table of
    a page, and the unresolved cases breaching at ``now`` per cell."""

    first_day: date
    days: int
    site: str | None
    station: str | None
    rows: list[Any]  # the cells' counts (no JSON): day, station_id and kpi_cells._COUNTS
    sites: dict[str, str | None]
    breaching_now: dict[tuple[date, str], int]
    results: dict[date, kpi_days.DayResults]  # the percentiles' order statistics and the root causes
    by_day: dict[date, list[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            self.by_day.setdefault(row[0], []).append(row)


def load(
    session: Session,
    first_day: date,
    days: int,
    now: datetime,
    *,
    site: str | None = None,
    station: str | None = None,
) -> Cells:
    """The cells of the ``days`` UTC days from ``first_day``: two reads, of ~400 rows per day shown."""
    scope = _scope_builder(site, station)
    last = first_day + timedelta(days=days)
    columns = [KpiCell.day, KpiCell.station_id, *(getattr(KpiCell, c) for c in kpi_cells._COUNTS)]
    rows = session.execute(
        select(*columns).where(KpiCell.day >= first_day, KpiCell.day < last, *scope(KpiCell.station_id))
    ).all()
    start = datetime.combine(first_day, time(0), tzinfo=UTC)
    end = datetime.combine(last, time(0), tzinfo=UTC)
    day = _utc_day(session, Incident.detected_at)
    tune_for_reports(session)
    overdue = (
        select(day, Incident.station_id, func.count())
        .where(
            Incident.detected_at >= start,
            Incident.detected_at < end,
            Incident.resolved_at.is_(None),  # the partial index ix_incidents_unresolved
            overdue_condition(now),
            *scope(Incident.station_id),
        )
        .group_by(day, Incident.station_id)
    )
    breaching_now = {(_as_date(d), s): int(n) for d, s, n in session.execute(overdue)}
    sites: dict[str, str | None] = {s: site for s, site in session.execute(select(Station.station_id, Station.site))}
    results = kpi_days.results(session, [first_day + timedelta(days=d) for d in range(days)], sites)
    return Cells(first_day, days, site, station, [tuple(r) for r in rows], sites, breaching_now, results)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def compute(
    session: Session,
    first_day: date,
    days: int,
    now: datetime,
    *,
    by: str | None = None,
    site: str | None = None,
    station: str | None = None,
) -> dict[str, Kpis]:
    """Key figures of the ``days`` UTC days from ``first_day``, for ``station`` and/or ``site`` (None: all),
    one per group ``by`` ("day": each day of the range, all present; "site"/"station": the groups with data;
    None: the whole range as one figure under the key ""). More than one day only per day (``by="day"``):
    the percentiles of a group are kept per day."""
    if days > 1 and by != "day":
        raise ValueError("percentiles over more than one day are only kept per day: group by day")
    return group(load(session, first_day, days, now, site=site, station=station), by)


def group(cells: Cells, by: str | None, *, day: date | None = None) -> dict[str, Kpis]:
    """``cells`` (or those of one ``day`` of them) added up per ``by`` (see ``compute``)."""
    if by not in (None, *GROUPS):
        raise ValueError(f"unknown grouping {by!r}")
    if by != "day" and day is None and cells.days > 1:
        raise ValueError("percentiles over more than one day are only kept per day: group by day")
    width = len(kpi_cells._COUNTS)
    acc: dict[str, list[int]] = {}
    stats: dict[str, kpi_days.Stats] = {}
    for row in cells.rows if day is None else cells.by_day.get(day, []):
        if not (row[_INCIDENTS] or row[_ATTEMPTED]):
            continue  # touched but empty: no group of its own
        if by == "site":
            key = cells.sites.get(row[1])
            if key is None:
                continue
        else:
            key = row[0].isoformat() if by == "day" else row[1] if by == "station" else ""
        sums = acc.get(key)
        if sums is None:
            sums = acc[key] = [0] * (width + 1)
            site = key if by == "site" else cells.site
            station = key if by == "station" else cells.station
            stats[key] = cells.results[row[0]].stats(cells.sites, site=site, station=station)
        for i in range(width):
            sums[i] += row[2 + i]
        sums[width] += cells.breaching_now.get((row[0], row[1]), 0)  # overdue at now, not yet counted
    cells_of: dict[str, _Cell] = {}
    for key, sums in acc.items():
        named = dict(zip(kpi_cells._COUNTS, sums, strict=False))
        cells_of[key] = _Cell(
            attempted=named["attempted"],
            sealed=named["sealed"],
            lines=named["lines"],
            complete=named["complete"],
            incidents=named["incidents"],
            breaching=named["late"] + sums[width],
            weight_mismatches=named["weight_mismatches"],
            weighed=named["weighed"],
            blocked=named["blocked"],
            spans=dict(stats[key]),
        )
    sums_of = cells_of
    first = day or cells.first_day
    if by == "day":
        keys = [(first + timedelta(days=d)).isoformat() for d in range(1 if day else cells.days)]
    else:
        keys = sorted(sums_of)
    out = {}
    for key in keys:
        out[key] = assemble(
            sums_of.get(key, _Cell()),
            day=key if by == "day" else first.isoformat(),
            site=key if by == "site" else cells.site,
            station=key if by == "station" else cells.station,
        )
    return out


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Of an unresolved case: a target not met and overdue at ``now``, and none met late (those are counted
    for good in the cells' ``late``), so that late + this = ``breaching_condition(now)`` exactly."""

    def met_late(due: InstrumentedAttribute[Any], done: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        return and_(due.is_not(None), done.is_not(None), done > due)

    def overdue(due: InstrumentedAttribute[Any], done: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        return and_(due.is_not(None), done.is_(None), due < now)

    n_due, n_done = Incident.notify_due_at, Incident.notified_at
    r_due, r_done = Incident.remedy_due_at, Incident.remedied_at
    return and_(
        or_(overdue(n_due, n_done), overdue(r_due, r_done)),
        not_(or_(met_late(n_due, n_done), met_late(r_due, r_done))),
    )


def tune_for_reports(session: Session) -> None:
    """For the rest of this transaction on PostgreSQL: no JIT (compiling these aggregates cost ~125 ms, more
    than running them) and room to sort a week of spans in memory instead of on disk."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))


def assemble(c: _Cell, *, day: str, site: str | None, station: str | None) -> Kpis:
    def spans(attr: str) -> Percentiles:
        n, ranked = c.spans.get(attr, (0, {}))
        return percentiles_from(n, ranked)

    return Kpis.model_construct(  # every value is computed here; validating 450 rows cost ~40 ms
        day=day,
        site=site,
        station=station,
        orders_packed=c.sealed,
        order_lines=c.lines,
        orders_cancelled=c.attempted - c.sealed,
        incidents=c.incidents,
        incidents_per_order_line=round(c.incidents / c.lines, 6) if c.lines else None,
        order_completion_rate=round(c.complete / c.attempted, 6) if c.attempted else None,
        incidents_blocked_before_sealing=c.blocked,
        detection_to_logged=spans("logged_at"),
        detection_to_notified=spans("notified_at"),
        detection_to_resolved=spans("resolved_at"),
        cases_breaching_targets=c.breaching,
        weight_mismatches=c.weight_mismatches,
        orders_weighed=c.weighed,
    )


def empty(day: date, *, site: str | None = None, station: str | None = None) -> Kpis:
    return assemble(_Cell(), day=day.isoformat(), site=site, station=station)


def _scope_builder(site: str | None, station: str | None) -> Any:
    def scope(column: InstrumentedAttribute[str]) -> list[ColumnElement[bool]]:
        """The conditions on a station-id ``column`` for one station and/or the stations of one site."""
        conditions: list[ColumnElement[bool]] = []
        if station is not None:
            conditions.append(column == station)
        if site is not None:
            conditions.append(column.in_(select(Station.station_id).where(Station.site == site).correlate(None)))
        return conditions

    return scope
