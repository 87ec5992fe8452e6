"""Key figures per site / station / UTC day, computed from the stored events and incidents.

Definitions (also in PROTOCOL.md):
- orders packed: distinct orders with a ``pack.sealed`` event that day; order lines: their lines (last seal);
- order completion rate: orders sealed complete (not short-shipped) / distinct orders sealed or cancelled;
- incidents: incidents detected that day; incidents per order line = incidents / order lines;
- incidents blocked before sealing: incidents detected while their order was not yet sealed at that station;
- detection→logged / →notified / →resolved: p50 and p90 in seconds over that day's incidents;
- cases breaching targets: that day's incidents whose case missed or is overdue on a target (at ``now``);
- weight mismatches: that day's ``weight_mismatch`` incidents; orders weighed: sealed orders whose last seal
  carried the bench scale's stable reading (``measured_weight_g``).
Percentiles use ``statistics.quantiles`` (inclusive method) from the standard library: ``percentiles`` below
is the definition; sync/server/kpi_sql.py computes the same figures in the database (same floats, tested
against a plain Python computation over generated incidents on both backends).
"""

from __future__ import annotations

import logging
import statistics
from datetime import date, datetime

from sqlalchemy.orm import Session

from sync.server import kpi_sql
from sync.wire.kpis import Kpis, Percentiles

logger = logging.getLogger(__name__)


def percentiles(values: list[float]) -> Percentiles:
    if not values:
        return Percentiles(n=0, p50_s=None, p90_s=None)
    if len(values) == 1:
        return Percentiles(n=1, p50_s=values[0], p90_s=values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return Percentiles(n=len(values), p50_s=round(cuts[49], 3), p90_s=round(cuts[89], 3))


def compute_kpis(
    session: Session, day: date, now: datetime, *, station: str | None = None, site: str | None = None
) -> Kpis:
    """The key figures of one UTC day (for one station and/or site), computed by the database (kpi_sql.py)."""
    found = kpi_sql.compute(session, day, 1, now, station=station, site=site)
    return found.get("") or kpi_sql.empty(day, site=site, station=station)
