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
(before posting) a row fails the wire       ``park`` with the reasons, never sent: the station checks every
checks                                      row with the model central validates with (``sync.outbound``);
                                            a row an older version wrote, or one edited on disk, would
                                            only be refused. The valid rows around it are sent.
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
``packgate sync run``) ignores the backoff: a person asked to sync now. While a full batch is posted, the
next one is read and checked in a helper thread (``sync.drain_ahead``); it is posted only after this one's
answer is filed, and only if it is still the head of the queue then.

The HTTP client is httpx (one pooled, keep-alive connection), the backoff schedule is tenacity's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
from pydantic import ValidationError

from station.outbox import Outbox, OutboxEvent
from sync.anchoring import Anchorer
from sync.drain_ahead import Prepared, ReadAhead
from sync.drain_answer import BatchAnswer, BatchOutcome, DrainResult
from sync.outbound import NOT_SENT, batch_body, prepare
from sync.poison import isolate
from sync.transport import (
    TRANSIENT_STATUSES,
    ConnectionState,
    SyncError,
    backoff_delay,
    response_detail,
    retry_after,
    transport_failure,
)
from sync.wire.events import BatchResult

logger = logging.getLogger("sync.client")  # the name it logged under before the split: log filters and files

#: A batch that failed with a 5xx this many times in a row (the last one included) is split to find a
#: poison event, provided the service's health check answers.
POISON_AFTER = 3

_JSON = {"Content-Type": "application/json"}


class Drainer:
    """The drain half of ``SyncClient`` (``sync.client``): posting the outbox and filing the answers."""

    outbox: Outbox
    station_id: str
    url: str
    batch_size: int
    _http: httpx.Client
    anchors: Anchorer
    health: Callable[[], dict[str, Any]]

    def drain_once(
        self, force: bool = True, stop: threading.Event | None = None, max_batches: int | None = None
    ) -> DrainResult:
        """Post pending events batch by batch until none is left, something fails, or ``stop`` is set.

        ``force=False`` honours the backoff recorded on the head of the queue (the background worker);
        ``force=True`` sends now (a person asked for it).
        """
        with ReadAhead(self.outbox, self.station_id, self.batch_size) as ahead:
            return self._drain(force, stop, max_batches, ahead)

    def _drain(
        self, force: bool, stop: threading.Event | None, max_batches: int | None, ahead: ReadAhead
    ) -> DrainResult:
        result = DrainResult()
        while stop is None or not stop.is_set():
            if max_batches is not None and result.batches >= max_batches:
                break
            taken = ahead.take()  # read while the previous batch was posted, if still the head of the queue
            batch, prepared = taken if taken is not None else (self._next_batch(force), None)
            if batch is None:  # the head of the queue is backing off: no request, no news
                return replace(result, waiting=True)
            full = len(batch) == self.batch_size
            last_seq = batch[-1].seq if batch else 0
            if batch:
                batch, unsendable = self._sendable(batch, prepared)
                result = replace(result, parked=result.parked + unsendable)
                if not batch:  # every row of this batch failed the wire checks and is parked: the next
                    continue
            if not batch:
                status = self.anchors.anchor(force)  # the queue is empty: anchor the audit chain as it is now
                return replace(result, anchor=status.value if status else None)
            if full and (max_batches is None or result.batches + 1 < max_batches):
                ahead.start(last_seq, due_only=not force)  # more is likely waiting: read it during the POST
            answer = self.post_batch(batch)
            result = replace(
                result,
                batches=result.batches + 1,
                state=answer.state,
                round_trips=result.round_trips + (answer.elapsed,),
            )
            if answer.outcome is BatchOutcome.DONE:
                assert answer.result is not None
                result = self.file_answer(batch, answer.result, result)
                continue
            ids = [e.event_id for e in batch]
            if answer.outcome is BatchOutcome.AUTH:
                # Nothing is wrong with the events: no backoff of theirs, only the reason, so that
                # `packgate sync status` shows the last failure as it does after a connection error.
                logger.error("central service refused the station's token: %s", answer.error)
                self.outbox.note_error(ids, answer.error or "refused")
                return replace(result, error=answer.error)
            if answer.poison_signal and (answer.status == 413 or _failing_again(batch)):
                isolated = isolate(self, batch, answer, result, stop)
                if isolated is not None:
                    result = isolated
                    if result.error is not None:
                        return result
                    continue
            delay = answer.retry_after or backoff_delay(batch[0].attempts + 1)
            if answer.outcome is BatchOutcome.REFUSED:
                delay = max(delay, 60.0)  # a person has to fix something; do not hammer the server
                logger.error(
                    "central service refused a whole batch of %d event(s) (our bug or a misconfiguration; "
                    "events kept): %s",
                    len(batch),
                    answer.error,
                )
            elif answer.outcome is BatchOutcome.UNTRUSTED:
                delay = max(delay, 60.0)  # a certificate the station does not trust will not fix itself
                logger.error("%d event(s) kept, not sent: %s", len(batch), answer.error)
            else:
                logger.warning(
                    "sync failed, %d event(s) kept for a retry in %.1f s: %s", len(batch), delay, answer.error
                )
            self.outbox.mark_failed(ids, answer.error or "failed", retry_in=timedelta(seconds=delay))
            return replace(result, failed=result.failed + len(batch), error=answer.error, retry_after=delay)
        return result

    def healthy(self) -> bool:
        try:
            self.health()
        except SyncError as exc:
            logger.info("central service health check failed: %s", exc)
            return False
        return True

    def _sendable(
        self, batch: Sequence[OutboxEvent], prepared: Prepared | None = None
    ) -> tuple[list[OutboxEvent], int]:
        """The rows of ``batch`` that pass the wire checks, with their JSON; the others are parked here with
        the reason, never sent (a row written by an older version or edited on disk). Returns the count.
        ``prepared``: the checks already done on these rows (by the read-ahead)."""
        outgoing, failing = prepared if prepared is not None else prepare(batch, self.station_id)
        for event, problems in failing:
            reason = f"{NOT_SENT}: {'; '.join(problems)}"
            logger.warning("event %s (%s, seq %d) parked, not sent: %s", event.event_id, event.type, event.seq, reason)
            self.outbox.park(event.event_id, reason)
        sendable: list[OutboxEvent] = list(outgoing)
        return sendable, len(failing)

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

    def post_batch(self, batch: Sequence[OutboxEvent]) -> BatchAnswer:
        body = batch_body(self.station_id, batch)
        started = self._monotonic()
        try:
            response = self._http.post("/events", content=body, headers=_JSON)
        except httpx.TransportError as exc:  # refused, reset, timed out, TLS failure, response cut off
            state, message = transport_failure(exc, self.url)
            outcome = BatchOutcome.UNTRUSTED if state is ConnectionState.ERROR else BatchOutcome.TRANSIENT
            return BatchAnswer(outcome, state, message, elapsed=self._monotonic() - started)
        elapsed = self._monotonic() - started
        status = response.status_code
        if status == 200:
            try:
                parsed = BatchResult.model_validate_json(response.content)
            except ValidationError as exc:
                # A proxy's HTML page or a truncated body: nothing can be concluded, so retry.
                return BatchAnswer(
                    BatchOutcome.TRANSIENT,
                    ConnectionState.OFFLINE,
                    f"unreadable answer from the central service: {exc.error_count()} problem(s)",
                    elapsed=elapsed,
                )
            return BatchAnswer(
                BatchOutcome.DONE, ConnectionState.CONNECTED, result=parsed, elapsed=elapsed, status=status
            )
        detail = response_detail(response)
        if status == 401:
            return BatchAnswer(
                BatchOutcome.AUTH,
                ConnectionState.UNAUTHORIZED,
                f"unauthorized: check the station token ({detail})",
                elapsed=elapsed,
                status=status,
            )
        if status == 403:
            return BatchAnswer(
                BatchOutcome.AUTH, ConnectionState.FORBIDDEN, f"forbidden: {detail}", elapsed=elapsed, status=status
            )
        if status >= 500 or status in TRANSIENT_STATUSES:
            return BatchAnswer(
                BatchOutcome.TRANSIENT,
                ConnectionState.OFFLINE,
                f"HTTP {status}: {detail}",
                retry_after=retry_after(response),
                elapsed=elapsed,
                status=status,
            )
        return BatchAnswer(
            BatchOutcome.REFUSED,
            ConnectionState.ERROR,
            f"HTTP {status} for the whole batch: {detail}",
            elapsed=elapsed,
            status=status,
        )

    def file_answer(self, batch: Sequence[OutboxEvent], answer: BatchResult, result: DrainResult) -> DrainResult:
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
                logger.error(
                    "server rejection index %d names %s, we sent %s there; not parking",
                    rejection.index,
                    rejection.event_id,
                    event.event_id,
                )
                continue
            reason = "; ".join(rejection.errors) or "rejected by the central service"
            if rejection.status == 409:
                reason = f"conflict: {reason}"
            logger.warning(
                "event %s (%s, seq %d) rejected by the central service, parked: %s",
                event.event_id,
                event.type,
                event.seq,
                reason,
            )
            self.outbox.park(event.event_id, f"rejected by the central service: {reason}")
            parked += 1
        silent = ours - done - {batch[r.index].event_id for r in answer.rejected if 0 <= r.index < len(batch)}
        if silent:
            logger.error("central service did not answer for %d event(s); they stay pending", len(silent))
            self.outbox.mark_failed(
                sorted(silent),
                "the central service did not acknowledge this event",
                retry_in=timedelta(seconds=backoff_delay(1)),
            )
        return replace(
            result,
            sent=result.sent + len(accepted & ours),
            duplicates=result.duplicates + len((duplicates - accepted) & ours),
            parked=result.parked + parked,
            failed=result.failed + len(silent),
        )

    @staticmethod
    def _monotonic() -> float:
        return time.perf_counter()


def _failing_again(batch: Sequence[OutboxEvent]) -> bool:
    """The head of ``batch`` failed with a server error before, ``POISON_AFTER - 1`` times at least."""
    head = batch[0]
    return head.attempts + 1 >= POISON_AFTER and (head.last_error or "").startswith("HTTP 5")
