"""Webhooks for customer-facing systems (shop, helpdesk): endpoints, the events they get, the signature.

``packgate-central webhook add URL --events incident.opened,case.changed [--secret S]`` registers an
endpoint. Each event is written into ``webhook_deliveries`` -- one row per subscribed endpoint -- by the
*same transaction* as the change that causes it (the ingest of ``incident.opened``, a case transition), so
a change is never committed without its deliveries, nor the other way round. ``sync.server.dispatch``
delivers them at least once. The body of a delivery is fixed when it is queued, so every retry sends and
signs the same bytes:

    {"id": "<event uuid>", "type": "case.changed", "created_at": "2026-12-01T20:15:02Z",
     "api_version": 1, "data": {...}}

Signature (Stripe's scheme, named as in the issue): ``PackGate-Signature: t=<unix seconds>,v1=<hex
HMAC-SHA256(secret, "<t>.<raw body>")>``, ``t`` being the time of the attempt. The receiver recomputes it
over the raw body, compares in constant time against *every* ``v1`` in the header (two of them while a
rotated secret overlaps: sync/server/webhook_secrets.py), refuses a ``t`` more than 5 minutes away (a replay), and
uses ``id`` (also in the ``Idempotency-Key`` header) to drop repeats: at-least-once means a receiver may
see an event twice. ``verify_signature`` below is the reference check (sync/PROTOCOL.md shows it).

Nothing internal goes out: no notes, no actors (staff or packers), no scanned codes; see the payloads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sync.server.models import Incident, Webhook, WebhookDelivery
from sync.wire.incidents import customer_facing

logger = logging.getLogger(__name__)

INCIDENT_OPENED = "incident.opened"
CASE_CHANGED = "case.changed"
EVENT_TYPES = (INCIDENT_OPENED, CASE_CHANGED)
SIGNATURE_HEADER = "PackGate-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SIGNATURE_TOLERANCE_S = 300
MIN_SECRET_LENGTH = 16
PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"
DELIVERY_STATUSES = (PENDING, DELIVERED, FAILED, CANCELLED)


class WebhookError(ValueError):
    """A webhook cannot be added or found; the message is for the person at the command line."""


# ------------------------------------------------------------------------------------------ signature


def sign(secret: str | Sequence[str], timestamp: int, body: bytes) -> str:
    """The ``PackGate-Signature`` header value for ``body`` sent at ``timestamp``: one ``v1`` per secret, in
    the order given (the current secret first, then a rotated-out one during its overlap)."""
    keys = [secret] if isinstance(secret, str) else list(secret)
    macs = [hmac.new(k.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest() for k in keys]
    return f"t={timestamp}," + ",".join(f"v1={mac}" for mac in macs)


def verify_signature(
    secret: str, header: str, body: bytes, now: float | None = None, tolerance: float = SIGNATURE_TOLERANCE_S
) -> bool:
    """What a receiver does: parse ``t`` and every ``v1``, refuse an old or future ``t``, compare in
    constant time."""
    parts = [p.partition("=") for p in header.split(",")]
    stamps = [v for k, _, v in parts if k.strip() == "t"]
    sigs = [v.strip() for k, _, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not sigs:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).partition(",v1=")[2]
    return any(hmac.compare_digest(expected, s) for s in sigs)


# ------------------------------------------------------------------------------------------ endpoints


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2048:
        raise WebhookError(f"not a webhook URL: {url!r} (http:// or https:// with a host, at most 2048 characters)")
    return url.strip()


def parse_events(text: str) -> list[str]:
    events = [e.strip() for e in text.split(",") if e.strip()]
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown or not events:
        raise WebhookError(
            f"unknown event type(s) {', '.join(unknown) or '(none given)'}: use {', '.join(EVENT_TYPES)}"
        )
    return sorted(set(events), key=EVENT_TYPES.index)


def add_webhook(
    session: Session, url: str, events: list[str], secret: str | None = None, now: datetime | None = None
) -> Webhook:
    """Register an endpoint; without ``secret`` one is generated (``whsec_`` + 256 random bits)."""
    url = _check_url(url)
    events = parse_events(",".join(events))
    if secret is None:
        secret = "whsec_" + secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET_LENGTH or len(secret) > 256 or not secret.isprintable():
        raise WebhookError(f"the secret must be {MIN_SECRET_LENGTH}-256 printable characters (or leave it out)")
    hook = Webhook(
        id="wh_" + secrets.token_hex(6),
        url=url,
        events=events,
        secret=secret,
        created_at=now or datetime.now(UTC),
        removed_at=None,
    )
    session.add(hook)
    logger.info("webhook %s added for %s (%s)", hook.id, url, ",".join(events))
    return hook


_WEBHOOK_ID = re.compile(r"^wh_[0-9a-f]{12}$")


def get_webhook(session: Session, webhook_id: str) -> Webhook:
    hook = session.get(Webhook, webhook_id) if _WEBHOOK_ID.match(webhook_id) else None
    if hook is None:
        if not _WEBHOOK_ID.match(webhook_id):
            raise WebhookError(f"no webhook with id {webhook_id[:40]!r}: ids look like wh_0123456789ab")
        raise WebhookError(f"no webhook with id {webhook_id!r} (see 'packgate-central webhook list')")
    return hook


def remove_webhook(session: Session, webhook_id: str, now: datetime | None = None) -> tuple[Webhook, int]:
    """Stop delivering to the endpoint; its pending deliveries are cancelled (kept in the log)."""
    hook = get_webhook(session, webhook_id)
    if hook.removed_at is None:
        hook.removed_at = now or datetime.now(UTC)
    cancelled = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == PENDING)
        .values(status=CANCELLED, next_attempt_at=None, last_error="webhook removed")
    ).rowcount  # type: ignore[attr-defined]
    logger.info("webhook %s removed; %d pending deliveries cancelled", webhook_id, cancelled)
    return hook, int(cancelled or 0)


def list_webhooks(session: Session, include_removed: bool = False) -> list[tuple[Webhook, dict[str, int]]]:
    """Endpoints with their delivery counts per status."""
    query = select(Webhook).order_by(Webhook.created_at, Webhook.id)
    if not include_removed:
        query = query.where(Webhook.removed_at.is_(None))
    hooks = list(session.scalars(query))
    counts: dict[str, dict[str, int]] = {h.id: dict.fromkeys(DELIVERY_STATUSES, 0) for h in hooks}
    rows = session.execute(
        select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count())
        .where(WebhookDelivery.webhook_id.in_(list(counts)))
        .group_by(WebhookDelivery.webhook_id, WebhookDelivery.status)
    )
    for webhook_id, status, n in rows:
        counts[webhook_id][status] = int(n)
    return [(h, counts[h.id]) for h in hooks]


def deliveries(
    session: Session, webhook_id: str, status: str | None = None, limit: int = 100, before: int | None = None
) -> list[WebhookDelivery]:
    """The delivery log of one endpoint, newest first; ``before`` (a delivery id) pages back to older ones.

    Paged by id rather than by offset, so a page stays the same while new deliveries arrive at the top."""
    get_webhook(session, webhook_id)
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if before is not None:
        query = query.where(WebhookDelivery.id < before)
    return list(session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)))


def send_again(
    session: Session, webhook_id: str, who: str, delivery_id: int | None = None, now: datetime | None = None
) -> int:
    """Put an endpoint's failed deliveries (or the one ``delivery_id``) back in the queue, due now, with a
    fresh budget of attempts: what a lead does once the receiver is fixed. The body (and so the event id the
    receiver drops repeats by) is the one queued at first. Returns how many were queued again.

    Refused for a removed endpoint, and for a delivery that is not failed: a pending one is already queued,
    a delivered one would be a repeat the receiver did not ask for."""
    hook = get_webhook(session, webhook_id)
    if hook.removed_at is not None:
        raise WebhookError(f"webhook {webhook_id} was removed: add it again to send to {hook.url}")
    now = now or datetime.now(UTC)
    query = update(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == FAILED)
    if delivery_id is not None:
        found = session.get(WebhookDelivery, delivery_id)
        if found is None or found.webhook_id != webhook_id:
            raise WebhookError(f"webhook {webhook_id} has no delivery {delivery_id}")
        if found.status != FAILED:
            raise WebhookError(f"delivery {delivery_id} is {found.status}, not failed: nothing to send again")
        query = query.where(WebhookDelivery.id == delivery_id)
    if delivery_id is None:  # the receiver is fixed: what waits for a retry goes now as well
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.webhook_id == webhook_id,
                WebhookDelivery.status == PENDING,
                WebhookDelivery.next_attempt_at > now,
                WebhookDelivery.last_attempt_at.is_not(None),
            )
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
    hook.held_until = None
    note = f"sent again by {who[:64]} at {_iso(now)}"
    queued = session.execute(
        query.values(
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            # The old answer stays readable until the next attempt replaces it.
            last_error=func.coalesce(WebhookDelivery.last_error, "") + f" ({note})",
        ).execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    logger.info("webhook %s: %d failed deliveries %s", webhook_id, queued, note)
    return int(queued or 0)


# ------------------------------------------------------------------------------------------ the queue


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def case_data(incident: Incident) -> dict[str, Any]:
    return {
        "status": incident.case_status,
        "remedy": incident.remedy,
        "notify_due_at": _iso(incident.notify_due_at),
        "remedy_due_at": _iso(incident.remedy_due_at),
        "notified_at": _iso(incident.notified_at),
        "remedied_at": _iso(incident.remedied_at),
        "resolved_at": _iso(incident.resolved_at),
    }


def subscribers(session: Session, event_type: str) -> list[Webhook]:
    """The active endpoints that asked for ``event_type`` (a handful of rows: filtered here, not in JSON SQL)."""
    return [
        h
        for h in session.scalars(select(Webhook).where(Webhook.removed_at.is_(None)))
        if event_type in (h.events or [])
    ]


def enqueue(
    session: Session,
    event_type: str,
    event_id: uuid.UUID,
    data: dict[str, Any],
    now: datetime,
    hooks: list[Webhook] | None = None,
) -> int:
    """Queue ``event_type`` for every endpoint subscribed to it, in the caller's transaction; returns how
    many. A repeat of the same event id for an endpoint is ignored (the unique key)."""
    hooks = subscribers(session, event_type) if hooks is None else hooks
    if not hooks:
        return 0
    body = json.dumps(
        {"id": str(event_id), "type": event_type, "created_at": _iso(now), "api_version": 1, "data": data},
        ensure_ascii=True,
        separators=(",", ":"),
    )
    due = datetime.now(UTC)  # the queue runs on real time, whatever clock the case policy uses
    for hook in hooks:
        exists = session.scalar(
            select(WebhookDelivery.id).where(
                WebhookDelivery.webhook_id == hook.id, WebhookDelivery.event_id == event_id
            )
        )
        if exists is None:
            session.add(
                WebhookDelivery(
                    webhook_id=hook.id,
                    event_id=event_id,
                    event_type=event_type,
                    body=body,
                    status=PENDING,
                    attempts=0,
                    created_at=now,
                    next_attempt_at=due,
                )
            )
    session.flush()
    return len(hooks)


def on_incident_opened(
    session: Session,
    station_id: str,
    event_id: uuid.UUID,
    payload: Any,
    now: datetime,
    hooks: list[Webhook] | None = None,
) -> None:
    """Called by the ingest right after it projected a newly stored ``incident.opened`` (``hooks``: the
    subscribers, when the caller already looked them up for its whole batch)."""
    hooks = subscribers(session, INCIDENT_OPENED) if hooks is None else hooks
    if not hooks:
        return  # the common case: one small query, nothing else
    incident = session.get(Incident, payload.incident_id, populate_existing=True)
    if incident is None or incident.opened_event_id != event_id:
        return  # a second incident.opened of the same incident: the first one was announced
    data = {
        "incident_id": str(incident.incident_id),
        "order_id": incident.order_id,
        "station_id": station_id,
        "kind": incident.kind,
        "detected_at": _iso(incident.detected_at),
        "missing": [{k: m.get(k) for k in ("sku", "description", "missing")} for m in incident.missing or []],
        "case": case_data(incident),
    }
    enqueue(session, INCIDENT_OPENED, event_id, data, now, hooks)


def on_case_changed(
    session: Session,
    incident: Incident,
    from_status: str,
    event_id: uuid.UUID,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Called by ``cases.transition`` after the case moved (same transaction). ``details`` are the step's
    (channel, carrier and tracking, amount and currency); only their customer-facing part is sent."""
    data = {
        "incident_id": str(incident.incident_id),
        "order_id": incident.order_id,
        "station_id": incident.station_id,
        "from_status": from_status,
        "to_status": incident.case_status,
        "changed_at": _iso(now),
        "details": customer_facing(details),
        "case": case_data(incident),
    }
    enqueue(session, CASE_CHANGED, event_id, data, now)
