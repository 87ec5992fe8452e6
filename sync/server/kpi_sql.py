"""The key figures (definitions in sync/server/kpis.py) computed by the database, grouped per day, site or station.

One query per figure family answers a whole table of the KPI page (seven days, every site, every station)
instead of one Python pass over ORM rows per cell:

- pack figures: sums over the ``kpi_orders`` roll-up (sync/server/rollups.py), no JSON parsed at read time;
- incident counts and "cases breaching at ``now``": one aggregate over the incidents of the range, read
  from the covering index ``ix_incidents_kpi`` alone on PostgreSQL;
- "blocked before sealing": a count of flags in the ``kpi_incidents`` roll-up (rollups.py); probing the
  events once per incident cost ~120 ms per day at a million incidents;
- percentiles: the database sorts each group's spans (PostgreSQL: into an array per group in one pass,
  elements picked by subscript; SQLite: ``row_number`` windows) and hands back only the two order
  statistics around p50 and p90 with the group's size; the
  interpolation is then done here with exactly the arithmetic of ``statistics.quantiles(method="inclusive")``.
  Spans are whole microseconds computed by the database (exact on both backends), divided by 10**6 like
  ``timedelta.total_seconds``, so the figures are bit-for-bit those of the straightforward Python
  computation (``kpis.percentiles``), which the tests compare on both backends. ``percentile_cont`` would
  interpolate in a different floating-point order and could round the third decimal the other way.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from rules.events import IncidentKind
from sync.server.models import Incident, KpiIncident, KpiOrder, Station
from sync.wire.kpis import Kpis, Percentiles

logger = logging.getLogger(__name__)

GROUPS = ("day", "site", "station")
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
        return Percentiles(n=0, p50_s=None, p90_s=None)
    if n == 1:
        return Percentiles(n=1, p50_s=ranked[0], p90_s=ranked[0])
    return Percentiles(n=n, p50_s=round(percentile_of(n, ranked, 50), 3), p90_s=round(percentile_of(n, ranked, 90), 3))


def _micros(
    session: Session, later: InstrumentedAttribute[Any], earlier: InstrumentedAttribute[Any]
) -> ColumnElement[int]:
    """``later - earlier`` in whole microseconds, exact on both backends."""
    if session.get_bind().dialect.name == "postgresql":
        # date_part gives float seconds of the interval (exact to far below a microsecond for any span under
        # centuries): rounded to whole microseconds it is exact, and much cheaper than EXTRACT's numeric.
        return cast(func.round(func.date_part("epoch", later - earlier) * 1_000_000), BigInteger)

    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" (UTC): whole seconds from strftime, microseconds from the text.
    def secs(col: InstrumentedAttribute[Any]) -> ColumnElement[int]:
        return cast(func.strftime("%s", col), Integer)

    def frac(col: InstrumentedAttribute[Any]) -> ColumnElement[int]:
        return cast(func.substr(col, 21, 6), Integer)

    return (secs(later) - secs(earlier)) * 1_000_000 + frac(later) - frac(earlier)


def _utc_day(session: Session, col: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", col), Date)
    return func.date(col)


def _day_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


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


def breaching_condition(now: datetime) -> ColumnElement[bool]:
    """``cases.breaching(incident, now)`` is not empty, as SQL."""

    def missed(due: InstrumentedAttribute[Any], done: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        return and_(
            due.is_not(None),
            or_(
                and_(done.is_not(None), done > due),
                and_(done.is_(None), Incident.resolved_at.is_(None), due < now),
            ),
        )

    return or_(
        missed(Incident.notify_due_at, Incident.notified_at), missed(Incident.remedy_due_at, Incident.remedied_at)
    )


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
    None: the whole range as one figure under the key "")."""
    if by not in (None, *GROUPS):
        raise ValueError(f"unknown grouping {by!r}")
    start = datetime.combine(first_day, time(0), tzinfo=UTC)
    end = start + timedelta(days=days)
    tune_for_reports(session)
    cells: dict[str, _Cell] = defaultdict(_Cell)
    scope_of = _scope_builder(site, station)

    # Pack figures from the roll-up.
    pack_key = {"day": KpiOrder.day, "site": Station.site, "station": KpiOrder.station_id}.get(by or "", literal(""))
    q = select(
        pack_key,
        func.count(),
        func.count(KpiOrder.sealed_at),
        func.coalesce(func.sum(KpiOrder.lines), 0),
        func.sum(case((and_(KpiOrder.sealed_at.is_not(None), KpiOrder.short_shipped.is_(False)), 1), else_=0)),
        func.sum(case((and_(KpiOrder.sealed_at.is_not(None), KpiOrder.weighed.is_(True)), 1), else_=0)),
    ).where(KpiOrder.day >= first_day, KpiOrder.day < first_day + timedelta(days=days), *scope_of(KpiOrder.station_id))
    if by == "site":
        q = q.select_from(KpiOrder).join(Station, Station.station_id == KpiOrder.station_id)
        q = q.where(Station.site.is_not(None))
    for key, attempted, sealed, lines, complete, weighed in session.execute(q.group_by(pack_key)):
        c = cells[_day_text(key)]
        c.attempted, c.sealed, c.lines, c.complete = int(attempted), int(sealed), int(lines), int(complete or 0)
        c.weighed = int(weighed or 0)

    # Incident counts.
    inc_key = {
        "day": _utc_day(session, Incident.detected_at),
        "site": Station.site,
        "station": Incident.station_id,
    }.get(by or "", literal(""))
    window = [Incident.detected_at >= start, Incident.detected_at < end, *scope_of(Incident.station_id)]

    def incidents_from(query: Any) -> Any:
        if by == "site":
            return query.join(Station, Station.station_id == Incident.station_id).where(Station.site.is_not(None))
        return query.select_from(Incident)

    q = select(
        inc_key,
        func.count(),
        func.sum(case((breaching_condition(now), 1), else_=0)),
        func.sum(case((Incident.kind == IncidentKind.WEIGHT_MISMATCH.value, 1), else_=0)),
    ).where(*window)
    for key, n, breaching, weight in session.execute(incidents_from(q).group_by(inc_key)):
        c = cells[_day_text(key)]
        c.incidents, c.breaching, c.weight_mismatches = int(n), int(breaching or 0), int(weight or 0)

    # Blocked before sealing, from its roll-up (one flag per opened incident).
    blk_key = {
        "day": _utc_day(session, KpiIncident.detected_at),
        "site": Station.site,
        "station": KpiIncident.station_id,
    }
    b_key = blk_key.get(by or "", literal(""))
    q = select(b_key, func.count()).where(
        KpiIncident.detected_at >= start,
        KpiIncident.detected_at < end,
        KpiIncident.blocked,  # as the partial index ix_kpi_incidents_blocked says it
        *scope_of(KpiIncident.station_id),
    )
    if by == "site":
        q = q.select_from(KpiIncident).join(Station, Station.station_id == KpiIncident.station_id)
        q = q.where(Station.site.is_not(None))
    for key, blocked in session.execute(q.group_by(b_key)):
        cells[_day_text(key)].blocked = int(blocked)

    if session.get_bind().dialect.name == "postgresql":
        _percentiles_by_arrays(session, cells, inc_key, window, incidents_from)
    else:
        _percentiles_by_window(session, cells, inc_key, window, incidents_from, by is not None)

    keys = [(first_day + timedelta(days=d)).isoformat() for d in range(days)] if by == "day" else sorted(cells)
    out = {}
    for key in keys:
        day = key if by == "day" else first_day.isoformat()
        out[key] = assemble(
            cells.get(key, _Cell()),
            day=day,
            site=key if by == "site" else site,
            station=key if by == "station" else station,
        )
    return out


def _percentiles_by_window(
    session: Session, cells: dict[str, _Cell], inc_key: Any, window: list[Any], incidents_from: Any, grouped: bool
) -> None:
    """SQLite: the order statistics around p50 and p90 of each group's spans, by ``row_number``; all three
    spans in one scan (each incident joined with the numbers 0, 1, 2: one span each)."""
    which = union_all(*(select(literal(n).label("w")) for n in range(len(_SPANS)))).subquery()
    span = case(
        *((which.c.w == n, _micros(session, getattr(Incident, a), Incident.detected_at)) for n, a in enumerate(_SPANS))
    )
    partition = [inc_key, which.c.w] if grouped else [which.c.w]
    inner = incidents_from(
        select(
            inc_key.label("k"),
            which.c.w.label("w"),
            span.label("v"),
            (func.row_number().over(partition_by=partition, order_by=span) - 1).label("rn"),
            func.count().over(partition_by=partition).label("cnt"),
        )
        .select_from(Incident)
        .join(which, true())
        .where(*window, span.is_not(None))
    ).subquery()
    needed = []
    for i in _CUTS:
        j = (inner.c.cnt - 1) * i // 100
        needed += [inner.c.rn == j, inner.c.rn == j + 1]
    found = select(inner.c.k, inner.c.w, inner.c.v, inner.c.rn, inner.c.cnt).where(or_(*needed))
    for key, w, v, rn, cnt in session.execute(found):
        c = cells[_day_text(key)]
        _n, ranked = c.spans.setdefault(_SPANS[int(w)], (int(cnt), {}))
        ranked[int(rn)] = int(v) / 10**6


def _percentiles_by_arrays(
    session: Session, cells: dict[str, _Cell], inc_key: Any, window: list[Any], incidents_from: Any
) -> None:
    """PostgreSQL: one pass, each group's spans sorted into an array per span, the needed elements picked
    by subscript (``count`` gives the ranks). About ten times faster than the window functions for a
    week of incidents; the same order statistics, so the same figures."""
    spans = [_micros(session, getattr(Incident, a), Incident.detected_at).label(f"s{n}") for n, a in enumerate(_SPANS)]
    sub = incidents_from(select(inc_key.label("k"), *spans).where(*window)).subquery()
    columns: list[Any] = [sub.c.k]
    for n in range(len(_SPANS)):
        v = sub.c[f"s{n}"]
        count = func.count(v)
        ordered = type_coerce(func.array_agg(aggregate_order_by(v, v.asc())).filter(v.is_not(None)), ARRAY(BigInteger))
        columns.append(count)
        for i in _CUTS:
            rank = (count - 1) * i // 100
            columns += [ordered[rank + 1], ordered[rank + 2]]  # 1-based: ranks j and j + 1
    for row in session.execute(select(*columns).group_by(sub.c.k)):
        c = cells[_day_text(row[0])]
        at = 1
        for attr in _SPANS:
            n = int(row[at])
            values = row[at + 1 : at + 1 + 2 * len(_CUTS)]
            at += 1 + 2 * len(_CUTS)
            if n == 0:
                continue
            ranked: dict[int, float] = {}
            for k, i in enumerate(_CUTS):
                j = (n - 1) * i // 100
                for r, value in ((j, values[2 * k]), (j + 1, values[2 * k + 1])):
                    if value is not None:
                        ranked[r] = int(value) / 10**6
            c.spans[attr] = (n, ranked)


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

    return Kpis(
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
