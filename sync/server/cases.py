"""Remediation policy and case transitions for incidents.

The clock starts at detection (``detected_at`` from the station). Targets: customer notified within 2 h;
replacement shipped within 48 h; refund within 72 h; a short shipment is remedied by a credit (72 h).
The targets are the policy's upper bounds; a site wanting the tighter end changes the table below.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rules.events import IncidentKind
from sync.server import kpi_cells, webhooks
from sync.server.models import Incident, IncidentHistory
from sync.wire.incidents import CaseStatus, Remedy

logger = logging.getLogger(__name__)

NOTIFY_TARGET = timedelta(hours=2)
REMEDY_TARGETS: dict[Remedy, timedelta] = {
    Remedy.REPLACEMENT: timedelta(hours=48),
    Remedy.REFUND: timedelta(hours=72),
    Remedy.CREDIT: timedelta(hours=72),
}

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.CUSTOMER_NOTIFIED, CaseStatus.RESOLVED}),
    CaseStatus.CUSTOMER_NOTIFIED: frozenset(
        {CaseStatus.REPLACEMENT_SHIPPED, CaseStatus.REFUND_ISSUED, CaseStatus.CREDIT_ISSUED, CaseStatus.RESOLVED}
    ),
    CaseStatus.REPLACEMENT_SHIPPED: frozenset({CaseStatus.RESOLVED}),
    CaseStatus.REFUND_ISSUED: frozenset({CaseStatus.RESOLVED}),
    CaseStatus.CREDIT_ISSUED: frozenset({CaseStatus.RESOLVED}),
    CaseStatus.RESOLVED: frozenset(),
}

_REMEDY_OF_STATUS = {
    CaseStatus.REPLACEMENT_SHIPPED: Remedy.REPLACEMENT,
    CaseStatus.REFUND_ISSUED: Remedy.REFUND,
    CaseStatus.CREDIT_ISSUED: Remedy.CREDIT,
}


class CaseError(Exception):
    """Base of case errors; ``status_code`` is the HTTP answer."""

    status_code = 409


class IncidentNotFound(CaseError):
    status_code = 404


class InvalidTransition(CaseError):
    status_code = 409


class CaseChanged(InvalidTransition):
    """Someone else moved the case after the caller read it (the version it acted on is stale)."""


def default_remedy(kind: str | None) -> Remedy:
    """Short shipments are credited; everything else gets a replacement unless staff choose a refund."""
    return Remedy.CREDIT if kind == IncidentKind.SHORT else Remedy.REPLACEMENT


def due_times(detected_at: datetime, remedy: Remedy) -> tuple[datetime, datetime]:
    return detected_at + NOTIFY_TARGET, detected_at + REMEDY_TARGETS[remedy]


def breaching(incident: Incident, now: datetime) -> list[str]:
    """Targets missed (done late) or overdue (not done, case still open at ``now``)."""
    missed = []
    if incident.notify_due_at is not None:
        done = incident.notified_at
        if (done is not None and done > incident.notify_due_at) or (
            done is None and incident.resolved_at is None and now > incident.notify_due_at
        ):
            missed.append("notify")
    if incident.remedy_due_at is not None:
        done = incident.remedied_at
        if (done is not None and done > incident.remedy_due_at) or (
            done is None and incident.resolved_at is None and now > incident.remedy_due_at
        ):
            missed.append("remedy")
    return missed


def transition(
    session: Session,
    incident_id: uuid.UUID,
    to: CaseStatus,
    *,
    note: str,
    actor: str | None,
    now: datetime,
    expected_version: int | None = None,
    details: dict[str, Any] | None = None,
) -> Incident:
    """Move a case one step; raises ``IncidentNotFound``, ``InvalidTransition`` or ``CaseChanged``.

    The UPDATE is conditional on the status and version read (and bumps the version), so two staff
    members clicking at once cannot both succeed: the loser gets a 409 instead of silently overwriting.
    ``expected_version`` is the version the caller's page showed (the console's forms carry it): when the
    case has moved since, the action is refused even if the step would still be allowed. ``details``
    (channel, tracking number, amount...) go into the history row beside the note.
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(f"no incident {incident_id}")
    if expected_version is not None and incident.version != expected_version:
        raise CaseChanged(f"the case was changed by someone else (now {incident.case_status}); reload and retry")
    if incident.detected_at is None:
        raise InvalidTransition("the incident.opened event for this incident has not arrived yet")
    current = CaseStatus(incident.case_status)
    if to not in ALLOWED[current]:
        allowed = ", ".join(sorted(ALLOWED[current])) or "none (resolved is final)"
        raise InvalidTransition(f"cannot move a case from {current} to {to}; allowed next: {allowed}")
    if current is CaseStatus.OPEN and to is CaseStatus.RESOLVED and not note.strip():
        raise InvalidTransition("resolving a case without notifying the customer needs a note saying why")

    values: dict[str, object] = {"case_status": to.value, "version": incident.version + 1}
    if to is CaseStatus.CUSTOMER_NOTIFIED:
        values["notified_at"] = now
    elif to in _REMEDY_OF_STATUS:
        remedy = _REMEDY_OF_STATUS[to]
        values.update(remedy=remedy.value, remedied_at=now, remedy_due_at=due_times(incident.detected_at, remedy)[1])
    elif to is CaseStatus.RESOLVED:
        values["resolved_at"] = now
    result = session.execute(
        update(Incident)
        .where(
            Incident.incident_id == incident_id,
            Incident.case_status == current.value,
            Incident.version == incident.version,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CaseChanged("the case was changed by someone else just now; reload and retry")
    event_id = uuid.uuid4()  # names the transition in the history and in the case.changed webhook
    session.add(
        IncidentHistory(
            incident_id=incident_id,
            at=now,
            kind="case.transition",
            actor=actor,
            from_status=current.value,
            to_status=to.value,
            note=note,
            details=details,
            event_id=event_id,
        )
    )
    session.flush()
    session.refresh(incident)
    kpi_cells.incident_moved(session, incident)  # its day's KPI cell (same transaction)
    webhooks.on_case_changed(session, incident, current.value, event_id, now, details)
    logger.info("case %s: %s -> %s by %s", incident_id, current, to, actor)
    return incident


def history(session: Session, incident_id: uuid.UUID) -> list[IncidentHistory]:
    return list(
        session.scalars(
            select(IncidentHistory)
            .where(IncidentHistory.incident_id == incident_id)
            .order_by(IncidentHistory.at, IncidentHistory.id)
        )
    )
