"""Incidents as the central service reports them: summaries, details, remediation cases, the site queue."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rules.events import IncidentKind
from rules.fields import Ident, Text


class CaseStatus(enum.StrEnum):
    """The remediation case of an incident at the central service.

    open → customer_notified → replacement_shipped | refund_issued | credit_issued → resolved.
    ``open → resolved`` is allowed (with a note) for incidents fixed at the bench with no customer impact.
    """

    OPEN = "open"
    CUSTOMER_NOTIFIED = "customer_notified"
    REPLACEMENT_SHIPPED = "replacement_shipped"
    REFUND_ISSUED = "refund_issued"
    CREDIT_ISSUED = "credit_issued"
    RESOLVED = "resolved"


class Remedy(enum.StrEnum):
    """The remedy a case is heading for; decides its remedy due time."""

    REPLACEMENT = "replacement"
    REFUND = "refund"
    CREDIT = "credit"


class CaseTransition(BaseModel):
    """``POST /api/v1/incidents/{id}/case`` body (admin)."""

    model_config = ConfigDict(extra="forbid")

    status: CaseStatus
    note: Text = ""
    actor: Ident | None = None


class HistoryEntry(BaseModel):
    at: datetime
    kind: str = Field(description="incident.opened | incident.cleared | incident.escalated | case.transition")
    actor: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    note: str = ""


class Case(BaseModel):
    status: CaseStatus
    remedy: Remedy
    notify_due_at: datetime | None
    remedy_due_at: datetime | None
    notified_at: datetime | None
    remedied_at: datetime | None
    resolved_at: datetime | None
    breaching: list[str] = Field(description="Targets missed or overdue: 'notify', 'remedy'.")


class IncidentSummary(BaseModel):
    incident_id: uuid.UUID
    station_id: str
    site: str | None
    order_id: str | None
    kind: IncidentKind | None = Field(description="null until the incident.opened event has arrived")
    code: str | None
    bench_status: str = Field(description="pending (only follow-up events seen) | open | escalated | cleared")
    detected_at: datetime | None
    case_status: CaseStatus


class IncidentDetail(IncidentSummary):
    packer_id: str | None
    expected: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    weight: dict[str, Any] | None = Field(
        default=None, description="weight_mismatch: expected_g, measured_g, tolerance_g, tare_g, unweighed, outcome"
    )
    suggested_remediation: str
    evidence_file: str | None
    resolution: str | None
    logged_at: datetime | None
    case: Case
    history: list[HistoryEntry]


class IncidentList(BaseModel):
    incidents: list[IncidentSummary]


class BenchStatus(enum.StrEnum):
    """Where an incident stands at the bench (derived from the stored times, see ``IncidentSummary``)."""

    OPEN = "open"  # the package is blocked, waiting for a supervisor
    ESCALATED = "escalated"
    CLEARED = "cleared"


MAX_SITE_INCIDENTS = 1000


class SiteIncident(BaseModel):
    """One row of a station's site-wide flagged queue (``GET /api/v1/site/incidents``, station token).

    Carries the packer (unlike ``IncidentSummary``) because the supervisor filters the queue by packer."""

    incident_id: uuid.UUID
    station_id: str
    order_id: str | None
    kind: IncidentKind | None
    code: str | None
    packer_id: str | None
    detected_at: datetime
    bench_status: BenchStatus
    case_status: CaseStatus


class SiteIncidentList(BaseModel):
    """The incidents of the caller's site, oldest detection first. ``site`` is null when the calling
    station has no site: then ``incidents`` holds only its own."""

    station_id: str = Field(description="The calling station (from the token).")
    site: str | None
    incidents: list[SiteIncident]
    truncated: bool = Field(description="More incidents matched than ``limit``; the oldest are listed.")
