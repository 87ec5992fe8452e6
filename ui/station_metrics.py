"""The station's local metrics port (issue 17): Prometheus text for a node exporter's neighbour, a site's
Prometheus or a person with ``curl``, served while the packer screen runs.

Off unless configured: ``packgate --metrics-port N`` or the settings section ``"metrics": {"port": N}``
(``"address"`` defaults to ``127.0.0.1``: the figures name devices and errors, and the port has no
token, so it listens on the bench itself unless a site opens it on purpose, e.g. ``"0.0.0.0"`` behind its
own firewall). Served by ``prometheus_client``'s own HTTP server on a daemon thread; every scrape reads
the figures afresh (the outbox with a query of its own, the sync worker's last status, the devices'
states as the status bar has them), so nothing is counted twice or goes stale.

Figures (all gauges):
- ``packgate_station_outbox_pending``, ``packgate_station_outbox_parked``,
  ``packgate_station_outbox_oldest_pending_age_seconds`` (0 when nothing waits);
- ``packgate_station_sync_state{state=…}`` (1 for the current ``ConnectionState``), ``packgate_station_sync_up``
  (1 when connected), ``packgate_station_sync_last_success_timestamp_seconds`` (the last 2xx from central;
  absent before the first), ``packgate_station_sync_last_error_info{error=…}`` (the last error, at most 200
  characters; absent when there is none);
- ``packgate_station_device_connected{device=…}`` (1 connected, 0 otherwise) and
  ``packgate_station_device_state{device=…,state=…}`` for every scanner and the scale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from station.clock import Clock, as_utc
from station.outbox import Outbox
from sync.transport import ConnectionState
from sync.worker import SyncStatus

logger = logging.getLogger(__name__)

SECTION = "metrics"
DEFAULT_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class MetricsSettings:
    port: int | None = None  # None: no metrics port
    address: str = DEFAULT_ADDRESS

    @classmethod
    def from_section(cls, section: dict[str, object], port: int | None = None) -> MetricsSettings:
        """``port`` (the ``--metrics-port`` flag) wins over the section; 0 turns the port off."""
        chosen = port if port is not None else section.get("port")
        address = section.get("address")
        valid = isinstance(chosen, int) and not isinstance(chosen, bool) and 0 < chosen < 65536
        if chosen not in (None, 0) and not valid:
            logger.error("metrics port %r is not a port number (1-65535): no metrics port", chosen)
        return cls(
            port=chosen if valid else None,  # type: ignore[arg-type]
            address=address if isinstance(address, str) and address else DEFAULT_ADDRESS,
        )


class StationCollector(Collector):
    """Reads the figures at each scrape (see the module docstring)."""

    def __init__(
        self,
        outbox: Outbox,
        sync_status: Callable[[], SyncStatus | None],
        device_states: Callable[[], dict[str, tuple[str, str]]],
        clock: Clock,
    ) -> None:
        self.outbox = outbox
        self.sync_status = sync_status
        self.device_states = device_states
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        counts = self.outbox.counts()
        yield GaugeMetricFamily("packgate_station_outbox_pending", "Events waiting to go to central.", counts.pending)
        yield GaugeMetricFamily("packgate_station_outbox_parked", "Events central refused, kept aside.", counts.parked)
        oldest = counts.oldest_pending_at
        age = max(0.0, (self.clock.now() - as_utc(oldest)).total_seconds()) if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "packgate_station_outbox_oldest_pending_age_seconds", "Age of the oldest waiting event (0: none).", age
        )
        status = self.sync_status()
        current = status.state if status is not None else ConnectionState.NOT_CONFIGURED
        states = GaugeMetricFamily(
            "packgate_station_sync_state", "The sync's connection state (1: now).", labels=["state"]
        )
        for state in ConnectionState:
            states.add_metric([state.value], 1.0 if state is current else 0.0)
        yield states
        yield GaugeMetricFamily(
            "packgate_station_sync_up",
            "1 when central answered the last sync.",
            1.0 if current is ConnectionState.CONNECTED else 0.0,
        )
        if status is not None and status.last_contact_at is not None:
            yield GaugeMetricFamily(
                "packgate_station_sync_last_success_timestamp_seconds",
                "When central last answered with a 2xx (Unix time).",
                _unix(status.last_contact_at),
            )
        if status is not None and status.error:
            error = GaugeMetricFamily(
                "packgate_station_sync_last_error_info", "The sync's last error.", labels=["error"]
            )
            error.add_metric([status.error[:200]], 1.0)
            yield error
        devices = list(self.device_states().items())  # a copy: the Qt thread updates the dict
        connected = GaugeMetricFamily(
            "packgate_station_device_connected", "1 when the scanner or scale is connected.", labels=["device"]
        )
        per_state = GaugeMetricFamily(
            "packgate_station_device_state", "A scanner's or the scale's state (1: now).", labels=["device", "state"]
        )
        for device, (device_state, _detail) in sorted(devices):
            connected.add_metric([device], 1.0 if device_state == "connected" else 0.0)
            per_state.add_metric([device, device_state], 1.0)
        yield connected
        yield per_state


def _unix(value: datetime) -> float:
    return as_utc(value).timestamp()


class MetricsServer:
    """The running port; ``stop()`` closes it (idempotent)."""

    def __init__(self, settings: MetricsSettings, collector: StationCollector) -> None:
        assert settings.port is not None
        registry = CollectorRegistry(auto_describe=False)
        registry.register(collector)
        self._server, self._thread = start_http_server(settings.port, settings.address, registry)
        self.address, self.port = self._server.server_address[:2]
        self.url = f"http://{settings.address}:{self.port}/metrics"
        logger.info("station metrics on %s", self.url)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None  # type: ignore[assignment]


def start_metrics(settings: MetricsSettings, collector: StationCollector) -> MetricsServer | None:
    """The metrics port, or None when it is off or cannot be opened (logged: the bench works without it)."""
    if settings.port is None:
        return None
    try:
        return MetricsServer(settings, collector)
    except OSError as exc:
        logger.error(
            "metrics port %s:%d cannot be opened (%s): the station runs without it",
            settings.address,
            settings.port,
            exc.strerror or exc,
        )
        return None


def attach_metrics(window: Any, station: Any, port: int | None = None) -> MetricsServer | None:
    """Open the metrics port of a packer window when configured (``port``: the ``--metrics-port`` flag)."""
    settings = MetricsSettings.from_section(station.settings.section(SECTION), port)
    if settings.port is None:
        return None
    collector = StationCollector(
        Outbox(station.db.sessions, station.clock),
        lambda: window.sync.status if window.sync is not None else None,
        lambda: window.status.device_states,
        station.clock,
    )
    return start_metrics(settings, collector)
