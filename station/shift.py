"""Shift statistics and the shift hand-over.

A shift is a window [start, end) in UTC. The figures are computed from the station's own tables
(`orders`, `scans`, `incidents`), so they are the same whether the report is made during the shift or a
week later:

- orders packed: orders sealed in the window (short-shipped ones included and counted separately);
- lines scanned: distinct order lines with at least one accepted, not undone, scan in the window;
- incidents by kind: incidents detected in the window;
- error rate per order line: incidents / lines scanned;
- mean time to clearance: over incidents detected in the window that a supervisor has since cleared or
  escalated (an incident still open is not in the mean; it is in the open list, with its age);
- incidents per hour: one bucket per clock hour of the window, for the chart.

Per packer the same figures are split by the packer recorded on the scan, order or incident.

The hand-over at shift end is `station.handover`.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import select

from station.clock import as_utc
from station.db import Database
from station.model import OrderStatus, VerdictKind
from station.orm import IncidentRecord, Order, ScanRecord
from station.remediation import NOTIFY_CUSTOMER_WITHIN
from station.statuses import IncidentStatus

logger = logging.getLogger(__name__)

#: Local start hours of the default three-shift day (early, late, night).
DEFAULT_SHIFT_STARTS = (6, 14, 22)  # local hours; a site sets its own in the settings ("shift_starts")


@dataclass(frozen=True)
class ShiftWindow:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    # The site's shift start hours, so the neighbouring shifts are found by the same rule (shifts need not
    # be equally long, and a DST change makes one an hour shorter or longer).
    starts: tuple[int, ...] = field(default=DEFAULT_SHIFT_STARTS, compare=False)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a shift ends after it starts")

    def previous(self) -> ShiftWindow:
        return shift_window(self.start - timedelta(microseconds=1), self.starts)

    def following(self) -> ShiftWindow:
        return shift_window(self.end, self.starts)

    def label(self, tz: tzinfo | None = None) -> str:
        start, end = self.start.astimezone(tz), self.end.astimezone(tz)
        return f"{start:%a %d %b %Y, %H:%M}–{end:%H:%M}"


def shift_window(at: datetime, starts: Sequence[int] = DEFAULT_SHIFT_STARTS, tz: tzinfo | None = None) -> ShiftWindow:
    """The shift that contains `at`, with shifts starting at the local hours `starts` (`tz`, default the
    machine's local zone: shifts follow the wall clock of the warehouse, storage stays UTC)."""
    if not starts or any(not 0 <= h <= 23 for h in starts):
        raise ValueError(f"shift start hours must be whole hours 0..23, got {list(starts)}")
    zone = tz or datetime.now().astimezone().tzinfo or UTC
    local = at.astimezone(zone)
    hours = sorted(starts)
    candidates = []
    for day_offset in (-1, 0, 1):
        day = local.date() + timedelta(days=day_offset)
        for h in hours:
            candidates.append(datetime.combine(day, time(h), zone))
    candidates.sort()
    for begin, finish in itertools.pairwise(candidates):
        if begin <= local < finish:
            return ShiftWindow(begin.astimezone(UTC), finish.astimezone(UTC), tuple(hours))
    raise AssertionError("unreachable: three days of shift starts always surround a moment")


@dataclass(frozen=True)
class PackerStats:
    """One packer's figures (or the whole station's, with `packer_id` None)."""

    packer_id: str | None
    orders_packed: int = 0
    orders_short_shipped: int = 0
    lines_scanned: int = 0
    units_scanned: int = 0
    incidents_by_kind: dict[str, int] = field(default_factory=dict)
    cleared: int = 0
    mean_time_to_clearance: timedelta | None = None

    @property
    def incidents(self) -> int:
        return sum(self.incidents_by_kind.values())

    @property
    def error_rate(self) -> float | None:
        """Incidents per order line scanned; None when nothing was scanned (no rate to speak of)."""
        return self.incidents / self.lines_scanned if self.lines_scanned else None


@dataclass(frozen=True)
class OpenFlag:
    """An incident still open, with its age against the 2-hour customer-notification target."""

    incident_id: str
    order_id: str
    kind: str
    packer_id: str | None
    code: str | None
    detected_at: datetime
    age: timedelta

    @property
    def overdue(self) -> bool:
        return self.age >= NOTIFY_CUSTOMER_WITHIN


@dataclass(frozen=True)
class ShiftStats:
    station_id: str
    window: ShiftWindow
    generated_at: datetime
    total: PackerStats
    per_packer: tuple[PackerStats, ...]
    incidents_per_hour: tuple[tuple[datetime, int], ...]
    open_flags: tuple[OpenFlag, ...]


def _utc(value: datetime) -> datetime:
    return as_utc(value).astimezone(UTC)


def _mean(values: Iterable[timedelta]) -> timedelta | None:
    items = list(values)
    return sum(items, timedelta()) / len(items) if items else None


def open_flags(
    db: Database,
    now: datetime,
    kind: str | None = None,
    packer_id: str | None = None,
    older_than: timedelta | None = None,
) -> tuple[OpenFlag, ...]:
    """Every open incident of the station, oldest first, optionally filtered."""
    with db.sessions() as s:
        q = (
            select(IncidentRecord)
            .where(IncidentRecord.status == IncidentStatus.OPEN.value)
            .order_by(IncidentRecord.detected_at)
        )
        if kind:
            q = q.where(IncidentRecord.kind == kind)
        if packer_id:
            q = q.where(IncidentRecord.packer_id == packer_id)
        flags = []
        for r in s.scalars(q):
            detected = _utc(r.detected_at)
            age = max(now - detected, timedelta())
            if older_than is not None and age < older_than:
                continue
            flags.append(OpenFlag(r.id, r.order_id, r.kind, r.packer_id, r.code, detected, age))
        return tuple(flags)


def shift_stats(db: Database, window: ShiftWindow, now: datetime, station_id: str = "") -> ShiftStats:
    """All the shift view's figures for `window`, computed from the stored rows."""
    start, end = _utc(window.start), _utc(window.end)
    with db.sessions() as s:
        sealed = s.execute(
            select(Order.order_id, Order.packer_id, Order.short_shipped).where(
                Order.sealed_at >= start, Order.sealed_at < end, Order.status == OrderStatus.SEALED.value
            )
        ).all()
        scans = s.execute(
            select(ScanRecord.packer_id, ScanRecord.order_id, ScanRecord.line_id, ScanRecord.units).where(
                ScanRecord.created_at >= start,
                ScanRecord.created_at < end,
                ScanRecord.verdict == VerdictKind.OK.value,
                ScanRecord.undone.is_(False),
            )
        ).all()
        incidents = s.execute(
            select(
                IncidentRecord.packer_id,
                IncidentRecord.kind,
                IncidentRecord.detected_at,
                IncidentRecord.resolved_at,
                IncidentRecord.status,
            ).where(IncidentRecord.detected_at >= start, IncidentRecord.detected_at < end)
        ).all()

    orders: dict[str | None, Counter[str]] = defaultdict(Counter)
    for _order_id, packer, short in sealed:
        orders[packer]["packed"] += 1
        orders[packer]["short"] += int(bool(short))
    lines: dict[str | None, set[tuple[str | None, int | None]]] = defaultdict(set)
    units: Counter[str | None] = Counter()
    for packer, order_id, line_id, n in scans:
        lines[packer].add((order_id, line_id))
        units[packer] += n
    kinds: dict[str | None, Counter[str]] = defaultdict(Counter)
    waits: dict[str | None, list[timedelta]] = defaultdict(list)
    hours: Counter[int] = Counter()
    for packer, kind, detected, resolved, status in incidents:
        kinds[packer][kind] += 1
        detected_utc = _utc(detected)
        hours[int((detected_utc - start) // timedelta(hours=1))] += 1
        if resolved is not None and status != IncidentStatus.OPEN:
            waits[packer].append(_utc(resolved) - detected_utc)

    def stats_for(packer: str | None, keys: Iterable[str | None]) -> PackerStats:
        keys = list(keys)
        kind_total: Counter[str] = Counter()
        for k in keys:
            kind_total.update(kinds.get(k, Counter()))
        all_waits = [w for k in keys for w in waits.get(k, [])]
        return PackerStats(
            packer_id=packer,
            orders_packed=sum(orders[k]["packed"] for k in keys if k in orders),
            orders_short_shipped=sum(orders[k]["short"] for k in keys if k in orders),
            lines_scanned=sum(len(lines[k]) for k in keys if k in lines),
            units_scanned=sum(units[k] for k in keys),
            incidents_by_kind=dict(sorted(kind_total.items())),
            cleared=len(all_waits),
            mean_time_to_clearance=_mean(all_waits),
        )

    packers = set(orders) | set(lines) | set(kinds)
    per_packer = tuple(stats_for(p, [p]) for p in sorted(packers, key=lambda p: (p is None, p or "")))
    total = stats_for(None, packers)
    n_hours = max(1, -(-int((end - start).total_seconds()) // 3600))
    per_hour = tuple((start + timedelta(hours=h), hours.get(h, 0)) for h in range(n_hours))
    return ShiftStats(
        station_id=station_id,
        window=window,
        generated_at=now,
        total=total,
        per_packer=per_packer,
        incidents_per_hour=per_hour,
        open_flags=open_flags(db, now),
    )
