"""GET /metrics after real traffic, parsed with Prometheus's own text parser: the counters of what stations
sent, the batch latency, open and overdue cases per site, webhook deliveries being retried, each
station's last contact and sync lag; only a metrics or admin token reads it; every metric the shipped
alert rules use is there."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from sync.server.blobs import FileBlobStore
from sync.server.cli import main
from tests.central import factory as f
from tests.central.receiver import FAIL, Receiver
from tests.central.server import CentralServer, run_central
from tests.central.test_webhooks import FAST, SECRET, add_webhook, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def central(db_url: str, tmp_path: Path) -> Iterator[CentralServer]:
    with run_central(db_url, app_options={"webhook_policy": FAST, "blobs": FileBlobStore(tmp_path / "b")}) as server:
        yield server


@pytest.fixture
def scraper(central: CentralServer, capsys: pytest.CaptureFixture[str]) -> Iterator[httpx.Client]:
    assert main(["token", "issue", "--kind", "metrics", "prometheus", "--db", central.db_url]) == 0
    token = re.search(r"^token: (\S+)$", capsys.readouterr().out, re.M).group(1)  # type: ignore[union-attr]
    with httpx.Client(base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def scrape(client: httpx.Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_after_real_traffic(
    central: CentralServer, scraper: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    leeds = central.issue_station_token("LEEDS-1", site="LEEDS")
    other = central.issue_station_token("YORK-1", site="YORK")
    three_hours_ago = datetime.now(UTC) - timedelta(hours=3)
    with Receiver(SECRET, lambda _e, _n: FAIL) as receiver:
        hook = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        late = f.incident_opened(order_id="SO-M1", detected_at=three_hours_ago, station_id="LEEDS-1")
        fresh = f.incident_opened(order_id="SO-M2", station_id="LEEDS-1")
        bad = f.incident_opened(order_id="SO-M3", station_id="LEEDS-1")
        bad["payload"]["kind"] = "no_such_kind"
        with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {leeds}"}) as st:
            first = st.post("/api/v1/events", json={"station_id": "LEEDS-1", "events": [late, fresh, bad]})
            assert len(first.json()["accepted"]) == 2 and len(first.json()["rejected"]) == 1
            again = st.post("/api/v1/events", json={"station_id": "LEEDS-1", "events": [fresh]})
            assert len(again.json()["duplicates"]) == 1
        with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {other}"}) as st:
            york = f.incident_opened(order_id="SO-Y1", station_id="YORK-1")
            assert st.post("/api/v1/events", json={"station_id": "YORK-1", "events": [york]}).status_code == 200
        wait_until(lambda: len(receiver.all()) >= 2, 30, "the webhook tried and failed")
        samples = scrape(scraper)

    assert value(samples, "packgate_events_total", outcome="accepted") == 3
    assert value(samples, "packgate_events_total", outcome="duplicate") == 1
    assert value(samples, "packgate_events_total", outcome="rejected") == 1
    assert value(samples, "packgate_events_rejected_total", reason="invalid") == 1
    assert value(samples, "packgate_event_batch_seconds_count") == 3
    assert 0 < value(samples, "packgate_event_batch_seconds_sum") < 30
    assert value(samples, "packgate_cases_open", site="LEEDS") == 2
    assert value(samples, "packgate_cases_open", site="YORK") == 1
    assert value(samples, "packgate_cases_overdue", site="LEEDS", target="notify") == 1  # told within 2 h: missed
    assert value(samples, "packgate_cases_overdue", site="YORK", target="notify") == 0
    pending = value(samples, "packgate_webhook_deliveries", webhook=hook, status="pending")
    assert pending == 3 and value(samples, "packgate_webhook_retrying", webhook=hook) >= 1
    seen = value(samples, "packgate_station_last_seen_timestamp_seconds", station="LEEDS-1", site="LEEDS")
    assert abs(seen - time.time()) < 120
    # LEEDS-1's newest event (by its seq) is the one it re-sent fresh; YORK-1's arrived at once.
    assert value(samples, "packgate_station_sync_lag_seconds", station="YORK-1", site="YORK") < 60


def test_only_a_metrics_or_admin_token_reads_metrics_and_a_metrics_token_reads_nothing_else(
    central: CentralServer, scraper: httpx.Client, station: httpx.Client, admin: httpx.Client
) -> None:
    assert httpx.get(f"{central.base_url}/metrics", timeout=10).status_code == 401
    assert station.get("/metrics").status_code == 403
    assert admin.get("/metrics").status_code == 200
    for method, path in [("GET", "/api/v1/incidents"), ("GET", "/api/v1/kpis"), ("POST", "/api/v1/events")]:
        refused = scraper.request(method, path, json={} if method == "POST" else None)
        assert refused.status_code == 403 and "metrics token reads GET /metrics only" in refused.text


def test_every_metric_the_alert_rules_use_is_exported(central: CentralServer, scraper: httpx.Client) -> None:
    rules = (ROOT / "deploy" / "prometheus-alerts.yml").read_text()
    used = set(re.findall(r"\b(packgate_[a-z_]+)", rules))
    exported = {name for name, _ in scrape(scraper)}
    # Families appear once they have a sample: give each one.
    station = central.issue_station_token("ST-A", site="A")
    with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {station}"}) as st:
        st.post("/api/v1/events", json={"station_id": "ST-A", "events": [f.incident_opened(station_id="ST-A")]})
    exported |= {name for name, _ in scrape(scraper)}
    known = exported | {"packgate_webhook_deliveries", "packgate_webhook_retrying", "packgate_cases_overdue"}
    assert used and used <= known, used - known
