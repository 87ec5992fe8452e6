"""The case queue and the case page with its action forms (service role and above)."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.events import IncidentKind
from sync.server import cases, evidence
from sync.server import ingest as ingest_view
from sync.server.console import actions, auth
from sync.server.console import queue as queue_view
from sync.server.console.web import PREFIX, Console, redirect
from sync.server.models import Incident, IncidentHistory, Order, Station

logger = logging.getLogger(__name__)

STATUS_WORDS = {
    "open": "Open",
    "customer_notified": "Customer notified",
    "replacement_shipped": "Replacement shipped",
    "refund_issued": "Refund issued",
    "credit_issued": "Credit issued",
    "resolved": "Resolved",
}
HISTORY_WORDS = {
    "incident.opened": "Detected at the bench",
    "incident.cleared": "Cleared at the bench",
    "incident.escalated": "Escalated at the bench",
    "case.transition": "Case",
}


def _parse_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def router(c: Console) -> APIRouter:
    r = APIRouter(prefix=PREFIX)

    @r.get("/", response_class=HTMLResponse, include_in_schema=False)
    def queue(request: Request) -> Response:
        who = c.require(request, auth.SERVICE)
        filters = queue_view.Filters.from_query(dict(request.query_params))
        now = c.now()
        with c.db() as s:
            page = queue_view.load(s, filters, now)
            sites, stations = queue_view.sites_and_stations(s)
        return c.page(
            request,
            "queue.html",
            who=who,
            page=page,
            f=filters,
            sites=sites,
            stations=stations,
            kinds=[k.value for k in IncidentKind],
            statuses=STATUS_WORDS,
            ages={"": "any age", "2h": "over 2 h", "24h": "over 24 h", "48h": "over 48 h", "72h": "over 72 h"},
        )

    def _case_page(
        request: Request,
        s: Session,
        who: auth.SignedIn,
        inc: Incident,
        *,
        status: int = 200,
        errors: dict[str, str] | None = None,
        failed_action: str = "",
        form: dict[str, str] | None = None,
        conflict: str = "",
        done: str = "",
    ) -> Response:
        now = c.now()
        site = s.scalar(select(Station.site).where(Station.station_id == inc.station_id))
        order = s.get(Order, inc.order_id) if inc.order_id else None
        history = cases.history(s, inc.incident_id)
        clearance = [h for h in history if h.kind in ("incident.cleared", "incident.escalated")]
        due_at, due_what = queue_view.due_of(inc)
        image = evidence.evidence_of(s, inc.incident_id)
        return c.page(
            request,
            "case.html",
            status=status,
            who=who,
            inc=inc,
            site=site,
            order=order.body if order is not None else None,
            bench_status=ingest_view.bench_status(inc),
            history=history,
            clearance=clearance,
            image=image,
            due_at=due_at,
            due_what=due_what,
            breaching=cases.breaching(inc, now),
            actions=actions.allowed_actions(inc),
            channels=actions.CHANNELS,
            currencies=actions.CURRENCIES,
            statuses=STATUS_WORDS,
            history_words=HISTORY_WORDS,
            summary=actions.summary,
            errors=errors or {},
            failed_action=failed_action,
            form=form or {},
            conflict=conflict,
            done=done,
        )

    def _not_found(request: Request, who: auth.SignedIn, raw: str) -> Response:
        return c.page(
            request,
            "message.html",
            status=404,
            who=who,
            title="No such case",
            message=f"There is no case {raw[:80]}. It may have been typed wrong; the queue lists every open case.",
        )

    @r.get("/cases/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def case_page(request: Request, incident_id: str, done: str = "") -> Response:
        who = c.require(request, auth.SERVICE)
        iid = _parse_id(incident_id)
        with c.db() as s:
            inc = s.get(Incident, iid) if iid else None
            if inc is None:
                return _not_found(request, who, incident_id)
            return _case_page(request, s, who, inc, done=done if done in actions.ACTIONS else "")

    @r.get("/cases/{incident_id}/evidence", include_in_schema=False)
    def case_evidence(request: Request, incident_id: str) -> Response:
        """The incident's evidence image from the blob store, as uploaded (any signed-in role)."""
        who = c.require(request, auth.SERVICE)
        iid = _parse_id(incident_id)
        with c.db() as s:
            blob = evidence.evidence_of(s, iid) if iid else None
        store = c.blobs()
        data = store.get(blob.sha256) if blob is not None and store is not None else None
        if blob is None or data is None:
            return c.page(
                request,
                "message.html",
                status=404,
                who=who,
                title="No evidence image",
                message="No evidence image uploaded (yet) for this case.",
            )
        return Response(data, media_type=blob.content_type, headers=evidence.image_headers(blob.sha256))

    @r.post("/cases/{incident_id}/actions", response_class=HTMLResponse, include_in_schema=False)
    def act(
        request: Request,
        incident_id: str,
        csrf: Annotated[str, Form()] = "",
        action: Annotated[str, Form()] = "",
        version: Annotated[str, Form()] = "",
        channel: Annotated[str, Form()] = "",
        message: Annotated[str, Form()] = "",
        carrier: Annotated[str, Form()] = "",
        tracking: Annotated[str, Form()] = "",
        amount: Annotated[str, Form()] = "",
        currency: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
    ) -> Response:
        who = c.posted(request, auth.SERVICE, csrf)
        iid = _parse_id(incident_id)
        form = dict(
            channel=channel, message=message, carrier=carrier, tracking=tracking, amount=amount, currency=currency
        )
        form["note"] = note
        with c.db() as s:
            inc = s.get(Incident, iid) if iid else None
            if inc is None or iid is None:
                return _not_found(request, who, incident_id)
            chosen = actions.ACTIONS.get(action)
            if chosen is None or not version.isdigit() or len(version) > 12:
                return _case_page(
                    request, s, who, inc, status=422, conflict="The form was incomplete; nothing was changed."
                )
            try:
                with c.writing(s):
                    actions.perform(s, iid, chosen, form, actor=who.name, version=int(version), now=c.now())
                    s.commit()
                c.wake_dispatcher()  # the case.changed deliveries go now, not at the next poll
            except actions.FormInvalid as exc:
                s.rollback()
                return _case_page(
                    request, s, who, inc, status=422, errors=exc.errors, failed_action=chosen.name, form=form
                )
            except cases.CaseChanged:
                s.rollback()
                s.expire_all()
                inc = s.get(Incident, iid)
                assert inc is not None
                last = s.scalars(
                    select(IncidentHistory)
                    .where(IncidentHistory.incident_id == iid, IncidentHistory.kind == "case.transition")
                    .order_by(IncidentHistory.at.desc(), IncidentHistory.id.desc())
                    .limit(1)
                ).first()
                by = f" by {last.actor}" if last is not None and last.actor else ""
                return _case_page(
                    request,
                    s,
                    who,
                    inc,
                    status=409,
                    failed_action=chosen.name,
                    form=form,
                    conflict=(
                        f"Not saved: this case was changed{by} while you were looking at it; it is now "
                        f"“{STATUS_WORDS.get(inc.case_status, inc.case_status)}”. Check the history below and "
                        "act again if it is still needed."
                    ),
                )
            except cases.CaseError as exc:
                s.rollback()
                return _case_page(request, s, who, inc, status=409, conflict=f"Not saved: {exc}.")
        logger.info("console: %s did %s on case %s", who.name, chosen.name, iid)
        return redirect(f"{PREFIX}/cases/{iid}?done={chosen.name}")

    return r
