"""The case queue: open cases ordered by the next thing due, with filters and pages.

What is due next depends on where the case stands: an ``open`` case waits for the customer to be told
(``notify_due_at``, 2 h after detection); a ``customer_notified`` one for its remedy (``remedy_due_at``:
replacement 48 h, refund and credit 72 h); a remedied case only needs closing and has no clock. The
order is computed in SQL (a CASE expression), so paging is done by the database.

At a million incidents the open cases are a few per cent of the table: the partial expression index
``ix_incidents_queue`` (models.py) holds exactly them, keyed by (next due, detected, id), the display order.
So a page is an index walk that stops after ``PAGE_SIZE`` rows, and the overdue count a range of that index.
For that the CASE and the open-status list are written with SQL literals (a bound parameter would not match
the index expression or prove its condition). The order is total (the incident id breaks ties), so pages
never overlap or skip a case. A filter on a status without a clock (a remedied or resolved case) orders by
detection alone, which is the same order (their next due is empty) without sorting the whole table.

Resolved cases are the bulk of the table (95 % at a million incidents): counting them all cost ~0.5 s per page.
So outside the open cases the count stops at ``COUNT_CAP`` (shown as "10,000+"); the pages go on past it (each
page fetches one row more than it shows, to know whether there is a next one), so every case stays reachable.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, literal_column, null, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from rules.events import IncidentKind
from sync.server.models import Incident, Station
from sync.wire.incidents import CaseStatus

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
COUNT_CAP = 10_000  # outside the open cases, counted up to here ("10,000+")
AGES = {
    "": None,
    "2h": timedelta(hours=2),
    "24h": timedelta(hours=24),
    "48h": timedelta(hours=48),
    "72h": timedelta(hours=72),
}
OPEN_STATUSES = tuple(s.value for s in CaseStatus if s is not CaseStatus.RESOLVED)


def _is(status: CaseStatus) -> ColumnElement[bool]:
    return Incident.case_status == literal_column(f"'{status.value}'")


next_due = case(
    (_is(CaseStatus.OPEN), Incident.notify_due_at),
    (_is(CaseStatus.CUSTOMER_NOTIFIED), Incident.remedy_due_at),
    else_=null(),  # spelled out: SQLite matches an index expression only when it is the same expression
)
#: Statuses whose case waits for something with a due time.
CLOCKED = (CaseStatus.OPEN.value, CaseStatus.CUSTOMER_NOTIFIED.value)


@dataclass
class Filters:
    site: str = ""
    station: str = ""
    kind: str = ""
    status: str = ""  # "" = every open status; "resolved" shows closed cases
    age: str = ""  # detected more than this long ago
    overdue: bool = False
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, q: dict[str, str]) -> Filters:
        f = cls(
            site=q.get("site", "")[:64],
            station=q.get("station", "")[:64],
            kind=q.get("kind", ""),
            status=q.get("status", ""),
            age=q.get("age", ""),
            overdue=q.get("overdue", "") in ("1", "on", "yes"),
        )
        if f.kind and f.kind not in {k.value for k in IncidentKind}:
            f.problems.append(f"unknown kind {f.kind[:40]!r}: showing every kind")
            f.kind = ""
        if f.status and f.status not in {s.value for s in CaseStatus}:
            f.problems.append(f"unknown status {f.status[:40]!r}: showing every open case")
            f.status = ""
        if f.age not in AGES:
            f.problems.append(f"unknown age {f.age[:40]!r}: showing every age")
            f.age = ""
        raw_page = q.get("page", "1")
        f.page = int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 7 and int(raw_page) > 0 else 1
        return f

    def query_string(self, **override: object) -> str:
        from urllib.parse import urlencode

        values = {
            "site": self.site,
            "station": self.station,
            "kind": self.kind,
            "status": self.status,
            "age": self.age,
            "overdue": "1" if self.overdue else "",
            "page": str(self.page),
        }
        values.update({k: str(v) for k, v in override.items()})
        return urlencode({k: v for k, v in values.items() if v and not (k == "page" and v == "1")})


@dataclass(frozen=True)
class Row:
    incident: Incident
    site: str | None
    due_at: datetime | None
    due_what: str  # "notify", "remedy" or "" (remedied: resolve)


@dataclass(frozen=True)
class QueuePage:
    rows: list[Row]
    total: int
    overdue: int
    page: int
    pages: int
    more: bool = False  # ``total`` is COUNT_CAP and there are more (the count stopped there)
    has_next: bool = False  # a later page exists

    @property
    def total_shown(self) -> str:
        return f"{self.total:,}+" if self.more else f"{self.total:,}"

    @property
    def pages_shown(self) -> str:
        return f"{self.pages:,}+" if self.more else f"{self.pages:,}"


def load(session: Session, f: Filters, now: datetime) -> QueuePage:
    query = select(Incident, Station.site, next_due.label("due")).outerjoin(
        Station, Station.station_id == Incident.station_id
    )
    conditions: list[ColumnElement[bool]] = [Incident.detected_at.is_not(None)]
    if f.status:
        conditions.append(_is(CaseStatus(f.status)))
    else:
        conditions.append(Incident.case_status.in_([literal_column(f"'{s}'") for s in OPEN_STATUSES]))
    if f.site:
        conditions.append(Station.site == f.site)
    if f.station:
        conditions.append(Incident.station_id == f.station)
    if f.kind:
        conditions.append(Incident.kind == f.kind)
    age = AGES[f.age]
    if age is not None:
        conditions.append(Incident.detected_at <= now - age)
    overdue_cond = next_due < now
    base = query.where(*conditions)
    if f.status and f.status not in OPEN_STATUSES:
        # Resolved: outside ix_incidents_queue, a million rows; count up to the cap (their next due is empty,
        # so none is overdue).
        capped = (
            select(literal(1))
            .select_from(Incident)
            .outerjoin(Station, Station.station_id == Incident.station_id)
            .where(*conditions)
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        total, overdue = int(session.scalar(select(func.count()).select_from(capped)) or 0), 0
    else:
        # Both counts in one pass over the open cases (an index-only scan of ix_incidents_queue on PostgreSQL).
        count_q = (
            select(func.count(), func.coalesce(func.sum(case((overdue_cond, 1), else_=0)), 0))
            .select_from(Incident)
            .outerjoin(Station, Station.station_id == Incident.station_id)
            .where(*conditions)
        )
        total, overdue = (int(n) for n in session.execute(count_q).one())
    more = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    if f.overdue:
        base = base.where(overdue_cond)
        total = overdue
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = f.page if more else min(f.page, pages)  # past the cap the pages go on while there are rows
    order: tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]
    if f.status and f.status not in CLOCKED:
        order = (Incident.detected_at, Incident.incident_id)  # next due is empty for all of them
    else:
        order = (next_due.nulls_last(), Incident.detected_at, Incident.incident_id)
    rows = session.execute(base.order_by(*order).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    out = []
    for inc, site, _due in rows:
        due_at, what = due_of(inc)
        out.append(Row(inc, site, due_at, what))
    return QueuePage(out, total, overdue, page, pages, more=more, has_next=has_next)


def due_of(inc: Incident) -> tuple[datetime | None, str]:
    if inc.case_status == CaseStatus.OPEN.value:
        return inc.notify_due_at, "notify"
    if inc.case_status == CaseStatus.CUSTOMER_NOTIFIED.value:
        return inc.remedy_due_at, "remedy"
    return None, ""


def sites_and_stations(session: Session) -> tuple[list[str], list[str]]:
    sites = [s for s in session.scalars(select(Station.site).distinct().where(Station.site.is_not(None))) if s]
    stations = list(session.scalars(select(Station.station_id).order_by(Station.station_id)))
    return sorted(sites), stations


def humanise(delta: timedelta) -> str:
    """``1 h 12 min``, ``3 d 4 h``, ``5 min``, ``under 1 min`` — console.js writes the same (same rules)."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min" if mins else "under 1 min"
