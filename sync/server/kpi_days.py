"""Per-day results merged from the KPI cells: the order statistics of each span for all stations, per site
and per station, and the day's root-cause counts; kept in memory per process, checked on every read.

Why: a cell keeps its raw spans and cause counts as JSON (~1.7 KB). Decoding a week of them (2,800 cells)
cost ~0.7 s of Python at 1,000,000 incidents, more than the SQL it replaced. The page needs only a few
numbers per group, so a day's cells are merged once into those numbers (``DayResults``). The next read of
that day reuses them as long as the day's cells are unchanged.

Exact and fresh: the stamp of a day is (number of cells, sum and maximum of their versions), read from the
database on every request. Every refresh of a cell bumps its version in the transaction that changed its
inputs, and ``kpi_cells.rebuild`` starts the versions above the old maximum, so a stamp never repeats. A
committed ingest or case action changes the stamp, and the next read recomputes that day (the other days
stay cached). The station -> site map is part of the key (a token re-issued for another site regroups
the sites). Each process has its own cache; there is nothing to invalidate across processes.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.kpi_cells import CAUSES, SPANS
from sync.server.rollup_models import KpiCell

logger = logging.getLogger(__name__)

#: A span's order statistics: (n, {rank: seconds}) with the ranks p50 and p90 interpolate.
Stats = dict[str, tuple[int, dict[int, float]]]
Stamp = tuple[int, int, int]
_CUTS = (50, 90)
_MAX_DAYS = 120  # cached days per process (a day is a few hundred small entries)
_cache: OrderedDict[tuple[str, date, int], tuple[Stamp, DayResults]] = OrderedDict()
_lock = threading.Lock()


@dataclass
class DayResults:
    everyone: Stats = field(default_factory=dict)
    sites: dict[str, Stats] = field(default_factory=dict)
    stations: dict[str, Stats] = field(default_factory=dict)
    causes: dict[str, Counter[Any]] = field(default_factory=dict)

    def stats(self, sites: dict[str, str | None], *, site: str | None, station: str | None) -> Stats:
        """The spans of all stations, of ``site``'s stations, of ``station`` (if it is at ``site``)."""
        if station is not None:
            if site is not None and sites.get(station) != site:
                return {}
            return self.stations.get(station, {})
        if site is not None:
            return self.sites.get(site, {})
        return self.everyone


def order_statistics(values: list[int]) -> tuple[int, dict[int, float]]:
    """The size of the sorted ``values`` and the elements (in seconds) that p50 and p90 interpolate."""
    n = len(values)
    ranks = {0} if n == 1 else {r for i in _CUTS for r in ((n - 1) * i // 100, (n - 1) * i // 100 + 1)}
    return n, {r: values[r] / 10**6 for r in ranks}


def _merged(parts: list[list[int]]) -> tuple[int, dict[int, float]]:
    return order_statistics(parts[0] if len(parts) == 1 else sorted(itertools.chain.from_iterable(parts)))


def _compute(rows: Iterable[Any], sites: dict[str, str | None]) -> DayResults:
    """Merge one day's cells (day, station, version, spans, causes)."""
    out = DayResults(causes={name: Counter() for name in CAUSES})
    everyone: dict[str, list[list[int]]] = {a: [] for a in SPANS}
    per_site: dict[str, dict[str, list[list[int]]]] = {}
    for row in rows:
        spans = row.spans or {}
        mine: Stats = {}
        site = sites.get(row.station_id)
        for attr in SPANS:
            values = spans.get(attr)
            if not values:
                continue
            mine[attr] = order_statistics(values)
            everyone[attr].append(values)
            if site is not None:
                per_site.setdefault(site, {a: [] for a in SPANS})[attr].append(values)
        out.stations[row.station_id] = mine
        for name, pairs in (row.causes or {}).items():
            into = out.causes[name]
            for key, n in pairs:
                into[key] += n
    out.everyone = {a: _merged(parts) for a, parts in everyone.items() if parts}
    out.sites = {s: {a: _merged(p) for a, p in lists.items() if p} for s, lists in per_site.items()}
    return out


def results(session: Session, days: list[date], sites: dict[str, str | None]) -> dict[date, DayResults]:
    """The merged results of ``days``: from this process's cache where the day's stamp is unchanged, else
    recomputed from the day's cells (one read for all the changed days)."""
    if not days:
        return {}
    first, last = min(days), max(days)
    stamps: dict[date, Stamp] = {
        d: (int(n), int(total or 0), int(top or 0))
        for d, n, total, top in session.execute(
            select(KpiCell.day, func.count(), func.sum(KpiCell.version), func.max(KpiCell.version))
            .where(KpiCell.day >= first, KpiCell.day <= last)
            .group_by(KpiCell.day)
        )
    }
    bind: Any = session.get_bind()
    where = str(getattr(bind, "engine", bind).url)  # an Engine, or a Connection (its engine's url)
    sites_key = hash(frozenset(sites.items()))
    out: dict[date, DayResults] = {}
    stale: list[date] = []
    with _lock:
        for d in days:
            hit = _cache.get((where, d, sites_key))
            if hit is not None and hit[0] == stamps.get(d, (0, 0, 0)):
                _cache.move_to_end((where, d, sites_key))
                out[d] = hit[1]
            else:
                stale.append(d)
    if not stale:
        return out
    found = session.execute(
        select(KpiCell.day, KpiCell.station_id, KpiCell.version, KpiCell.spans, KpiCell.causes)
        .where(KpiCell.day.in_(stale))
        .order_by(KpiCell.day)
    ).all()
    by_day = {d: list(rows) for d, rows in itertools.groupby(found, key=lambda r: r.day)}
    for d in stale:
        rows = by_day.get(d, [])
        stamp = (len(rows), sum(r.version for r in rows), max((r.version for r in rows), default=0))
        out[d] = _compute(rows, sites)
        with _lock:
            _cache[(where, d, sites_key)] = (stamp, out[d])
            while len(_cache) > _MAX_DAYS:
                _cache.popitem(last=False)
    logger.debug("kpi day results recomputed for %s", stale)
    return out
