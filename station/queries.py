"""Named read-only queries the UI needs, returning domain views rather than ORM rows.

The `ui` package imports no SQLAlchemy (an import-linter contract in pyproject.toml): whatever a window
or a command reads from the station database is asked for here, by name, and comes back as a frozen
dataclass or a `station.model` view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from station.bench_reads import incident_view
from station.clock import as_utc
from station.db import Database
from station.model import IncidentView
from station.orm import IncidentRecord, LineBarcode, OrderLine, UserRecord
from station.statuses import IncidentStatus


@dataclass(frozen=True)
class UserSummary:
    """An enabled user as the packer screen lists it."""

    name: str
    display_name: str
    role: str
    badge: str | None


@dataclass(frozen=True)
class LineName:
    """What the supervisor is told a scanned code is: the SKU and description of an order line."""

    sku: str
    description: str


@dataclass(frozen=True)
class IncidentRow:
    """Every stored field of an incident, for `packgate incidents list/export` (times in UTC)."""

    id: str
    station_id: str
    order_id: str
    kind: str
    code: str | None
    status: str
    packer_id: str | None
    created_at: datetime
    detail: str
    expected: list[Any]
    missing: list[Any]
    evidence_file: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str | None
    reason: str | None
    suggested_remediation: str


def enabled_users(db: Database) -> list[UserSummary]:
    """The users not disabled, by display name."""
    with db.sessions() as s:
        rows = s.scalars(select(UserRecord).where(UserRecord.disabled.is_(False)).order_by(UserRecord.display_name))
        return [UserSummary(r.name, r.display_name, r.role, r.badge) for r in rows]


def line_of_order(db: Database, key: str, order_id: str) -> LineName | None:
    """The first line (by line number) of `order_id` that lists the barcode with match key `key`."""
    with db.sessions() as s:
        row = s.execute(
            select(OrderLine.sku, OrderLine.description)
            .join(LineBarcode, LineBarcode.line_id == OrderLine.id)
            .where(LineBarcode.match_key == key, OrderLine.order_id == order_id)
            .order_by(OrderLine.line_no)
            .limit(1)
        ).first()
    return LineName(row[0], row[1]) if row is not None else None


def find_incident(db: Database, incident_id: str) -> IncidentView | None:
    """The incident as it stands now (it may have been decided on another screen), or None."""
    with db.sessions() as s:
        record = s.get(IncidentRecord, incident_id)
        return incident_view(record) if record is not None else None


def incident_rows(db: Database, only_open: bool = False) -> list[IncidentRow]:
    """All incidents (or the open ones), newest first."""
    with db.sessions() as s:
        q = select(IncidentRecord).order_by(IncidentRecord.detected_at.desc())
        if only_open:
            q = q.where(IncidentRecord.status == IncidentStatus.OPEN.value)
        return [
            IncidentRow(
                id=r.id,
                station_id=r.station_id,
                order_id=r.order_id,
                kind=r.kind,
                code=r.code,
                status=r.status,
                packer_id=r.packer_id,
                created_at=as_utc(r.detected_at),
                detail=r.detail,
                expected=r.expected,
                missing=r.missing,
                evidence_file=r.evidence_file,
                resolved_by=r.resolved_by,
                resolved_at=as_utc(r.resolved_at) if r.resolved_at else None,
                resolution=r.resolution,
                reason=r.reason,
                suggested_remediation=r.suggested_remediation,
            )
            for r in s.scalars(q)
        ]
