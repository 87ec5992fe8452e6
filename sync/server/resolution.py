"""``GET /api/v1/orders/{order_id}/resolution``: what a customer-facing system (shop, helpdesk) shows about
an order -- its incidents, their case states, remedies and history -- and nothing internal.

Kept from each step's details: the channel the customer was told by, the carrier and tracking number of
a replacement, the amount and currency of a refund or credit (``customer_facing``).

Left out on purpose: the message staff typed when notifying, notes (free text written for colleagues: a supervisor's clearance reason, a case
note), actors (packer, supervisor and staff names are personal data of employees), scanned codes, the
station's suggested remediation and the SLA ``breaching`` flags. The history keeps what happened and
when (``incident.opened``, ``incident.cleared``, ``case.transition`` from/to), which is what a customer
is told.

Readable with an admin token or a *resolution* token (``packgate-central token issue --kind resolution
NAME``): read-only, and refused (403, before the body is read) on every other path and method by
``scope_check``, which the guard middleware applies to every request.
"""

# No "from __future__ import annotations": FastAPI resolves the handler annotations (aliases passed in).

import logging
import re
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import Incident, IncidentHistory, Order
from sync.server.responses import ERROR_BODY
from sync.server.tokens import ADMIN, METRICS, RESOLUTION, Principal
from sync.wire import API_PREFIX
from sync.wire.incidents import CaseStatus, Remedy, customer_facing

logger = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
RESOLUTION_PATH = re.compile(rf"^{re.escape(API_PREFIX)}/orders/.+/resolution\Z", re.DOTALL)


def scope_check(principal: Principal, method: str, path: str) -> str | None:
    """Why ``principal`` may not make this request (None: it may, as far as its kind goes). The two
    read-only kinds, resolution and metrics, each read one thing."""
    reading = method in ("GET", "HEAD")
    if principal.kind == RESOLUTION and not (reading and RESOLUTION_PATH.match(path)):
        return "a resolution token reads GET /api/v1/orders/{order_id}/resolution only"
    if principal.kind == METRICS and not (reading and path == METRICS_PATH):
        return "a metrics token reads GET /metrics only"
    return None


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResolutionCase(_Out):
    status: CaseStatus
    remedy: Remedy
    notify_due_at: datetime | None
    remedy_due_at: datetime | None
    notified_at: datetime | None
    remedied_at: datetime | None
    resolved_at: datetime | None


class ResolutionStep(_Out):
    at: datetime
    kind: str = Field(description="incident.opened | incident.cleared | incident.escalated | case.transition")
    from_status: str | None = None
    to_status: str | None = None
    details: dict[str, str] | None = Field(
        default=None,
        description="What the step recorded for the customer: channel; carrier and tracking; amount and currency.",
    )


class MissingLine(_Out):
    sku: str | None = None
    description: str | None = None
    missing: int | None = None


class ResolutionIncident(_Out):
    incident_id: uuid.UUID
    kind: str
    detected_at: datetime
    missing: list[MissingLine]
    case: ResolutionCase
    history: list[ResolutionStep]


class OrderResolution(_Out):
    order_id: str
    incidents: list[ResolutionIncident] = Field(description="Oldest detection first.")


def order_resolution(session: Session, order_id: str) -> OrderResolution | None:
    """None when central knows neither the order nor an incident of it."""
    incidents = list(
        session.scalars(
            select(Incident)
            .where(Incident.order_id == order_id, Incident.detected_at.is_not(None))
            .order_by(Incident.detected_at, Incident.incident_id)
        )
    )
    if not incidents and session.get(Order, order_id) is None:
        return None
    steps: dict[uuid.UUID, list[ResolutionStep]] = {i.incident_id: [] for i in incidents}
    if steps:
        for h in session.scalars(
            select(IncidentHistory)
            .where(IncidentHistory.incident_id.in_(list(steps)))
            .order_by(IncidentHistory.at, IncidentHistory.id)
        ):
            steps[h.incident_id].append(
                ResolutionStep(
                    at=h.at,
                    kind=h.kind,
                    from_status=h.from_status,
                    to_status=h.to_status,
                    details=customer_facing(h.details),
                )
            )
    return OrderResolution(
        order_id=order_id,
        incidents=[
            ResolutionIncident(
                incident_id=i.incident_id,
                kind=i.kind or "",
                detected_at=i.detected_at,
                missing=[
                    MissingLine(sku=m.get("sku"), description=m.get("description"), missing=m.get("missing"))
                    for m in i.missing or []
                    if isinstance(m, dict)
                ],
                case=ResolutionCase(
                    status=CaseStatus(i.case_status),
                    remedy=Remedy(i.remedy),
                    notify_due_at=i.notify_due_at,
                    remedy_due_at=i.remedy_due_at,
                    notified_at=i.notified_at,
                    remedied_at=i.remedied_at,
                    resolved_at=i.resolved_at,
                ),
                history=steps[i.incident_id],
            )
            for i in incidents
            if i.detected_at is not None
        ],
    )


def router(session_dep: Any, principal_dep: Any, responses: dict[int | str, dict]) -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)

    def reader(who: Annotated[Principal, Depends(principal_dep)]) -> Principal:
        if who.kind not in (ADMIN, RESOLUTION):
            raise HTTPException(403, "this endpoint takes an admin or a resolution token")
        return who

    @api.get(
        "/orders/{order_id:path}/resolution",
        response_model=OrderResolution,
        responses={**responses, 404: {"description": "Central knows no such order.", **ERROR_BODY}},
    )
    def get_resolution(order_id: str, who: Annotated[Principal, Depends(reader)], db: session_dep) -> OrderResolution:
        """An order's incidents, case states, remedies and history, without internal notes (admin or
        resolution token)."""
        if not 1 <= len(order_id) <= 128 or not order_id.isprintable():
            # No order can have this id (the wire's limits), and PostgreSQL would refuse a NUL in the query.
            raise HTTPException(404, "no such order: an order id is 1-128 printable characters")
        found = order_resolution(db, order_id)
        if found is None:
            raise HTTPException(404, f"central knows no order {order_id!r}")
        return found

    return api
