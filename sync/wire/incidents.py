"""Incidents as the central service reports them: summaries, details, remediation cases, the site queue."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from rules.events import IncidentKind
from rules.fields import Ident, Text
from rules.storable import Storable


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


class Channel(enum.StrEnum):
    """How the customer was told."""

    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    LETTER = "letter"


CURRENCIES = ("EUR", "GBP", "USD", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK")
MAX_AMOUNT = Decimal("1000000")
TRACKING_PATTERN = r"^[A-Za-z0-9 ._/-]+$"

Carrier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), Storable]
Tracking = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=TRACKING_PATTERN)]
Amount = Annotated[Decimal, Field(gt=0, lt=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False)]
Currency = Annotated[str, StringConstraints(pattern="^(" + "|".join(CURRENCIES) + ")$")]
Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), Storable]


class CaseDetails(BaseModel):
    """What a case step records besides its note: how the customer was told (channel, message), what was
    sent (carrier, tracking), what was paid back (amount, currency). Which fields a step takes is
    ``DETAILS_FOR``; the console's form and the JSON API both store exactly these."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel | None = None
    message: Message | None = None
    carrier: Carrier | None = None
    tracking: Tracking | None = None
    amount: Amount | None = None
    currency: Currency | None = None

    @field_validator("amount")
    @classmethod
    def _cents(cls, amount: Decimal | None) -> Decimal | None:
        return None if amount is None else amount.quantize(Decimal("0.01"))  # "12.5" is kept as "12.50"

    def stored(self) -> dict[str, str]:
        """The JSON kept in the history row (amounts as text, "12.50", so no float ever rounds them)."""
        return {k: str(v) for k, v in self.model_dump(mode="json", exclude_none=True).items()}


# What a shop or helpdesk may see of a step's details (the resolution view, the case.changed webhook). The
# message stays internal: it is free text staff typed, and it may quote a colleague or the customer.
CUSTOMER_FACING_DETAILS = ("channel", "carrier", "tracking", "amount", "currency")


def customer_facing(details: dict[str, Any] | None) -> dict[str, str] | None:
    """The part of a history row's details a customer-facing system gets (None when there is none)."""
    kept = {k: str(v) for k, v in (details or {}).items() if k in CUSTOMER_FACING_DETAILS}
    return kept or None


DETAILS_FOR: dict[CaseStatus, tuple[str, ...]] = {
    CaseStatus.CUSTOMER_NOTIFIED: ("channel", "message"),
    CaseStatus.REPLACEMENT_SHIPPED: ("carrier", "tracking"),
    CaseStatus.REFUND_ISSUED: ("amount", "currency"),
    CaseStatus.CREDIT_ISSUED: ("amount", "currency"),
    CaseStatus.RESOLVED: (),
    CaseStatus.OPEN: (),
}


class CaseTransition(BaseModel):
    """``POST /api/v1/incidents/{id}/case`` body (admin).

    ``details`` is optional (callers from before it existed send none); when given it must hold exactly the
    fields of the target status (``DETAILS_FOR``): a tracking number on a refund is refused, not dropped."""

    model_config = ConfigDict(extra="forbid")

    status: CaseStatus
    note: Text = ""
    actor: Ident | None = None
    details: CaseDetails | None = None

    @model_validator(mode="after")
    def _details_fit_the_status(self) -> Self:
        if self.details is None:
            return self
        given = set(self.details.model_dump(exclude_none=True))
        wanted = set(DETAILS_FOR[self.status])
        if given != wanted:
            raise ValueError(
                f"a step to {self.status.value} takes details {sorted(wanted) or 'none'}, got {sorted(given)}"
            )
        return self


class HistoryEntry(BaseModel):
    at: datetime
    kind: str = Field(description="incident.opened | incident.cleared | incident.escalated | case.transition")
    actor: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    note: str = ""
    details: dict[str, str] | None = Field(
        default=None, description="What the step recorded besides its note (see CaseDetails)."
    )


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
