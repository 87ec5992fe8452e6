"""An outbox row as the station posts it: the wire envelope, built and checked before anything is sent.

The drain (``sync.drain``) posts, for each row, the JSON of the envelope ``sync.wire.events`` validated:
the very model the central service validates with, so what leaves the station is what central accepts.
The JSON is pydantic's own (``dump_json``, in Rust), and the batch body is joined from those bytes: building
``model_dump`` dicts and ``json.dumps``-ing the batch cost a third more of the station's CPU per batch.
A row that fails (written by an older version, edited on disk) is parked with the reason and never
sent; ``packgate sync parked`` shows it, ``retry-parked`` says why it stays parked (``wire_problems``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from station.outbox import OutboxEvent
from sync.wire.events import EVENT_ADAPTER, AnyEvent, validate_event

#: How the reason of a row the station parks itself begins (one the central service refused begins
#: "rejected by the central service").
NOT_SENT = "not sent: it fails the wire checks"


@dataclass(frozen=True)
class Outgoing(OutboxEvent):
    """An outbox row that passed the wire checks, with the JSON it is posted as."""

    body: bytes


def check(event: OutboxEvent, station_id: str) -> tuple[AnyEvent | None, list[str]]:
    """``(envelope, [])`` for a row central will accept, else ``(None, [reasons...])``, as central words them."""
    return validate_event(
        {
            "event_id": event.event_id,
            "station_id": station_id,
            "seq": event.seq,
            "type": event.type,
            "occurred_at": event.occurred_at,
            "payload": event.payload,
        }
    )


def wire_problems(event: OutboxEvent, station_id: str) -> list[str]:
    """Why the central service will refuse ``event`` as it stands ([] when it can pass the wire checks)."""
    return check(event, station_id)[1]


def prepare(
    events: Sequence[OutboxEvent], station_id: str
) -> tuple[list[Outgoing], list[tuple[OutboxEvent, list[str]]]]:
    """Split rows into those to post (with their JSON) and those that fail the wire checks (with why)."""
    outgoing: list[Outgoing] = []
    failing: list[tuple[OutboxEvent, list[str]]] = []
    for event in events:
        envelope, problems = check(event, station_id)
        if envelope is None:
            failing.append((event, problems))
        else:
            outgoing.append(Outgoing(**vars(event), body=EVENT_ADAPTER.dump_json(envelope)))
    return outgoing, failing


def body_of(event: OutboxEvent, station_id: str) -> bytes:
    """The JSON posted for ``event`` (checked by ``prepare`` already, or checked now)."""
    if isinstance(event, Outgoing):
        return event.body
    envelope, problems = check(event, station_id)
    if envelope is None:
        raise ValueError(f"event {event.event_id} fails the wire checks: {'; '.join(problems)}")
    return EVENT_ADAPTER.dump_json(envelope)


def batch_body(station_id: str, events: Sequence[OutboxEvent]) -> bytes:
    """The ``POST /events`` body for ``events``: ``{"station_id": ..., "events": [...]}`` as UTF-8 JSON."""
    head = b'{"station_id":' + json.dumps(station_id).encode() + b',"events":['
    return head + b",".join(body_of(e, station_id) for e in events) + b"]}"
