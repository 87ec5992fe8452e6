"""The station side of sync: drain the outbox to the central service, pull orders from it.

``SyncClient.drain_once()`` posts pending outbox events in batches (``POST /api/v1/events``) and files
every answer back into the outbox, which is the only state: a restarted station (or one that was
``kill -9``-ed mid-request) simply posts what is still pending, and the server's idempotency on
``event_id`` turns a repeat into a "duplicate" that is acknowledged like an acceptance. Nothing is
marked sent before the server has said so, so an event is never lost; nothing is lost when a response
is lost either, because the repeat is harmless.

How an answer is filed (and why):

=========================================  ==================================================================
answer                                      what happens to the events of the batch
=========================================  ==================================================================
200, event in ``accepted``/``duplicates``   ``mark_sent``
200, event in ``rejected``                  ``park`` with the server's reasons: the server judged *this*
                                            event and will never accept it; retrying forever would only
                                            hide it. Parked events are shown on screen and by
                                            ``packgate sync status``; ``retry-parked`` puts them back.
200, event not mentioned at all             kept pending (a protocol slip must not lose an event)
network error, timeout, 408, 429, 5xx       kept pending, ``mark_failed`` with exponential backoff and
                                            jitter (tenacity's ``wait_exponential_jitter``); status
                                            *offline since HH:MM*
the same batch failing with 5xx again       a possible poison message: if ``/health`` answers, the batch
(``POISON_AFTER`` attempts), or 413         is split in halves, recursively, to find the event(s) that
                                            fail alone; those are parked with the server's answer, the
                                            rest is sent. An outage (health fails) parks nothing.
TLS certificate not trusted (no or wrong    kept pending, ``mark_failed`` with at least a minute's backoff;
``ca_bundle``, name mismatch, expired)      status *error* naming the certificate problem: a person fixes
                                            the CA bundle setting, nothing is parked.
401 / 403                                   kept pending with the reason (``sync status`` shows it as the
                                            last failure); status *unauthorized* / *forbidden*:
                                            the token is wrong, revoked or for another station, which a
                                            person fixes with ``packgate sync configure``. Not the events'
                                            fault, so nothing is parked.
any other 4xx for the whole request (400,   kept pending with the error and a backoff, logged as ERROR.
404, 422, ...)                              A whole-body rejection is *our* bug or a misconfiguration (a
                                            wrong URL path, a proxy limit, a client/server version skew),
                                            not a verdict on any event: parking the batch would park good
                                            events by the hundred for a typo in a URL. Once the cause is
                                            fixed, the events flow without anyone touching them.
=========================================  ==================================================================

Order of delivery: events go out in ``seq`` order. After a transient failure the *head* of the queue
carries a ``next_attempt_at``; the background drain (``force=False``) waits for it instead of sending
younger events past it, so the central service sees a station's events in order even across an outage.
The backoff is stored in the outbox rows, so it survives a restart too. ``force=True`` (the CLI's
``packgate sync run``) ignores the backoff: a person asked to sync now.

The HTTP client is httpx (one pooled, keep-alive connection), the backoff schedule is tenacity's.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx
import tenacity
from pydantic import ValidationError

from station.clock import Clock, SystemClock
from station.db import Database
from station.order_files import OrderFileError, OrderSpec, parse_orders_json
from station.orders import ImportResult, OrderConflictError, import_orders
from station.outbox import Outbox, OutboxEvent
from sync.anchoring import Anchorer
from sync.wire import API_PREFIX, MAX_BATCH_EVENTS, MAX_ORDERS_PAGE, BatchResult, Order, OrdersPage

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
DEFAULT_TIMEOUT_S = 15.0
#: Backoff of a failing batch: 1 s, 2 s, 4 s ... capped at 5 minutes, plus up to 1 s of jitter so a
#: hundred stations coming back after a central outage do not all knock at the same second.
BACKOFF_INITIAL_S = 1.0
BACKOFF_MAX_S = 300.0
BACKOFF_JITTER_S = 1.0
# The wire's StationId alphabet (sync/wire.py); checked up front because a bad id would make every
# request a whole-body 422, which is a configuration error, not something to retry.
_STATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_TOKEN = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII without spaces: all an HTTP header value may carry safely


def token_is_sendable(token: str) -> bool:
    """True when `token` can go in an Authorization header as it is (no whitespace, control or non-ASCII)."""
    return _TOKEN.fullmatch(token) is not None
_TRANSIENT_STATUSES = {408, 425, 429}
#: A batch that failed with a 5xx this many times in a row (the last one included) is split to find a
#: poison event, provided the service's health check answers.
POISON_AFTER = 3


_wait = tenacity.wait_exponential_jitter(multiplier=BACKOFF_INITIAL_S, max=BACKOFF_MAX_S, jitter=BACKOFF_JITTER_S)


def backoff_delay(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1`` after ``attempt`` failures (tenacity's schedule)."""
    state = tenacity.RetryCallState(retry_object=tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = max(1, attempt)
    return float(_wait(state))


class SyncConfigError(ValueError):
    """The sync settings cannot work (no URL, no token, a station id the wire refuses)."""


class ConnectionState(enum.Enum):
    """How the last contact with the central service went."""

    NOT_CONFIGURED = "not_configured"  # no URL/token yet: the station works stand-alone
    IDLE = "idle"  # configured, not tried yet
    CONNECTED = "connected"
    OFFLINE = "offline"  # network error, timeout or a 5xx/429: retried with backoff
    UNAUTHORIZED = "unauthorized"  # 401: missing, unknown or revoked token
    FORBIDDEN = "forbidden"  # 403: the token is for another station (or an admin token)
    ERROR = "error"  # the server refused the request as a whole (4xx): a bug or a misconfiguration


@dataclass(frozen=True)
class DrainResult:
    """What one ``drain_once`` did. ``error`` is the reason it stopped early (None: queue empty).

    ``state`` is IDLE when no request was made (nothing to send, or waiting for the backoff)."""

    sent: int = 0  # newly accepted by the server
    duplicates: int = 0  # the server had them already (a lost response, a restart): also done
    parked: int = 0
    failed: int = 0  # kept pending for a retry
    batches: int = 0
    state: ConnectionState = ConnectionState.IDLE
    error: str | None = None
    retry_after: float | None = None  # seconds the server or the backoff asks us to wait
    round_trips: tuple[float, ...] = ()  # seconds per batch request, for the benchmark
    waiting: bool = False  # stopped because the oldest pending event is still backing off
    anchor: str | None = None  # how central judged the audit chain head posted after the drain (None: not posted)

    @property
    def contacted(self) -> bool:
        """True when at least one request reached a decision (``state`` is news, not the default)."""
        return self.batches > 0

    @property
    def acknowledged(self) -> int:
        return self.sent + self.duplicates


@dataclass(frozen=True)
class PullResult:
    """What one ``pull_orders`` did."""

    received: int = 0
    imported: int = 0
    replaced: int = 0
    refused: tuple[tuple[str, str], ...] = ()  # (order_id, status): already being packed or sealed here
    invalid: tuple[tuple[str, str], ...] = ()  # (order_id, reason): the station's own checks refused it
    cursor: str | None = None


class CursorStore(Protocol):
    """Where the orders cursor lives between pulls. Losing it only means pulling everything again."""

    def load(self) -> str | None: ...

    def save(self, cursor: str) -> None: ...


class _BatchOutcome(enum.Enum):
    DONE = "done"
    TRANSIENT = "transient"
    AUTH = "auth"
    REFUSED = "refused"
    UNTRUSTED = "untrusted"  # the server's TLS certificate failed verification


@dataclass
class _Answer:
    outcome: _BatchOutcome
    state: ConnectionState
    error: str | None = None
    retry_after: float | None = None
    result: BatchResult | None = None
    elapsed: float = 0.0
    status: int | None = None  # the HTTP status, when there was an answer

    @property
    def poison_signal(self) -> bool:
        """A failure that one bad event could cause: a server error (not 503 "busy") or 413 "too large"."""
        return self.status is not None and (self.status == 413 or (self.status >= 500 and self.status != 503))


class SyncClient:
    """Talks to one central service for one station. Thread-compatible, not thread-safe: one drain at a
    time (the worker, or a CLI command in its own process)."""

    def __init__(
        self,
        outbox: Outbox,
        station_id: str,
        url: str,
        token: str,
        ca_bundle: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        timeout: float = DEFAULT_TIMEOUT_S,
        clock: Clock | None = None,
    ) -> None:
        if not url or not url.startswith(("http://", "https://")):
            raise SyncConfigError(f"the central service URL must start with http:// or https://, got {url!r}")
        if not token:
            raise SyncConfigError("no station token: issue one with 'packgate-central token issue'")
        if not token_is_sendable(token):
            # httpx would refuse the header on every request with an error that quotes the whole token
            # ("Illegal header value b'Bearer ...'") into the log and the sync status.
            raise SyncConfigError("the station token has spaces, line breaks or other characters a token never has: "
                                  "paste it again exactly as 'packgate-central token issue' printed it")
        if not _STATION_ID.match(station_id):
            raise SyncConfigError(f"station id {station_id!r} cannot be sent: use letters, digits and . _ : -")
        if not 1 <= batch_size <= MAX_BATCH_EVENTS:
            raise SyncConfigError(f"batch size must be 1..{MAX_BATCH_EVENTS}, got {batch_size}")
        self.outbox = outbox
        self.station_id = station_id
        self.url = url.rstrip("/")
        self.batch_size = batch_size
        self._clock = clock or SystemClock()
        # verify: a private CA bundle for a central service behind an internal CA; else the system's.
        self._http = httpx.Client(
            base_url=self.url + API_PREFIX,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "packgate-station"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=tls_verify(ca_bundle),
        )
        self.anchors = Anchorer(self._http, outbox.sessions, station_id)  # audit chain head, after each drain

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ drain

    def drain_once(self, force: bool = True, stop: threading.Event | None = None,
                   max_batches: int | None = None) -> DrainResult:
        """Post pending events batch by batch until none is left, something fails, or ``stop`` is set.

        ``force=False`` honours the backoff recorded on the head of the queue (the background worker);
        ``force=True`` sends now (a person asked for it).
        """
        result = DrainResult()
        while stop is None or not stop.is_set():
            if max_batches is not None and result.batches >= max_batches:
                break
            batch = self._next_batch(force)
            if batch is None:  # the head of the queue is backing off: no request, no news
                return replace(result, waiting=True)
            if not batch:
                status = self.anchors.anchor(force)  # the queue is empty: anchor the audit chain as it is now
                return replace(result, anchor=status.value if status else None)
            answer = self._post(batch)
            result = replace(result, batches=result.batches + 1, state=answer.state,
                             round_trips=result.round_trips + (answer.elapsed,))
            if answer.outcome is _BatchOutcome.DONE:
                assert answer.result is not None
                result = self._file(batch, answer.result, result)
                continue
            ids = [e.event_id for e in batch]
            if answer.outcome is _BatchOutcome.AUTH:
                # Nothing is wrong with the events: no backoff of theirs, only the reason, so that
                # `packgate sync status` shows the last failure as it does after a connection error.
                logger.error("central service refused the station's token: %s", answer.error)
                self.outbox.note_error(ids, answer.error or "refused")
                return replace(result, error=answer.error)
            if answer.poison_signal and (answer.status == 413 or _failing_again(batch)):
                from sync.poison import isolate  # noqa: PLC0415 - sync.poison builds on this module

                isolated = isolate(self, batch, answer, result, stop)
                if isolated is not None:
                    result = isolated
                    if result.error is not None:
                        return result
                    continue
            delay = answer.retry_after or backoff_delay(batch[0].attempts + 1)
            if answer.outcome is _BatchOutcome.REFUSED:
                delay = max(delay, 60.0)  # a person has to fix something; do not hammer the server
                logger.error("central service refused a whole batch of %d event(s) (our bug or a misconfiguration; "
                             "events kept): %s", len(batch), answer.error)
            elif answer.outcome is _BatchOutcome.UNTRUSTED:
                delay = max(delay, 60.0)  # a certificate the station does not trust will not fix itself
                logger.error("%d event(s) kept, not sent: %s", len(batch), answer.error)
            else:
                logger.warning("sync failed, %d event(s) kept for a retry in %.1f s: %s", len(batch), delay,
                               answer.error)
            self.outbox.mark_failed(ids, answer.error or "failed", retry_in=timedelta(seconds=delay))
            return replace(result, failed=result.failed + len(batch), error=answer.error, retry_after=delay)
        return result

    def _healthy(self) -> bool:
        try:
            self.health()
        except SyncError as exc:
            logger.info("central service health check failed: %s", exc)
            return False
        return True

    def _next_batch(self, force: bool) -> list[OutboxEvent] | None:
        """The next batch in seq order; None when the head of the queue is not due yet (unless forced)."""
        if force:
            return self.outbox.pending(self.batch_size)
        due = self.outbox.pending(self.batch_size, due_only=True)
        if not due:
            # Either the queue is empty or everything is backing off.
            head = self.outbox.pending(1)
            return None if head else []
        head = self.outbox.pending(1)
        if head and head[0].seq != due[0].seq:
            return None  # older events wait for their retry time; younger ones must not overtake them
        return due

    def _post(self, batch: Sequence[OutboxEvent]) -> _Answer:
        body = {"station_id": self.station_id, "events": [e.envelope(self.station_id) for e in batch]}
        started = self._monotonic()
        try:
            response = self._http.post("/events", json=body)
        except httpx.TransportError as exc:  # refused, reset, timed out, TLS failure, response cut off
            state, message = _transport_failure(exc, self.url)
            outcome = _BatchOutcome.UNTRUSTED if state is ConnectionState.ERROR else _BatchOutcome.TRANSIENT
            return _Answer(outcome, state, message, elapsed=self._monotonic() - started)
        elapsed = self._monotonic() - started
        status = response.status_code
        if status == 200:
            try:
                parsed = BatchResult.model_validate_json(response.content)
            except ValidationError as exc:
                # A proxy's HTML page or a truncated body: nothing can be concluded, so retry.
                return _Answer(_BatchOutcome.TRANSIENT, ConnectionState.OFFLINE,
                               f"unreadable answer from the central service: {exc.error_count()} problem(s)",
                               elapsed=elapsed)
            return _Answer(_BatchOutcome.DONE, ConnectionState.CONNECTED, result=parsed, elapsed=elapsed, status=status)
        detail = _detail(response)
        if status == 401:
            return _Answer(_BatchOutcome.AUTH, ConnectionState.UNAUTHORIZED,
                           f"unauthorized: check the station token ({detail})", elapsed=elapsed, status=status)
        if status == 403:
            return _Answer(_BatchOutcome.AUTH, ConnectionState.FORBIDDEN, f"forbidden: {detail}", elapsed=elapsed,
                           status=status)
        if status >= 500 or status in _TRANSIENT_STATUSES:
            return _Answer(_BatchOutcome.TRANSIENT, ConnectionState.OFFLINE, f"HTTP {status}: {detail}",
                           retry_after=_retry_after(response), elapsed=elapsed, status=status)
        return _Answer(_BatchOutcome.REFUSED, ConnectionState.ERROR,
                       f"HTTP {status} for the whole batch: {detail}", elapsed=elapsed, status=status)

    def _file(self, batch: Sequence[OutboxEvent], answer: BatchResult, result: DrainResult) -> DrainResult:
        """Write the server's per-event verdicts into the outbox."""
        accepted = {str(u) for u in answer.accepted}
        duplicates = {str(u) for u in answer.duplicates}
        ours = {e.event_id for e in batch}
        done = (accepted | duplicates) & ours
        self.outbox.mark_sent(sorted(done))
        parked = 0
        for rejection in answer.rejected:
            # Trust the index (the server echoes our position) but check it against the id it read.
            if not 0 <= rejection.index < len(batch):
                continue
            event = batch[rejection.index]
            if rejection.event_id not in (None, event.event_id):
                logger.error("server rejection index %d names %s, we sent %s there; not parking",
                             rejection.index, rejection.event_id, event.event_id)
                continue
            reason = "; ".join(rejection.errors) or "rejected by the central service"
            if rejection.status == 409:
                reason = f"conflict: {reason}"
            logger.warning("event %s (%s, seq %d) rejected by the central service, parked: %s",
                           event.event_id, event.type, event.seq, reason)
            self.outbox.park(event.event_id, f"rejected by the central service: {reason}")
            parked += 1
        silent = ours - done - {batch[r.index].event_id for r in answer.rejected if 0 <= r.index < len(batch)}
        if silent:
            logger.error("central service did not answer for %d event(s); they stay pending", len(silent))
            self.outbox.mark_failed(sorted(silent), "the central service did not acknowledge this event",
                                    retry_in=timedelta(seconds=backoff_delay(1)))
        return replace(result, sent=result.sent + len(accepted & ours), duplicates=result.duplicates +
                       len((duplicates - accepted) & ours), parked=result.parked + parked,
                       failed=result.failed + len(silent))

    # ------------------------------------------------------------------------------------------ orders

    def pull_orders(self, db: Database, cursors: CursorStore, clock: Clock | None = None,
                    page_size: int = MAX_ORDERS_PAGE) -> PullResult:
        """Fetch orders created or changed since the stored cursor and import them, page by page.

        Each page is imported (all or nothing, by ``import_orders``) before its cursor is saved, so a
        crash in between only re-imports that page, which replaces unchanged orders with themselves.
        Orders the station's own file checks refuse (a barcode with a bad check digit, a quantity over the
        bench limit) are skipped and reported, not allowed to stall the cursor: one bad order must not
        keep every later order away from the bench.

        Raises ``SyncError`` when the service cannot be reached or refuses the request.
        """
        cursor = cursors.load()
        total = PullResult(cursor=cursor)
        restarted = False
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            try:
                response = self._http.get("/orders", params=params)
            except httpx.TransportError as exc:
                raise SyncError(*_transport_failure(exc, self.url)) from exc
            if response.status_code == 422 and cursor and not restarted:
                # A cursor this service never handed out (its database was replaced): start over. Re-pulling
                # everything is safe; orders being packed here are never replaced.
                logger.warning("central service refused the orders cursor %r (%s); pulling all orders again",
                               cursor, _detail(response))
                cursor, restarted = None, True
                cursors.save("")
                continue
            if response.status_code != 200:
                raise SyncError(_state_for(response.status_code), f"HTTP {response.status_code}: {_detail(response)}")
            try:
                page = OrdersPage.model_validate_json(response.content)
            except ValidationError as exc:
                raise SyncError(ConnectionState.ERROR, f"unreadable orders page: {exc.error_count()} problem(s)") from exc
            if not page.orders:
                return replace(total, cursor=cursor)
            specs, invalid = orders_to_specs(page.orders)
            imported = _import_skipping_conflicts(db, specs, self.station_id, clock or self._clock,
                                                  f"central {self.url}", invalid)
            cursor = page.cursor
            cursors.save(cursor)
            total = PullResult(
                received=total.received + len(page.orders), imported=total.imported + imported.imported,
                replaced=total.replaced + imported.replaced, refused=total.refused + tuple(imported.refused),
                invalid=total.invalid + tuple(invalid), cursor=cursor,
            )
            logger.info("pulled %d order(s) from the central service", len(page.orders))
            if len(page.orders) < page_size:
                return total

    def health(self) -> dict[str, Any]:
        """``GET /health``: raises ``SyncError`` when unreachable."""
        try:
            response = self._http.get("/health")
        except httpx.TransportError as exc:
            raise SyncError(*_transport_failure(exc, self.url)) from exc
        if response.status_code != 200:
            raise SyncError(_state_for(response.status_code), f"HTTP {response.status_code}: {_detail(response)}")
        return dict(response.json())

    @staticmethod
    def _monotonic() -> float:
        return time.perf_counter()


class SyncError(RuntimeError):
    """A request to the central service failed; ``state`` says how (offline, unauthorized, ...)."""

    def __init__(self, state: ConnectionState, message: str) -> None:
        super().__init__(message)
        self.state = state


def _import_skipping_conflicts(db: Database, specs: list[OrderSpec], station_id: str, clock: Clock, source: str,
                               invalid: list[tuple[str, str]]) -> ImportResult:
    """Import a page; orders whose codes clash (a tote still held by an unsealed order, an order barcode that
    is another order's item...) are left out and reported in ``invalid``, and the rest is imported."""
    while True:
        try:
            return import_orders(db, specs, station_id, clock, source=source)
        except OrderConflictError as exc:
            refused: dict[str, str] = {}
            for c in exc.conflicts:
                refused.setdefault(c.order_id, f"{c.role.value} {c.code!r} is already the {c.other_role.value} "
                                               f"{c.other_code!r} of {'user' if c.other_role.value == 'badge' else 'order'} "
                                               f"{c.other}")
            for order_id, reason in refused.items():
                logger.warning("order %s from the central service refused: %s", order_id, reason)
            invalid.extend(refused.items())
            specs = [spec for spec in specs if spec.order_id not in refused]


def orders_to_specs(orders: Sequence[Order]) -> tuple[list[OrderSpec], list[tuple[str, str]]]:
    """Turn wire orders into the station's ``OrderSpec``s through the station's own order-file checks.

    The same parser as ``packgate orders import`` validates them (check digits, bench limits, case packs),
    so an order reaches the bench by pull only if it could have reached it by file. Each order is checked
    on its own so one bad order does not refuse the page. Returns ``(specs, [(order_id, reason), ...])``.
    """
    specs: list[OrderSpec] = []
    invalid: list[tuple[str, str]] = []
    for order in orders:
        # Only the fields the station's file format knows: the wire keeps unknown extras, the file
        # reader (rightly) refuses unknown barcode keys.
        doc = {
            "order_id": order.order_id,
            "order_barcode": order.order_barcode,
            "tote": order.tote,
            "ship_to": order.ship_to,
            "carrier": order.carrier,
            "lines": [
                {"sku": ln.sku, "description": ln.description, "quantity": ln.quantity, "lot_tracked": ln.lot_tracked,
                 "expiry_tracked": ln.expiry_tracked, "serial_tracked": ln.serial_tracked,
                 "barcodes": [{"code": bc.code, "units": bc.units} for bc in ln.barcodes]}
                for ln in order.lines
            ],
        }
        for optional in ("order_barcode", "tote"):
            if doc[optional] is None:
                del doc[optional]
        try:
            specs.extend(parse_orders_json(json.dumps({"orders": [doc]}), source=f"central order {order.order_id}"))
        except OrderFileError as exc:
            # Without the source prefix ("central order X: ..."): the caller names the order already.
            reason = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems)
            logger.warning("order %s from the central service refused by the station's checks: %s",
                           order.order_id, reason, extra={"order_refused": order.order_id})
            invalid.append((order.order_id, reason))
    return specs, invalid


def tls_verify(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """httpx's ``verify`` for a CA bundle setting: a context trusting exactly that bundle (a PEM file, or a
    directory of hashed certificates), or ``True`` (httpx's default trust store) when there is none.

    Built here rather than passing the path to httpx, which deprecates ``verify=<str>``. Raises
    ``SyncConfigError`` when the bundle is missing or holds no usable certificate.
    """
    if not ca_bundle:
        return True
    try:
        if Path(ca_bundle).is_dir():
            return ssl.create_default_context(capath=ca_bundle)
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as exc:  # FileNotFoundError, or a file that is not PEM certificates
        raise SyncConfigError(f"CA bundle {ca_bundle} cannot be used: {getattr(exc, 'strerror', None) or exc}") from exc


def _certificate_problem(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind an httpx transport error, if that is what it was."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _transport_failure(exc: httpx.TransportError, url: str) -> tuple[ConnectionState, str]:
    """State and words for a request that got no HTTP answer.

    An untrusted or mismatched server certificate is a configuration problem a person fixes (the CA
    bundle setting, or the server's certificate), not an outage: ``ERROR``, with the verifier's reason.
    Anything else (refused, reset, timed out) is ``OFFLINE``.
    """
    problem = _certificate_problem(exc)
    if problem is not None:
        reason = problem.verify_message or problem.reason or "certificate verify failed"
        return ConnectionState.ERROR, (
            f"TLS certificate of {url} not trusted ({reason}): set this station's CA bundle "
            "('packgate sync configure ... --ca-bundle FILE') or fix the server's certificate")
    return ConnectionState.OFFLINE, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _failing_again(batch: Sequence[OutboxEvent]) -> bool:
    """The head of ``batch`` failed with a server error before, ``POISON_AFTER - 1`` times at least."""
    head = batch[0]
    return head.attempts + 1 >= POISON_AFTER and (head.last_error or "").startswith("HTTP 5")


def _state_for(status: int) -> ConnectionState:
    if status == 401:
        return ConnectionState.UNAUTHORIZED
    if status == 403:
        return ConnectionState.FORBIDDEN
    if status >= 500 or status in _TRANSIENT_STATUSES:
        return ConnectionState.OFFLINE
    return ConnectionState.ERROR


def _detail(response: httpx.Response) -> str:
    """The server's ``detail`` message, or the start of the body (a proxy's error page, say)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        return detail if isinstance(detail, str) else str(detail)[:500]
    return str(body)[:200]


def _retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (the delta form; the date form is rare for APIs and ignored)."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), BACKOFF_MAX_S)


__all__ = [
    "ConnectionState", "CursorStore", "DrainResult", "PullResult", "SyncClient", "SyncConfigError", "SyncError",
    "tls_verify", "token_is_sendable",
    "backoff_delay", "orders_to_specs",
]
