"""The site view for stations: the flagged incidents of every station in the caller's site.

A supervisor at one bench is responsible for the whole floor, so the station's flagged queue can show the
packages blocked at the neighbouring benches too. The scope comes from the *token*, never from a request
parameter: a station sees the stations registered with the same site (``packgate-central token issue ST
--site SITE``) and nothing else; a station registered without a site sees only its own incidents, because
"no site" is not a site that all such stations share.

Bench status is derived from the stored times exactly as ``ingest.bench_status`` does it (cleared wins
over an earlier escalation, an escalation after a clearance re-opens the matter as escalated), but in SQL,
so the limit applies to the rows that match rather than to a page filtered afterwards.
"""

from __future__ import annotations

import logging

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from rules.events import IncidentKind
from sync.server import ingest
from sync.server.models import Incident, Station
from sync.wire.incidents import BenchStatus, CaseStatus, SiteIncident, SiteIncidentList

logger = logging.getLogger(__name__)


def _bench_status_is(status: BenchStatus) -> ColumnElement[bool]:
    opened = Incident.detected_at.is_not(None)
    if status is BenchStatus.OPEN:
        return and_(opened, Incident.cleared_at.is_(None), Incident.escalated_at.is_(None))
    if status is BenchStatus.ESCALATED:
        return and_(
            opened,
            Incident.escalated_at.is_not(None),
            or_(Incident.cleared_at.is_(None), Incident.cleared_at < Incident.escalated_at),
        )
    return and_(
        opened,
        Incident.cleared_at.is_not(None),
        or_(Incident.escalated_at.is_(None), Incident.cleared_at >= Incident.escalated_at),
    )


def site_of(session: Session, station_id: str) -> str | None:
    """The site ``station_id`` is registered with (None: none, or an unknown station)."""
    return session.scalar(select(Station.site).where(Station.station_id == station_id))


def site_scope(
    session: Session, station_id: str, column: InstrumentedAttribute[str]
) -> tuple[str | None, ColumnElement[bool]]:
    """``station_id``'s site, and the condition on a station-id ``column`` that keeps the rows of the stations
    in its scope: every station registered with that site, or ``station_id`` alone when it has none."""
    site = site_of(session, station_id)
    if site is None:
        return None, column == station_id
    return site, column.in_(select(Station.station_id).where(Station.site == site))


def site_incidents(session: Session, station_id: str, status: BenchStatus, limit: int) -> SiteIncidentList:
    """Incidents with bench status ``status`` of ``station_id``'s site, oldest detection first.

    Incidents whose ``incident.opened`` has not arrived yet (``pending``) are left out: without a kind,
    order or detection time there is nothing a supervisor could act on.
    """
    site, scope = site_scope(session, station_id, Incident.station_id)
    query = (
        select(Incident)
        .where(scope, _bench_status_is(status))
        .order_by(Incident.detected_at, Incident.incident_id)
        .limit(limit + 1)
    )
    found = list(session.scalars(query))
    incidents = []
    for inc in found[:limit]:
        assert inc.detected_at is not None  # guaranteed by _bench_status_is
        incidents.append(
            SiteIncident(
                incident_id=inc.incident_id,
                station_id=inc.station_id,
                order_id=inc.order_id,
                kind=IncidentKind(inc.kind) if inc.kind is not None else None,
                code=inc.code,
                packer_id=inc.packer_id,
                detected_at=inc.detected_at,
                bench_status=BenchStatus(ingest.bench_status(inc)),
                case_status=CaseStatus(inc.case_status),
            )
        )
    logger.debug("site view for %s (site %s): %d %s incident(s)", station_id, site, len(incidents), status.value)
    return SiteIncidentList(station_id=station_id, site=site, incidents=incidents, truncated=len(found) > limit)
