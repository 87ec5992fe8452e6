"""Rotating a webhook's signing secret without a window in which deliveries fail.

A shop that suspects its secret leaked (a log, a former contractor) wants a new one. Swapping it at once
would make every delivery fail from that moment until the receiver is redeployed with the new secret,
and the receiver cannot switch first, since it does not know the new one yet. So, as Stripe does, central
signs with *both* secrets for an overlap window (24 h by default):

    PackGate-Signature: t=1764620102,v1=<HMAC with the new secret>,v1=<HMAC with the old secret>

A receiver that checks "any ``v1`` matches" (sync/PROTOCOL.md, ``webhooks.verify_signature``) accepts the
deliveries whether it holds the old secret or the new one, so it can switch whenever it likes within the
window. After the window only the new signature is sent, and the old secret is forgotten. Rotating again
within a window drops the oldest secret: at most two are ever signed with.

``packgate-central webhook rotate-secret ID [--secret S] [--overlap-hours H]`` and the console's button on
the webhook page call ``rotate_secret``; the dispatcher calls ``signing_secrets`` before each attempt.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from sync.server.models import Webhook
from sync.server.webhooks import MIN_SECRET_LENGTH, WebhookError, get_webhook

logger = logging.getLogger(__name__)

DEFAULT_OVERLAP = timedelta(hours=24)
MAX_OVERLAP = timedelta(days=30)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def check_secret(secret: str) -> str:
    if len(secret) < MIN_SECRET_LENGTH or len(secret) > 256 or not secret.isprintable():
        raise WebhookError(f"the secret must be {MIN_SECRET_LENGTH}-256 printable characters (or leave it out)")
    return secret


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def signing_secrets(hook: Webhook, now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one first, then the previous one while its
    overlap lasts."""
    keys = [hook.secret]
    until = hook.previous_secret_until
    if hook.previous_secret and until is not None and _aware(now) < _aware(until):
        keys.append(hook.previous_secret)
    return keys


def rotate_secret(
    session: Session,
    webhook_id: str,
    secret: str | None = None,
    overlap: timedelta = DEFAULT_OVERLAP,
    now: datetime | None = None,
) -> Webhook:
    """Give the webhook a new secret (``secret``, or a random ``whsec_…``); the old one is still signed with
    for ``overlap`` (0: not at all). Does not commit; the new secret is ``hook.secret``."""
    hook = get_webhook(session, webhook_id)
    if hook.removed_at is not None:
        raise WebhookError(f"webhook {webhook_id} is removed: nothing is sent to it, so its secret is not rotated")
    if not timedelta(0) <= overlap <= MAX_OVERLAP:
        raise WebhookError(f"the overlap must be 0 to {MAX_OVERLAP.days * 24} hours")
    chosen = check_secret(secret) if secret is not None else new_secret()
    if chosen == hook.secret:
        raise WebhookError("the new secret is the current one: choose another (or leave it out for a random one)")
    now = now or datetime.now(UTC)
    if overlap > timedelta(0):
        hook.previous_secret, hook.previous_secret_until = hook.secret, now + overlap
    else:
        hook.previous_secret, hook.previous_secret_until = None, None
    hook.secret = chosen
    logger.info(
        "webhook %s: secret rotated; the old one is signed with %s",
        hook.id,
        f"until {hook.previous_secret_until:%Y-%m-%d %H:%M} UTC" if hook.previous_secret_until else "no more",
    )
    return hook
