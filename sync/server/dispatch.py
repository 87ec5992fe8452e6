"""The webhook dispatcher: delivers ``webhook_deliveries`` at least once, each endpoint on its own.

Started by the app's lifespan (so ``packgate-central serve`` runs it) as one named thread,
``webhook-dispatcher``, which looks for endpoints with a delivery due (``status = pending`` and
``next_attempt_at <= now``, an indexed query, every ``poll_s`` or when woken after a commit) and hands each
such endpoint to a pool of worker threads -- never two workers for one endpoint. A worker delivers that
endpoint's due deliveries oldest first and stops at its first failure: the endpoint is then *held* for
that delivery's backoff (``webhooks.held_until``, in the database so a restart, a second central process
and a lead's "send again" all see it), so a dead endpoint costs one request per backoff step, not one per
queued event, and it only ever occupies its own worker. Every request has a timeout (``RetryPolicy.timeout_s``,
10 s by default) and at most 512 bytes of the answer are read (streamed), so a slow or trickling
endpoint cannot keep a worker longer than that per delivery; with more slow
endpoints than workers (16) the healthy ones would wait, which is the limit of this design.

At least once, across restarts: a delivery is *claimed* before it is sent (``attempts + 1`` and
``next_attempt_at`` moved past the timeout, a conditional UPDATE, so two central processes never send
the same claim), and only a 2xx answer marks it ``delivered``. A crash or a stop between the send and
the record leaves it pending: it goes again after the claim lapses, and the receiver drops the repeat
by its ``Idempotency-Key``. Any other answer, a timeout or a refused connection is a failure, logged on
the row (``last_status``, ``last_error``) and retried after ``RetryPolicy.delay``: 10 s, 20 s, 40 s ...
doubling to at most 4 h, +0-10 % jitter, for 28 attempts (about 3 days), then ``failed``. Redirects are
not followed (a 3xx is a failure), as Stripe and GitHub do.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from sync.server import webhook_secrets, webhook_targets
from sync.server.models import Webhook, WebhookDelivery
from sync.server.webhooks import DELIVERED, FAILED, IDEMPOTENCY_HEADER, PENDING, SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    first_delay_s: float = 10.0
    factor: float = 2.0
    max_delay_s: float = 4 * 3600.0
    max_attempts: int = 28
    timeout_s: float = 10.0
    jitter: float = 0.1

    def delay(self, attempts: int) -> float:
        """Seconds before the next attempt after ``attempts`` failed ones."""
        base = min(self.first_delay_s * self.factor ** max(0, attempts - 1), self.max_delay_s)
        return base * (1.0 + random.uniform(0.0, self.jitter))


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite hands times back naive (they are stored in UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class WebhookDispatcher:
    """See the module docstring."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        policy: RetryPolicy | None = None,
        *,
        write_lock: Any = None,
        workers: int = 16,
        poll_s: float = 1.0,
        private_targets: bool = False,
    ) -> None:
        self._sessions = sessions
        self.policy = policy or RetryPolicy()
        self._lock = write_lock if write_lock is not None else contextlib.nullcontext()
        self._poll_s = poll_s
        self._private_targets = private_targets  # see sync/server/webhook_targets.py
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webhook")
        self._busy: set[str] = set()
        self._next_due: datetime | None = None  # the soonest a pending delivery or a hold falls due
        self._state = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="webhook-dispatcher", daemon=True)
        self._thread.start()
        logger.info("webhook dispatcher started")

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop looking for work and wait for the in-flight requests (each ends within its timeout)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._pool.shutdown(wait=True, cancel_futures=True)
        logger.info("webhook dispatcher stopped")

    # ------------------------------------------------------------------------------------------ loop

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._dispatch_due()
            except Exception:  # the database went away for a moment: log, and look again later
                logger.exception("webhook dispatcher: looking for due deliveries failed")
            self._wake.wait(self._next_wait())
            self._wake.clear()

    def _next_wait(self) -> float:
        """Until the next poll, or sooner when a retry or an endpoint's hold falls due before it."""
        if self._next_due is None:
            return self._poll_s
        return max(0.01, min(self._poll_s, (self._next_due - _now()).total_seconds()))

    def _dispatch_due(self) -> None:
        now = _now()
        not_held = or_(Webhook.held_until.is_(None), Webhook.held_until <= now)
        with self._sessions() as s:
            due = list(
                s.scalars(
                    select(WebhookDelivery.webhook_id)
                    .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                    .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now, not_held)
                    .distinct()
                )
            )
            soonest_retry = s.scalar(
                select(func.min(WebhookDelivery.next_attempt_at)).where(
                    WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at > now
                )
            )
            soonest_release = s.scalar(select(func.min(Webhook.held_until)).where(Webhook.held_until > now))
        found = [_aware(t) for t in (soonest_retry, soonest_release) if t is not None]
        self._next_due = min(found) if found else None
        for webhook_id in due:
            with self._state:
                if webhook_id in self._busy or self._stop.is_set():
                    continue
                self._busy.add(webhook_id)
            try:
                self._pool.submit(self._serve_endpoint, webhook_id)
            except RuntimeError:  # the pool is shutting down
                with self._state:
                    self._busy.discard(webhook_id)

    def _serve_endpoint(self, webhook_id: str) -> None:
        try:
            with self._sessions() as s:
                hook = s.get(Webhook, webhook_id)
                if hook is None or hook.removed_at is not None:
                    return
                url = hook.url
            timeout = httpx.Timeout(self.policy.timeout_s, connect=min(self.policy.timeout_s, 5.0))
            # Public addresses only (unless the site allows private ones): checked at connect time, on the
            # very addresses connected to, so a DNS answer cannot change in between (webhook_targets.py).
            transport = webhook_targets.PinnedTransport(allow_private=self._private_targets)
            with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport) as http:
                while not self._stop.is_set():
                    claimed = self._claim(webhook_id)
                    if claimed is None:
                        return
                    keys = self._signing_secrets(webhook_id)
                    if not keys:  # removed meanwhile
                        return
                    ok = self._deliver(http, url, keys, webhook_id, *claimed)
                    if not ok:
                        return
        except Exception:
            logger.exception("webhook %s: delivery round failed", webhook_id)
        finally:
            with self._state:
                self._busy.discard(webhook_id)
            self._wake.set()  # more may be due (or this endpoint's hold is set): look again

    def _signing_secrets(self, webhook_id: str) -> list[str]:
        """Read before each attempt: a rotation takes effect on the next delivery, not the next round."""
        with self._sessions() as s:
            hook = s.get(Webhook, webhook_id)
            return webhook_secrets.signing_secrets(hook, _now()) if hook is not None else []

    def _claim(self, webhook_id: str) -> tuple[int, str, str, int] | None:
        """Take the oldest due delivery of the endpoint: (id, event id, body, attempt number)."""
        now = _now()
        lease = now + timedelta(seconds=self.policy.timeout_s + 30.0)
        # The read and the conditional update under one writers' lock: on SQLite a read transaction that
        # turns into a write after another connection committed fails at once ("database is locked").
        with self._sessions() as s, self._lock:
            row = s.execute(
                select(WebhookDelivery.id, WebhookDelivery.event_id, WebhookDelivery.body, WebhookDelivery.attempts)
                .where(
                    WebhookDelivery.webhook_id == webhook_id,
                    WebhookDelivery.status == PENDING,
                    WebhookDelivery.next_attempt_at <= now,
                )
                .order_by(WebhookDelivery.id)
                .limit(1)
            ).first()
            if row is None:
                return None
            taken = s.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == row.id,
                    WebhookDelivery.status == PENDING,
                    WebhookDelivery.attempts == row.attempts,
                )
                .values(attempts=row.attempts + 1, last_attempt_at=now, next_attempt_at=lease)
            ).rowcount  # type: ignore[attr-defined]
            s.commit()
        if taken != 1:
            return self._claim(webhook_id)  # another process took it: the next one
        return row.id, str(row.event_id), row.body, row.attempts + 1

    def _deliver(
        self,
        http: httpx.Client,
        url: str,
        keys: list[str],
        webhook_id: str,
        delivery_id: int,
        event_id: str,
        body: str,
        attempt: int,
    ) -> bool:
        """Send one delivery and record the answer; True when it was delivered."""
        raw = body.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "packgate-central-webhooks/1",
            IDEMPOTENCY_HEADER: event_id,
            "PackGate-Event-Id": event_id,
            "PackGate-Delivery": str(delivery_id),
            "PackGate-Attempt": str(attempt),
            SIGNATURE_HEADER: sign(keys, int(time.time()), raw),
        }
        status: int | None = None
        deadline = time.monotonic() + self.policy.timeout_s
        try:
            # Streamed, and at most 512 bytes of the answer read: an endpoint trickling an endless body
            # cannot hold the worker past the timeout (httpx's read timeout is per chunk, not in total).
            with http.stream("POST", url, content=raw, headers=headers) as response:
                status = response.status_code
                head = b""
                for chunk in response.iter_bytes():
                    head += chunk
                    if len(head) >= 512 or time.monotonic() > deadline:
                        break
            text = head[:200].decode("utf-8", "replace").strip()
            error = None if 200 <= status < 300 else f"HTTP {status}: {text}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500] if str(exc) else type(exc).__name__
        now = _now()
        values: dict[str, Any] = {"last_status": status, "last_error": error}
        held_until: datetime | None = None
        if error is None:
            values.update(status=DELIVERED, delivered_at=now, next_attempt_at=None)
        elif attempt >= self.policy.max_attempts:
            values.update(status=FAILED, next_attempt_at=None)
            logger.error(
                "webhook delivery %d to %s failed for good after %d attempts: %s", delivery_id, url, attempt, error
            )
        else:
            delay = self.policy.delay(attempt)
            values["next_attempt_at"] = held_until = now + timedelta(seconds=delay)
            logger.warning(
                "webhook delivery %d to %s failed (attempt %d), retry in %.1f s: %s",
                delivery_id,
                url,
                attempt,
                delay,
                error,
            )
        with self._sessions() as s, self._lock:
            s.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values))
            # Held for this delivery's backoff (a failure), or free again (a 2xx, or it gave up on this one).
            s.execute(update(Webhook).where(Webhook.id == webhook_id).values(held_until=held_until))
            s.commit()
        self._wake.set()
        return error is None
