"""The incidents' JSON API: the list and one incident with its remediation case (admin), a case step
(admin), the site's flagged queue (station token) and the day's KPIs (admin). The console works the same
cases through `sync.server.cases`; these routes are for systems and scripts."""

# No "from __future__ import annotations": FastAPI resolves the handler annotations (aliases passed in).
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.events import IncidentKind
from rules.fields import StationId
from rules.storable import Day
from sync.server import cases, ingest, kpis
from sync.server import site as site_view
from sync.server.models import Incident, Station
from sync.server.responses import ERROR_BODY
from sync.wire import API_PREFIX
from sync.wire.incidents import (
    MAX_SITE_INCIDENTS,
    BenchStatus,
    Case,
    CaseStatus,
    CaseTransition,
    HistoryEntry,
    IncidentDetail,
    IncidentList,
    IncidentSummary,
    Remedy,
    SiteIncidentList,
)
from sync.wire.kpis import Kpis
from sync.wire.orders import SiteName


def router(
    session_dep: Any,
    station_dep: Any,
    admin_dep: Any,
    write_lock: AbstractContextManager[Any],
    clock: Callable[[], datetime],
    wake_dispatcher: Callable[[], None],
    responses: dict[int | str, dict[str, Any]],
) -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)

    def _summary(inc: Incident, site: str | None) -> dict:
        return dict(
            incident_id=inc.incident_id,
            station_id=inc.station_id,
            site=site,
            order_id=inc.order_id,
            kind=inc.kind,
            code=inc.code,
            bench_status=ingest.bench_status(inc),
            detected_at=inc.detected_at,
            case_status=inc.case_status,
        )

    def _detail(db: Session, inc: Incident) -> IncidentDetail:
        return IncidentDetail(
            **_summary(inc, site_view.site_of(db, inc.station_id)),
            packer_id=inc.packer_id,
            expected=inc.expected or [],
            missing=inc.missing or [],
            weight=inc.weight,
            suggested_remediation=inc.suggested_remediation or "",
            evidence_file=inc.evidence_file,
            resolution=inc.resolution,
            logged_at=inc.logged_at,
            case=Case(
                status=CaseStatus(inc.case_status),
                remedy=Remedy(inc.remedy),
                notify_due_at=inc.notify_due_at,
                remedy_due_at=inc.remedy_due_at,
                notified_at=inc.notified_at,
                remedied_at=inc.remedied_at,
                resolved_at=inc.resolved_at,
                breaching=cases.breaching(inc, clock()),
            ),
            history=[
                HistoryEntry(
                    at=h.at,
                    kind=h.kind,
                    actor=h.actor,
                    from_status=h.from_status,
                    to_status=h.to_status,
                    note=h.note,
                    details=h.details or None,
                )
                for h in cases.history(db, inc.incident_id)
            ],
        )

    @api.get("/incidents", response_model=IncidentList, responses=responses)
    def list_incidents(
        who: admin_dep,
        db: session_dep,
        status: CaseStatus | None = None,
        station: Annotated[StationId | None, Query()] = None,
        kind: IncidentKind | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    ) -> IncidentList:
        """Incidents, newest detection first, with station, order, kind, code and case status (admin)."""
        query = select(Incident, Station.site).outerjoin(Station, Station.station_id == Incident.station_id)
        if status is not None:
            query = query.where(Incident.case_status == status.value)
        if station is not None:
            query = query.where(Incident.station_id == station)
        if kind is not None:
            query = query.where(Incident.kind == kind.value)
        query = (
            query.order_by(Incident.detected_at.desc().nulls_last(), Incident.incident_id).limit(limit).offset(offset)
        )
        return IncidentList(incidents=[IncidentSummary(**_summary(inc, site)) for inc, site in db.execute(query)])

    @api.get(
        "/incidents/{incident_id}",
        response_model=IncidentDetail,
        responses={**responses, 404: {"description": "No such incident.", **ERROR_BODY}},
    )
    def get_incident(incident_id: uuid.UUID, who: admin_dep, db: session_dep) -> IncidentDetail:
        """One incident with its remediation case, due times and full history (admin)."""
        inc = db.get(Incident, incident_id)
        if inc is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return _detail(db, inc)

    @api.post(
        "/incidents/{incident_id}/case",
        response_model=IncidentDetail,
        responses={
            **responses,
            404: {"description": "No such incident.", **ERROR_BODY},
            409: {"description": "Transition not allowed from the current status.", **ERROR_BODY},
        },
    )
    def post_case(incident_id: uuid.UUID, body: CaseTransition, who: admin_dep, db: session_dep) -> IncidentDetail:
        """Move the remediation case one step (admin); the note, actor and details go into the history."""
        with write_lock:
            try:
                inc = cases.transition(
                    db,
                    incident_id,
                    body.status,
                    note=body.note,
                    actor=body.actor or who.subject,
                    now=clock(),
                    details=body.details.stored() if body.details else None,
                )
            except cases.CaseError as exc:
                db.rollback()
                raise HTTPException(exc.status_code, str(exc)) from exc
            db.commit()
        wake_dispatcher()
        return _detail(db, inc)

    @api.get("/site/incidents", response_model=SiteIncidentList, responses=responses)
    def get_site_incidents(
        who: station_dep,
        db: session_dep,
        status: Annotated[
            BenchStatus, Query(description="Bench status; open = blocked, waiting for a supervisor.")
        ] = BenchStatus.OPEN,
        limit: Annotated[int, Query(ge=1, le=MAX_SITE_INCIDENTS)] = 500,
    ) -> SiteIncidentList:
        """Incidents of every station in the calling station's site, oldest first (station token).

        The site is the one the token's station was registered with; a station without a site gets only
        its own incidents. No parameter can widen the scope, so one site never sees another's."""
        return site_view.site_incidents(db, who.subject, status, limit)

    @api.get("/kpis", response_model=Kpis, responses=responses)
    def get_kpis(
        who: admin_dep,
        db: session_dep,
        day: Annotated[Day | None, Query(description="UTC day, YYYY-MM-DD; default today")] = None,
        station: Annotated[StationId | None, Query()] = None,
        site: Annotated[SiteName | None, Query()] = None,
    ) -> Kpis:
        """Key figures for one UTC day, optionally for one station or site (admin)."""
        now = clock()
        return kpis.compute_kpis(db, day or now.date(), now, station=station, site=site)

    return api
