"""Per-day results merged from the KPI cells: the order statistics of each span for all stations, per site
and per station, and the day's root-cause counts; kept in memory per process, checked on every read.

Why: a cell keeps its raw spans and cause counts as JSON (~1.7 KB). Decoding a week of them (2,800 cells)
cost ~0.7 s of Python at 1,000,000 incidents, more than the SQL it replaced. The page needs only a few
numbers per group, so a day's cells are merged once into those numbers (``DayResults``). The next read of
that day reuses them as long as the day's cells are unchanged.

Exact and fresh: the stamp of a day is (number of cells, sum and maximum of their versions), read from the
database on every request. Every refresh of a cell bumps its version in the transaction that changed its
inputs, and ``kpi_cells.rebuild`` starts the versions above the old maximum, so a stamp never repeats. A
committed ingest or case action changes the stamp, and the next read reads again only that day's cells
whose version moved (each labelled with the version read with it) and merges the day again from the
decoded cells; the other days stay cached. The station -> site map is part of the key (a token re-issued
for another site regroups the sites). Each process has its own cache: nothing to invalidate across them.
"""

from __future__ import annotations

import itertools
import logging
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

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
_cache: OrderedDict[tuple[str, date, int], _Day] = OrderedDict()
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


def order_statistics(values: Sequence[int]) -> tuple[int, dict[int, float]]:
    """The size of the sorted ``values`` and the elements (in seconds) that p50 and p90 interpolate."""
    n = len(values)
    ranks = {0} if n == 1 else {r for i in _CUTS for r in ((n - 1) * i // 100, (n - 1) * i // 100 + 1)}
    return n, {r: values[r] / 10**6 for r in ranks}


def _merged(parts: list[Sequence[int]]) -> tuple[int, dict[int, float]]:
    return order_statistics(parts[0] if len(parts) == 1 else sorted(itertools.chain.from_iterable(parts)))


def _compute(rows: Iterable[Any], sites: dict[str, str | None]) -> DayResults:
    """Merge one day's cells (day, station, version, spans, causes)."""
    out = DayResults(causes={name: Counter() for name in CAUSES})
    everyone: dict[str, list[Sequence[int]]] = {a: [] for a in SPANS}
    per_site: dict[str, dict[str, list[Sequence[int]]]] = {}
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


@dataclass
class _Day:
    """A day as cached: each cell's decoded spans and causes with the version they were read at."""

    stamp: Stamp
    cells: dict[str, Any]  # station -> the row (station_id, version, spans, causes)
    results: DayResults


class _Cell(NamedTuple):
    """A decoded cell as the cache keeps it: spans as ``array('q')`` and causes as tuples, which the garbage
    collector does not track (as JSON lists, a few cached days were ~1,000,000 tracked objects, and every
    full collection paused a request for ~200 ms: the KPI page's p95)."""

    station_id: str
    version: int
    spans: dict[str, array[int]]
    causes: dict[str, tuple[tuple[Any, int], ...]]


def _compact(row: Any) -> _Cell:
    spans = {name: array("q", values) for name, values in (row.spans or {}).items()}
    causes = {name: tuple((key, int(n)) for key, n in pairs) for name, pairs in (row.causes or {}).items()}
    return _Cell(row.station_id, int(row.version), spans, causes)


def _stamp(cells: Iterable[Any]) -> Stamp:
    versions = [c.version for c in cells]
    return (len(versions), sum(versions), max(versions, default=0))


def results(session: Session, days: list[date], sites: dict[str, str | None]) -> dict[date, DayResults]:
    """The merged results of ``days``: from this process's cache where the day's stamp is unchanged; else
    only the day's cells whose version moved are read again (usually one: the station that sent a batch,
    or the case's), and the day is merged again from the decoded cells."""
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
    stale: list[tuple[date, _Day | None]] = []
    with _lock:
        for d in days:
            hit = _cache.get((where, d, sites_key))
            if hit is not None and hit.stamp == stamps.get(d, (0, 0, 0)):
                _cache.move_to_end((where, d, sites_key))
                out[d] = hit.results
            else:
                stale.append((d, hit))
    for d, before in stale:
        cells = dict(before.cells) if before is not None else {}
        versions = {
            station: version
            for station, version in session.execute(select(KpiCell.station_id, KpiCell.version).where(KpiCell.day == d))
        }
        changed = [s for s, v in versions.items() if s not in cells or cells[s].version != v]
        for gone in set(cells) - set(versions):
            del cells[gone]
        if changed:
            found = session.execute(
                select(KpiCell.station_id, KpiCell.version, KpiCell.spans, KpiCell.causes).where(
                    KpiCell.day == d, KpiCell.station_id.in_(changed)
                )
            )
            for row in found:
                cells[row.station_id] = _compact(row)  # labelled with the version read with it
        day = _Day(_stamp(cells.values()), cells, _compute(cells.values(), sites))
        out[d] = day.results
        with _lock:
            _cache[(where, d, sites_key)] = day
            while len(_cache) > _MAX_DAYS:
                _cache.popitem(last=False)
        logger.debug("kpi day results of %s merged again (%d cell(s) read)", d, len(changed))
    return out
