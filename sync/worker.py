"""The background sync loop of the station: drain the outbox, pull orders, publish a status.

``SyncWorker`` is a ``station.background_loop.BackgroundLoop`` on one named thread (``packgate-sync``). Each cycle it drains what is due
(``SyncClient.drain_once(force=False)``), pulls orders every ``pull_every`` cycles, publishes a
``SyncStatus`` to its listeners, and sleeps ``interval`` seconds -- or the backoff the failed batch
asked for -- on an ``Event``, so ``wake()`` (a new incident was written) and ``stop()`` cut the sleep
short. It holds no state that matters: the outbox says what is left to send and when to retry, the
cursor file says where the order pull stands, so a killed and restarted station carries on.

No Qt here: ``ui.sync_bridge.QtSyncWorker`` re-emits the status as a Qt signal for the packer screen.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from station.background_loop import BackgroundLoop
from station.clock import Clock, SystemClock
from station.db import Database
from station.outbox import Outbox
from station.settings import Section, Settings
from sync.client import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_TIMEOUT_S,
    ConnectionState,
    DrainResult,
    PullResult,
    SyncClient,
    SyncConfigError,
    SyncError,
    backoff_delay,
)

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 5.0
DEFAULT_PULL_EVERY = 12  # cycles: with the default interval, orders are pulled about once a minute
SYNC_SECTION = Section.SYNC
STATE_FILE = "sync-state.json"


@dataclass(frozen=True)
class SyncSettings:
    """The ``"sync"`` section of the station settings (``packgate sync configure`` writes it)."""

    SECTION: ClassVar[Section] = Section.SYNC
    url: str | None = None
    token: str | None = None
    ca_bundle: str | None = None
    interval: float = DEFAULT_INTERVAL_S
    batch_size: int = DEFAULT_BATCH_SIZE
    timeout: float = DEFAULT_TIMEOUT_S
    pull_every: int = DEFAULT_PULL_EVERY

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> SyncSettings:
        """Read the section leniently: a hand-edited bad number falls back to the default, logged."""

        def number(key: str, default: float, kind: type) -> Any:
            value = section.get(key, default)
            try:
                result = kind(value)
            except (TypeError, ValueError):
                logger.warning("sync setting %s=%r is not a number; using %s", key, value, default)
                return default
            return result if result > 0 else default

        return cls(
            url=section.get("url") or None,
            token=section.get("token") or None,
            ca_bundle=section.get("ca_bundle") or None,
            interval=number("interval", DEFAULT_INTERVAL_S, float),
            batch_size=number("batch_size", DEFAULT_BATCH_SIZE, int),
            timeout=number("timeout", DEFAULT_TIMEOUT_S, float),
            pull_every=number("pull_every", DEFAULT_PULL_EVERY, int),
        )

    def to_section(self) -> dict[str, Any]:
        """What differs from the defaults (as ``sync configure`` always wrote it: ``{"url", "token"}`` plus
        what was given), so a default changed in a later version reaches stations that never set it."""
        default = SyncSettings()
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)
        }

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)

    def make_client(self, outbox: Outbox, station_id: str, clock: Clock | None = None) -> SyncClient:
        """A client for these settings; raises ``SyncConfigError`` when they cannot work."""
        if not self.url:
            raise SyncConfigError("no central service URL: run 'packgate sync configure --url URL --token TOKEN'")
        return SyncClient(
            outbox,
            station_id,
            self.url,
            self.token or "",
            ca_bundle=self.ca_bundle,
            batch_size=self.batch_size,
            timeout=self.timeout,
            clock=clock,
        )


class FileCursorStore:
    """The order-pull cursor in a small JSON file beside the settings, written atomically.

    Not in the settings file itself: the worker writes it from its own thread, and a settings dialog
    saving at the same moment would otherwise overwrite one with the other.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> str | None:
        value = Settings.load(self.path).get("orders_cursor")
        return value if isinstance(value, str) and value else None

    def save(self, cursor: str) -> None:
        state = Settings.load(self.path)
        state.set("orders_cursor", cursor)
        state.save()


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar and ``packgate sync status`` show. Words are the UI's job; this is data."""

    state: ConnectionState
    pending: int
    parked: int
    offline_since: datetime | None = None  # when events stopped flowing (None while connected)
    last_contact_at: datetime | None = None  # last request the server answered with 2xx
    error: str | None = None
    oldest_pending_at: datetime | None = None
    last_drain: DrainResult | None = None
    last_pull: PullResult | None = None


class SyncWorker(BackgroundLoop[SyncStatus]):
    """Runs the sync loop on its own thread; see the module docstring."""

    def __init__(
        self,
        outbox: Outbox,
        client: SyncClient | None,
        *,
        db: Database | None = None,
        cursors: FileCursorStore | None = None,
        interval: float = DEFAULT_INTERVAL_S,
        pull_every: int = DEFAULT_PULL_EVERY,
        clock: Clock | None = None,
        name: str = "packgate-sync",
        problem: str | None = None,
    ) -> None:
        """``problem``: why there is no client (settings that cannot work), shown in the status until fixed."""
        initial = ConnectionState.IDLE if client is not None else ConnectionState.NOT_CONFIGURED
        super().__init__(name, SyncStatus(state=initial, pending=0, parked=0, error=problem))
        self.outbox = outbox
        self.client = client
        self._db = db
        self._cursors = cursors
        self.interval = interval
        self.pull_every = max(1, pull_every)
        self._clock = clock or SystemClock()
        self._failures = 0  # consecutive cycles without contact, for the backoff of auth errors

    def _started(self) -> None:
        logger.info(
            "sync worker started (interval %.1f s, %s)",
            self.interval,
            self.client.url if self.client else "not configured",
        )

    def _stopped(self) -> None:
        if self.client is not None:
            self.client.close()
        logger.info("sync worker stopped")

    # ------------------------------------------------------------------------------------------ loop

    def run_cycle(self, cycle: int = 0) -> float:
        """One drain (+ pull every ``pull_every`` cycles); publishes the status; returns the sleep."""
        delay = self.interval
        drain: DrainResult | None = None
        pull: PullResult | None = None
        state, error, contacted = self.status.state, self.status.error, False
        if self.client is not None:
            drain = self.client.drain_once(force=False, stop=self._stop)
            if drain.contacted:
                state, error, contacted = drain.state, drain.error, True
                if drain.error is None:
                    self._failures = 0
                else:
                    self._failures += 1
                    delay = drain.retry_after or min(backoff_delay(self._failures), 300.0)
            if not self._stop.is_set():
                # Evidence images after the events, on their own (sync.evidence says why); failures keep
                # their own backoff in the station's table and never change the events' state.
                try:
                    self.client.evidence.upload_due(self._stop)
                except Exception:  # the station database, say: logged; the events' status stands
                    logger.exception("evidence upload round failed")
            if (
                cycle % self.pull_every == 0
                and self._db is not None
                and self._cursors is not None
                and not self._stop.is_set()
            ):
                try:
                    pull = self.client.pull_orders(self._db, self._cursors, self._clock)
                    # A good pull proves the service is reachable, but must not paint over what the last
                    # drain said about the events (a refused token or batch) while they wait for a retry.
                    if (
                        drain.contacted
                        and drain.error is None
                        or not drain.contacted
                        and (not drain.waiting or state in (ConnectionState.IDLE, ConnectionState.OFFLINE))
                    ):
                        state, error, contacted = ConnectionState.CONNECTED, None, True
                        self._failures = 0
                except SyncError as exc:
                    logger.warning("order pull failed: %s", exc)
                    if not drain.contacted:
                        state, error, contacted = exc.state, str(exc), True
                        self._failures += 1
                        delay = min(backoff_delay(self._failures), max(self.interval, 300.0))
        self._publish_sync(state, error, contacted, drain, pull)
        return delay

    def _cycle(self, cycle: int) -> float:
        return self.run_cycle(cycle)

    def _cycle_failed(self, exc: Exception) -> float:
        self._publish_sync(ConnectionState.ERROR, f"{type(exc).__name__}: {exc}", True, None, None)
        return self.interval

    def _publish_sync(
        self,
        state: ConnectionState,
        error: str | None,
        contacted: bool,
        drain: DrainResult | None,
        pull: PullResult | None,
    ) -> None:
        now = self._clock.now()
        counts = self.outbox.counts()

        def change(old: SyncStatus) -> SyncStatus:
            offline_since = old.offline_since
            last_contact = old.last_contact_at
            if contacted:
                if state is ConnectionState.CONNECTED:
                    offline_since, last_contact = None, now
                elif offline_since is None:
                    offline_since = now
            return replace(
                old,
                state=state,
                error=error,
                pending=counts.pending,
                parked=counts.parked,
                oldest_pending_at=counts.oldest_pending_at,
                offline_since=offline_since,
                last_contact_at=last_contact,
                last_drain=drain or old.last_drain,
                last_pull=pull or old.last_pull,
            )

        old, status = self._publish(change)
        if status.state is not old.state:
            logger.info(
                "sync state %s -> %s%s",
                old.state.value,
                status.state.value,
                f" ({status.error})" if status.error else "",
            )


def create_worker(
    db: Database, station_id: str, section: dict[str, Any], data_dir: Path, clock: Clock | None = None
) -> SyncWorker:
    """Build the worker from the station's ``"sync"`` settings section (the GUI's composition root calls
    this). Unconfigured or unusable settings give a worker that only reports counts and why."""
    settings = SyncSettings.from_section(section)
    outbox = Outbox(db.sessions, clock)
    client: SyncClient | None = None
    problem: str | None = None
    if settings.configured:
        try:
            client = settings.make_client(outbox, station_id, clock)
        except SyncConfigError as exc:
            problem = str(exc)
            logger.error("sync settings unusable: %s", exc)
    worker = SyncWorker(
        outbox,
        client,
        db=db,
        cursors=FileCursorStore(data_dir / STATE_FILE),
        interval=settings.interval,
        pull_every=settings.pull_every,
        clock=clock,
        problem=problem,
    )
    return worker
