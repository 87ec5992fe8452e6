"""``GET /metrics``: central's figures for Prometheus, in its text format.

Library choice: ``prometheus_client``, the Prometheus project's own Python client (counters, histograms,
the text format, and a multi-process mode for ``serve --workers N``).

Two kinds of figures:

- **Counted as they happen, per process:** events posted by stations by outcome
  (``packgate_events_total{outcome="accepted|duplicate|rejected"}``), rejections by reason
  (``packgate_events_rejected_total{reason="invalid|conflict"}``) and the time to store one batch
  (``packgate_event_batch_seconds``, a histogram). With several processes, set ``PROMETHEUS_MULTIPROC_DIR``
  to an empty directory shared by them (the client's multi-process mode) so that any process answers
  for all; without it each answers for itself.
- **Read from the database at each scrape**, so every process gives the same answer: open cases and
  overdue cases per site (``packgate_cases_open``, ``packgate_cases_overdue{target="notify|remedy"}``),
  webhook deliveries per endpoint and status (``packgate_webhook_deliveries``), the deliveries being
  retried after a failure (``packgate_webhook_retrying``), and per station the last time it was heard
  from and how late its newest event arrived (``packgate_station_last_seen_timestamp_seconds``,
  ``packgate_station_sync_lag_seconds``). Each is one grouped query on an indexed column, except the
  sync lag: one indexed look-up per station.

Scraped with a *metrics* token (``packgate-central token issue --kind metrics prometheus``), which reads
``/metrics`` and nothing else, or an admin token. The figures name sites and stations, so they are not
public. Alert rules that use them: ``deploy/prometheus-alerts.yml``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from sync.server.models import Event, Incident, Station, WebhookDelivery
from sync.wire.events import BatchResult

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NO_SITE = "(none)"  # a station registered without a site
BATCH_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _seconds(value: datetime) -> float:
    return value.timestamp()


class DatabaseFigures(Collector):
    """The figures read from the database when Prometheus scrapes (see the module docstring)."""

    def __init__(self, sessions: Callable[[], sessionmaker[Session]], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    def collect(self) -> Iterator[Metric]:
        now = self._clock()
        try:
            with self._sessions()() as s:
                yield from self._cases(s, now)
                yield from self._webhooks(s)
                yield from self._stations(s)
        except Exception:  # the database is away: the counters still go out; readiness says the rest
            logger.exception("metrics: reading the figures from the database failed")

    def _cases(self, s: Session, now: datetime) -> Iterator[Metric]:
        site = func.coalesce(Station.site, NO_SITE)
        open_case = and_(Incident.resolved_at.is_(None), Incident.detected_at.is_not(None))
        base = (
            select(site, func.count())
            .select_from(Incident)
            .outerjoin(Station, Station.station_id == Incident.station_id)
        )
        opened = GaugeMetricFamily(
            "packgate_cases_open", "Remediation cases not resolved yet, per site.", labels=["site"]
        )
        for name, n in s.execute(base.where(open_case).group_by(site)):
            opened.add_metric([name], n)
        yield opened
        overdue = GaugeMetricFamily(
            "packgate_cases_overdue",
            "Open cases past a target (customer told within 2 h; the remedy's due time), per site.",
            labels=["site", "target"],
        )
        targets = {
            "notify": and_(Incident.notified_at.is_(None), Incident.notify_due_at < now),
            "remedy": and_(Incident.remedied_at.is_(None), Incident.remedy_due_at < now),
        }
        for target, late in targets.items():
            for name, n in s.execute(base.where(open_case, late).group_by(site)):
                overdue.add_metric([name, target], n)
        yield overdue

    def _webhooks(self, s: Session) -> Iterator[Metric]:
        deliveries = GaugeMetricFamily(
            "packgate_webhook_deliveries", "Webhook deliveries per endpoint and status.", labels=["webhook", "status"]
        )
        rows = s.execute(
            select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count()).group_by(
                WebhookDelivery.webhook_id, WebhookDelivery.status
            )
        )
        for webhook, status, n in rows:
            deliveries.add_metric([webhook, status], n)
        yield deliveries
        retrying = GaugeMetricFamily(
            "packgate_webhook_retrying",
            "Pending deliveries that failed at least once, per endpoint.",
            labels=["webhook"],
        )
        failing = s.execute(
            select(WebhookDelivery.webhook_id, func.count())
            .where(WebhookDelivery.status == "pending", WebhookDelivery.last_error.is_not(None))
            .group_by(WebhookDelivery.webhook_id)
        )
        for webhook, n in failing:
            retrying.add_metric([webhook], n)
        yield retrying

    def _stations(self, s: Session) -> Iterator[Metric]:
        seen = GaugeMetricFamily(
            "packgate_station_last_seen_timestamp_seconds",
            "When the station last sent events or an anchor (Unix time).",
            labels=["station", "site"],
        )
        lag = GaugeMetricFamily(
            "packgate_station_sync_lag_seconds",
            "How long the station's newest event took from the bench to central.",
            labels=["station", "site"],
        )
        for station in s.scalars(select(Station).order_by(Station.station_id)):
            labels = [station.station_id, station.site or NO_SITE]
            if station.last_seen_at is not None:
                seen.add_metric(labels, _seconds(station.last_seen_at))
            newest = s.execute(
                select(Event.occurred_at, Event.received_at)
                .where(Event.station_id == station.station_id)
                .order_by(Event.seq.desc())
                .limit(1)
            ).first()
            if newest is not None:
                lag.add_metric(labels, max(0.0, (newest.received_at - newest.occurred_at).total_seconds()))
        yield seen
        yield lag


class CentralMetrics:
    """The counters one process keeps, and the registry ``/metrics`` renders."""

    def __init__(self, sessions: Callable[[], sessionmaker[Session]], clock: Callable[[], datetime]) -> None:
        self._registry = CollectorRegistry()
        self._database = DatabaseFigures(sessions, clock)
        self.events = Counter(
            "packgate_events", "Events posted by stations, by outcome.", ["outcome"], registry=self._registry
        )
        self.rejected = Counter(
            "packgate_events_rejected", "Events refused, by reason.", ["reason"], registry=self._registry
        )
        self.batch_seconds = Histogram(
            "packgate_event_batch_seconds",
            "Time to validate and store one batch of events.",
            buckets=BATCH_BUCKETS,
            registry=self._registry,
        )
        for outcome in ("accepted", "duplicate", "rejected"):
            self.events.labels(outcome)  # present from the start, at 0: rate() needs the series
        for reason in ("invalid", "conflict"):
            self.rejected.labels(reason)
        self._registry.register(self._database)

    def observe_batch(self, result: BatchResult, seconds: float) -> None:
        self.batch_seconds.observe(seconds)
        self.events.labels("accepted").inc(len(result.accepted))
        self.events.labels("duplicate").inc(len(result.duplicates))
        self.events.labels("rejected").inc(len(result.rejected))
        for rejection in result.rejected:
            self.rejected.labels("conflict" if rejection.status == 409 else "invalid").inc()

    def render(self) -> bytes:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # Every process's counters from the shared directory, plus the database figures once.
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            registry.register(self._database)
            return generate_latest(registry)
        return generate_latest(self._registry)
