"""Finding a poison event: the event in a batch that makes the central service fail every time.

A server that answers 500 for a whole batch because of one event in it (PostgreSQL refusing a NUL in a
code did exactly that) would otherwise stop a station's sync for good: the batch is retried forever and
every later event queues behind it. ``isolate`` splits such a batch in halves, depth first, sends each
half, and narrows down on the halves that still fail, until single events are left; those are parked
with the server's answer, everything else is filed as the server answered it.

It runs only when the failure looks like one event's doing: a server error other than 503 ("busy")
that repeated ``POISON_AFTER`` times, or a 413 (the batch is too large; splitting is the cure). And
only while ``/health`` answers: during an outage every request fails, and parking events then would
hide good events from the central service. One bad event in n costs about 2·log2(n) requests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from station.outbox import Outbox, OutboxEvent
from sync.drain_answer import BatchAnswer, BatchOutcome, DrainResult
from sync.transport import ConnectionState, backoff_delay
from sync.wire.events import BatchResult

logger = logging.getLogger(__name__)


class Splittable(Protocol):
    """What ``isolate`` uses of the drain (a ``sync.drain.Drainer``, such as a ``SyncClient``)."""

    @property
    def outbox(self) -> Outbox: ...

    def healthy(self) -> bool: ...

    def post_batch(self, batch: Sequence[OutboxEvent]) -> BatchAnswer: ...

    def file_answer(self, batch: Sequence[OutboxEvent], answer: BatchResult, result: DrainResult) -> DrainResult: ...


def isolate(
    client: Splittable,
    batch: Sequence[OutboxEvent],
    first: BatchAnswer,
    result: DrainResult,
    stop: threading.Event | None,
) -> DrainResult | None:
    """Find the event(s) the service fails on by splitting ``batch`` in halves, depth first; park
    each one that fails alone and file the rest as answered.

    Returns None when the service's health check fails too (an outage, not a poison event: the
    caller backs off as usual). Costs about 2·log2(n) requests for one bad event in n."""
    if not client.healthy():
        return None
    logger.warning(
        "a batch of %d event(s) keeps failing (%s) while the central service is healthy: "
        "splitting it to find the event that fails",
        len(batch),
        first.error,
    )
    parts: list[Sequence[OutboxEvent]] = (
        [batch[: len(batch) // 2], batch[len(batch) // 2 :]] if len(batch) > 1 else [batch]
    )
    alone: BatchAnswer | None = first if len(batch) == 1 else None
    suspects: list[tuple[OutboxEvent, BatchAnswer]] = []  # events that failed alone
    went_through = 0  # parts the service answered: proof that it is this event, not every event
    outage: BatchAnswer | None = None
    while parts:
        part = parts.pop(0)
        if not part:
            continue
        if stop is not None and stop.is_set():
            parts.insert(0, part)
            break
        answer = alone or client.post_batch(part)
        if alone is None:
            result = replace(
                result,
                batches=result.batches + 1,
                state=answer.state,
                round_trips=result.round_trips + (answer.elapsed,),
            )
        alone = None
        if answer.outcome is BatchOutcome.DONE:
            assert answer.result is not None
            went_through += 1
            result = client.file_answer(part, answer.result, result)
            continue
        if answer.poison_signal and len(part) > 1:
            parts[:0] = [part[: len(part) // 2], part[len(part) // 2 :]]
            continue
        if answer.poison_signal:
            suspects.append((part[0], answer))
            if answer.status != 413 and went_through == 0 and len(suspects) >= 2:
                outage = answer  # two events fail alone and nothing goes through: it is every event
                break
            continue
        parts.insert(0, part)  # an outage or a refusal in the middle: stop here
        outage = answer
        break

    unanswered = [e for p in parts for e in p] if outage is not None else []
    for event, answer in suspects:
        too_large = answer.status == 413
        if outage is None and (too_large or went_through or (len(batch) == 1 and client.healthy())):
            reason = (
                f"the central service refuses this event alone as too large ({answer.error})"
                if too_large
                else f"the central service fails on this event alone while others go through ({answer.error})"
            )
            logger.error("event %s (%s, seq %d) parked: %s", event.event_id, event.type, event.seq, reason)
            client.outbox.park(event.event_id, reason)
            result = replace(result, parked=result.parked + 1, state=ConnectionState.CONNECTED)
        else:
            unanswered.append(event)
            outage = outage or answer
    if outage is None:
        return result
    # Everything not answered waits, with the usual backoff.
    delay = outage.retry_after or backoff_delay((unanswered[0].attempts if unanswered else 0) + 1)
    client.outbox.mark_failed(
        [e.event_id for e in unanswered], outage.error or "failed", retry_in=timedelta(seconds=delay)
    )
    return replace(
        result, failed=result.failed + len(unanswered), error=outage.error, retry_after=delay, state=outage.state
    )
