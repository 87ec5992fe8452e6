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

from station.outbox import OutboxEvent
from sync.client import ConnectionState, DrainResult, SyncClient, _Answer, _BatchOutcome, backoff_delay

logger = logging.getLogger(__name__)


def isolate(client: SyncClient, batch: Sequence[OutboxEvent], first: _Answer, result: DrainResult,
            stop: threading.Event | None) -> DrainResult | None:
    """Find the event(s) the service fails on by splitting ``batch`` in halves, depth first; park
    each one that fails alone and file the rest as answered.

    Returns None when the service's health check fails too (an outage, not a poison event: the
    caller backs off as usual). Costs about 2·log2(n) requests for one bad event in n."""
    if not client._healthy():
        return None
    logger.warning("a batch of %d event(s) keeps failing (%s) while the central service is healthy: "
                   "splitting it to find the event that fails", len(batch), first.error)
    parts: list[Sequence[OutboxEvent]] = [batch[: len(batch) // 2], batch[len(batch) // 2 :]] \
        if len(batch) > 1 else [batch]
    alone: _Answer | None = first if len(batch) == 1 else None
    while parts:
        part = parts.pop(0)
        if not part:
            continue
        if stop is not None and stop.is_set():
            parts.insert(0, part)
            break
        answer = alone or client._post(part)
        if alone is None:
            result = replace(result, batches=result.batches + 1, state=answer.state,
                             round_trips=result.round_trips + (answer.elapsed,))
        alone = None
        if answer.outcome is _BatchOutcome.DONE:
            assert answer.result is not None
            result = client._file(part, answer.result, result)
            continue
        if answer.poison_signal and len(part) > 1:
            parts[:0] = [part[: len(part) // 2], part[len(part) // 2 :]]
            continue
        if answer.poison_signal and (answer.status == 413 or client._healthy()):
            event = part[0]
            reason = (f"the central service refuses this event alone as too large ({answer.error})"
                      if answer.status == 413 else
                      f"the central service fails on this event alone while others go through ({answer.error})")
            logger.error("event %s (%s, seq %d) parked: %s", event.event_id, event.type, event.seq, reason)
            client.outbox.park(event.event_id, reason)
            result = replace(result, parked=result.parked + 1, state=ConnectionState.CONNECTED)
            continue
        # An outage or a refusal in the middle: stop here, everything not yet answered waits.
        parts.insert(0, part)
        left = [e.event_id for p in parts for e in p]
        delay = answer.retry_after or backoff_delay(part[0].attempts + 1)
        client.outbox.mark_failed(left, answer.error or "failed", retry_in=timedelta(seconds=delay))
        return replace(result, failed=result.failed + len(left), error=answer.error, retry_after=delay,
                       state=answer.state)
    return result
