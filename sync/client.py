"""The station side of sync: one ``SyncClient`` per central service, draining the outbox to it and pulling
orders from it.

The client is put together from its concepts: ``sync.drain`` (posting the outbox, how each answer is filed),
``sync.pull`` (orders into the station) and ``sync.transport`` (connection states, errors, TLS, backoff).
Their public names are re-exported here, so ``from sync.client import ...`` keeps working.
"""

from __future__ import annotations

from typing import Any

import httpx

from station.clock import Clock, SystemClock
from station.outbox import Outbox
from sync.anchoring import Anchorer
from sync.drain import POISON_AFTER, Drainer, DrainResult
from sync.evidence import EvidenceUploader
from sync.pull import CursorStore, Puller, PullResult, orders_to_specs
from sync.transport import (
    BACKOFF_INITIAL_S,
    BACKOFF_JITTER_S,
    BACKOFF_MAX_S,
    STATION_ID_RE,
    ConnectionState,
    SyncConfigError,
    SyncError,
    backoff_delay,
    response_detail,
    state_for_status,
    tls_verify,
    token_is_sendable,
    transport_failure,
)
from sync.wire import API_PREFIX
from sync.wire.events import MAX_BATCH_EVENTS

#: Events per POST. 500 (the wire's maximum) drained a 10,000-event backlog into PostgreSQL in 9.4 s where
#: 200 took 12.8 s and 100 13.8 s (bench/bench_sync.py; docs/changes ingest-scale notes): the per-request
#: cost (outbox read, HTTP, server transaction, mark_sent commit) is paid 20 times instead of 50. A typical
#: batch of 500 is about 210 KB, far below the service's 4 MB body cap; a batch that still exceeds it (413)
#: is split in halves by the drain.
DEFAULT_BATCH_SIZE = 500
DEFAULT_TIMEOUT_S = 15.0


class SyncClient(Drainer, Puller):
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
            raise SyncConfigError(
                "the station token has spaces, line breaks or other characters a token never has: "
                "paste it again exactly as 'packgate-central token issue' printed it"
            )
        if not STATION_ID_RE.match(station_id):
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
        self.evidence = EvidenceUploader(self._http, outbox.sessions, self._clock)  # images, after each drain

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def health(self) -> dict[str, Any]:
        """``GET /health``: raises ``SyncError`` when unreachable."""
        try:
            response = self._http.get("/health")
        except httpx.TransportError as exc:
            raise SyncError(*transport_failure(exc, self.url)) from exc
        if response.status_code != 200:
            raise SyncError(
                state_for_status(response.status_code), f"HTTP {response.status_code}: {response_detail(response)}"
            )
        return dict(response.json())


__all__ = [
    "ConnectionState",
    "CursorStore",
    "DrainResult",
    "PullResult",
    "SyncClient",
    "SyncConfigError",
    "SyncError",
    "tls_verify",
    "token_is_sendable",
    "backoff_delay",
    "orders_to_specs",
    "BACKOFF_INITIAL_S",
    "BACKOFF_JITTER_S",
    "BACKOFF_MAX_S",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TIMEOUT_S",
    "POISON_AFTER",
]
