"""The leads' KPI page: ``compute_kpis`` per day, site and station as tables, bar charts and CSV, and the
root-cause tables (incidents by kind, scanned code, packer, station and hour of day).

Charts are inline SVG drawn on the server from the same numbers as the tables (geometry computed here,
markup in the template): no chart library, nothing downloaded, readable without JavaScript.
"""

from __future__ import annotations

import io
import logging
import operator
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from rules import csv_safe
from sync.server import kpi_cells, kpi_sql
from sync.wire.kpis import Kpis

logger = logging.getLogger(__name__)

DAYS_SHOWN = 7
ROOT_CAUSE_LIMIT = 15

KPI_COLUMNS: list[tuple[str, str]] = [  # what a lead reads first comes first (the table scrolls sideways)
    ("orders_packed", "Orders packed"),
    ("order_lines", "Order lines"),
    ("incidents", "Incidents"),
    ("incidents_per_order_line", "Incidents per line"),
    ("order_completion_rate", "Completion rate"),
    ("cases_breaching_targets", "Cases breaching"),
    ("detection_to_notified.p50_s", "To notify p50"),
    ("detection_to_notified.p90_s", "To notify p90"),
    ("detection_to_resolved.p90_s", "To resolve p90"),
    ("detection_to_logged.p90_s", "To log p90"),
    ("incidents_blocked_before_sealing", "Blocked before sealing"),
    ("orders_cancelled", "Cancelled"),
    ("weight_mismatches", "Weight mismatches"),
    ("orders_weighed", "Orders weighed"),
]
TABLES = ("days", "sites", "stations", "kind", "code", "packer", "station", "hour")


def value(k: Kpis, path: str) -> object:
    obj: object = k
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


_GETTERS = [(path, operator.attrgetter(path)) for path, _ in KPI_COLUMNS]


def row_cells(k: Kpis) -> list[tuple[str, bool]]:
    """A table row's cells as (text, breaching?): computed here in one pass (with 450 rows, calling
    ``value`` and ``shown`` per cell from the template cost more than computing the figures)."""
    out = []
    for path, get in _GETTERS:
        v = get(k)
        out.append((shown(path, v), path == "cases_breaching_targets" and bool(v)))
    return out


def shown(path: str, v: object) -> str:
    """A table cell: rates as %, seconds as a duration, None as a dash."""
    if v is None:
        return "–"
    if path == "order_completion_rate" and isinstance(v, float):
        return f"{v * 100:.1f} %"
    if path == "incidents_per_order_line" and isinstance(v, float):
        return f"{v:.4f}"
    if path.endswith("_s") and isinstance(v, float | int):
        return duration(float(v))
    return str(v)


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} s"
    hours, mins = divmod(minutes, 60)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"


R = TypeVar("R")


@dataclass(frozen=True)
class Titled(Generic[R]):
    """One table of the KPI page (and a CSV): ``rows`` are (key, value) pairs."""

    name: str
    title: str
    key_title: str
    rows: list[tuple[str, R]]


Table = Titled[Kpis]  # a row of key figures per day, site or station
Counted = Titled[int]  # a count per kind, code, packer, station or hour


def week(session: Session, day: date, now: datetime) -> kpi_sql.Cells:
    """The cells of the ``DAYS_SHOWN`` days up to ``day``: every table of the page is added up from them."""
    return kpi_sql.load(session, day - timedelta(days=DAYS_SHOWN - 1), DAYS_SHOWN, now)


def kpi_tables(session: Session, day: date, now: datetime, cells: kpi_sql.Cells | None = None) -> list[Table]:
    """The per-day, per-site and per-station tables, all from one read of the week's cells (kpi_sql.py)."""
    cells = cells or week(session, day, now)
    first = cells.first_day
    per_day = list(kpi_sql.group(cells, "day").items())
    sites = sorted({s for s in cells.sites.values() if s})
    stations = sorted(cells.sites)
    by_site = kpi_sql.group(cells, "site", day=day)
    by_station = kpi_sql.group(cells, "station", day=day)
    return [
        Table("days", f"Per day (all stations), {first} to {day}", "Day", per_day),
        Table(
            "sites", f"Per site on {day}", "Site", [(s, by_site.get(s) or kpi_sql.empty(day, site=s)) for s in sites]
        ),
        Table(
            "stations",
            f"Per station on {day}",
            "Station",
            [(s, by_station.get(s) or kpi_sql.empty(day, station=s)) for s in stations],
        ),
    ]


def root_causes(session: Session, day: date, cells: kpi_sql.Cells | None = None) -> list[Counted]:
    """Incidents detected in the ``DAYS_SHOWN`` days up to ``day``, counted by each cause (summed cells)."""
    cells = cells or week(session, day, datetime.combine(day, time(0), tzinfo=UTC))
    counted: dict[str, Counter[Any]] = {name: Counter() for name in kpi_cells.CAUSES}
    per_station: Counter[Any] = Counter()
    incidents = 2 + kpi_cells._COUNTS.index("incidents")  # a Cells row: day, station, counts...
    for row in cells.rows:
        if row[incidents]:
            per_station[row[1]] += row[incidents]
    for results in cells.results.values():
        for name, counts in results.causes.items():
            counted[name].update(counts)

    def top(counts: Counter[Any], limit: int = ROOT_CAUSE_LIMIT) -> list[tuple[str, int]]:
        # most first, then by key (as the database sorted them: an empty key last)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, "" if kv[0] is None else kv[0]))
        return [("–" if key is None else str(key), n) for key, n in ranked[:limit]]

    by_hour = [(f"{h:02d}:00", counted["hour"].get(h, 0)) for h in range(24)]
    period = f"{cells.first_day} to {day}"
    return [
        Counted("kind", f"Incidents by kind, {period}", "Kind", top(counted["kind"])),
        Counted(
            "code",
            f"Scanned codes seen most (a repeat is a mis-slotted bin?), {period}",
            "Code",
            top(counted["code"]),
        ),
        Counted("packer", f"Incidents by packer, {period}", "Packer", top(counted["packer"])),
        Counted("station", f"Incidents by station, {period}", "Station", top(per_station)),
        Counted("hour", f"Incidents by hour of day (UTC), {period}", "Hour", by_hour),
    ]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    baseline: float


def bar_chart(title: str, points: list[tuple[str, float, str]], *, width: int = 720, height: int = 220) -> Chart:
    """Vertical bars scaled to the largest value (0 when all are 0); label under each bar, value above."""
    top, bottom = 28.0, 40.0
    usable = height - top - bottom
    biggest = max((v for _, v, _ in points), default=0.0) or 1.0
    slot = width / max(1, len(points))
    bar_w = max(4.0, slot * 0.6)
    bars = []
    for i, (label, v, text) in enumerate(points):
        h = usable * (v / biggest)
        bars.append(Bar(label, v, text, i * slot + (slot - bar_w) / 2, top + usable - h, bar_w, h))
    return Chart(title, bars, width, height, top + usable)


def charts(tables: list[Table], causes: list[Counted]) -> list[Chart]:
    days = tables[0]
    out = [
        bar_chart("Incidents per day", [(d[5:], float(k.incidents), str(k.incidents)) for d, k in days.rows]),
        bar_chart(
            "Cases breaching targets per day",
            [(d[5:], float(k.cases_breaching_targets), str(k.cases_breaching_targets)) for d, k in days.rows],
        ),
    ]
    stations = tables[2]
    if stations.rows:
        out.append(
            bar_chart(
                f"Incidents per station on {days.rows[-1][0]}",
                [(s, float(k.incidents), str(k.incidents)) for s, k in stations.rows[:24]],
            )
        )
    hour = next(c for c in causes if c.name == "hour")
    out.append(bar_chart("Incidents by hour of day (UTC)", [(h[:2], float(n), str(n)) for h, n in hour.rows]))
    return out


def csv_text(name: str, tables: list[Table], causes: list[Counted]) -> str:
    buf = io.StringIO()
    writer = csv_safe.writer(buf)  # a cell starting with = + - @ gets a quote: shown, never run
    table = next((t for t in tables if t.name == name), None)
    if table is not None:
        writer.writerow([table.key_title, *(path for path, _ in KPI_COLUMNS)])
        for key, k in table.rows:
            writer.writerow([key, *(value(k, path) for path, _ in KPI_COLUMNS)])
        return buf.getvalue()
    counted = next(c for c in causes if c.name == name)
    writer.writerow([counted.key_title, "incidents"])
    for key, n in counted.rows:
        writer.writerow([key, n])
    return buf.getvalue()
