"""The webhooks' JSON API (admin token): the endpoints and each one's delivery log. Read-only: endpoints are
added and removed with ``packgate-central webhook ...`` (or the console), and the secret is never shown."""

# No "from __future__ import annotations": FastAPI resolves the handler annotations (aliases passed in).

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from sync.server import webhooks
from sync.server.models import Webhook, WebhookDelivery
from sync.server.responses import ERROR_BODY
from sync.wire import API_PREFIX


class WebhookInfo(BaseModel):
    id: str
    url: str
    events: list[str]
    created_at: datetime
    removed_at: datetime | None
    deliveries: dict[str, int]  # count per status: pending, delivered, failed, cancelled


class WebhookList(BaseModel):
    webhooks: list[WebhookInfo]


class DeliveryInfo(BaseModel):
    id: int
    event_id: uuid.UUID
    event_type: str
    status: str
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    delivered_at: datetime | None


class DeliveryLog(BaseModel):
    webhook_id: str
    deliveries: list[DeliveryInfo]  # newest first


def webhook_info(hook: Webhook, counts: dict[str, int]) -> WebhookInfo:
    return WebhookInfo(
        id=hook.id,
        url=hook.url,
        events=list(hook.events or []),
        created_at=hook.created_at,
        removed_at=hook.removed_at,
        deliveries=counts,
    )


def delivery_info(d: WebhookDelivery) -> DeliveryInfo:
    return DeliveryInfo(
        id=d.id,
        event_id=d.event_id,
        event_type=d.event_type,
        status=d.status,
        attempts=d.attempts,
        created_at=d.created_at,
        last_attempt_at=d.last_attempt_at,
        next_attempt_at=d.next_attempt_at,
        last_status=d.last_status,
        last_error=d.last_error,
        delivered_at=d.delivered_at,
    )


def router(session_dep: Any, admin_dep: Any, responses: dict[int | str, dict]) -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)

    @api.get("/webhooks", response_model=WebhookList, responses=responses)
    def get_webhooks(who: admin_dep, db: session_dep, removed: bool = False) -> WebhookList:
        """Webhook endpoints with their delivery counts (admin)."""
        return WebhookList(
            webhooks=[webhook_info(h, c) for h, c in webhooks.list_webhooks(db, include_removed=removed)]
        )

    @api.get(
        "/webhooks/{webhook_id}/deliveries",
        response_model=DeliveryLog,
        responses={**responses, 404: {"description": "No such webhook.", **ERROR_BODY}},
    )
    def get_deliveries(
        webhook_id: str,
        who: admin_dep,
        db: session_dep,
        status: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        before: Annotated[
            int | None, Query(ge=1, le=2**62, description="Only deliveries older than this id (the next page).")
        ] = None,
    ) -> DeliveryLog:
        """One endpoint's delivery log, newest first: status, attempts, last answer or error, next attempt.
        Page back with ``before`` = the last id of the page."""
        try:
            rows = webhooks.deliveries(db, webhook_id, status, limit, before)
        except webhooks.WebhookError as exc:
            raise HTTPException(404, str(exc)) from exc
        return DeliveryLog(webhook_id=webhook_id, deliveries=[delivery_info(d) for d in rows])

    return api
