"""What one drain did (``DrainResult``) and what the central service answered to one batch (``BatchAnswer``).

Shared by ``sync.drain`` (which posts and files) and ``sync.poison`` (which splits a failing batch), so that
neither imports the other's names: both import these from here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sync.transport import ConnectionState
from sync.wire.events import BatchResult


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


class BatchOutcome(enum.Enum):
    """How a batch request ended, as the drain files it."""

    DONE = "done"
    TRANSIENT = "transient"
    AUTH = "auth"
    REFUSED = "refused"
    UNTRUSTED = "untrusted"  # the server's TLS certificate failed verification


@dataclass
class BatchAnswer:
    """The central service's answer to one posted batch (or why there was none)."""

    outcome: BatchOutcome
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
