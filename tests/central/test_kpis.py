"""KPIs per site / station / day from what stations sent and what staff did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.central import factory as f
from tests.central.server import CentralServer

DAY = datetime(2025, 3, 4, tzinfo=UTC)


def at(hour: float) -> datetime:
    return DAY + timedelta(hours=hour)


def send(client: httpx.Client, station_id: str, events: list[dict]) -> None:
    body = client.post("/api/v1/events", json={"station_id": station_id, "events": events}).json()
    assert body["rejected"] == [], body


def test_kpis_count_orders_lines_incidents_and_time_to_resolution(central: CentralServer, admin: httpx.Client) -> None:
    s1 = httpx.Client(
        base_url=central.base_url,
        headers={"Authorization": f"Bearer {central.issue_station_token('ST-1', site='SITE-A')}"},
    )
    s2 = httpx.Client(
        base_url=central.base_url,
        headers={"Authorization": f"Bearer {central.issue_station_token('ST-2', site='SITE-B')}"},
    )
    with s1, s2:
        caught = f.incident_opened(order_id="SO-1", detected_at=at(9))  # blocked before its seal at 10:00
        short = f.incident_opened(order_id="SO-2", kind="short", detected_at=at(11))
        after_seal = f.incident_opened(order_id="SO-3", detected_at=at(13))  # SO-3 sealed at 12:00
        send(
            s1,
            "ST-1",
            [
                caught,
                short,
                after_seal,
                f.pack_sealed("SO-1", lines=3, sealed_at=at(10)),
                f.pack_sealed("SO-2", lines=2, short=True, sealed_at=at(11.5)),
                f.pack_sealed("SO-3", lines=1, sealed_at=at(12)),
                f.pack_cancelled("SO-4", cancelled_at=at(14)),
                f.pack_sealed("SO-OTHER-DAY", lines=9, sealed_at=at(30)),
            ],
        )
        send(
            s2,
            "ST-2",
            [
                f.pack_sealed("SO-9", station_id="ST-2", lines=4, sealed_at=at(10)),
                f.incident_opened(order_id="SO-9", station_id="ST-2", detected_at=at(9.5)),
            ],
        )

    def case(event: dict, status: str) -> None:
        admin.post(
            f"/api/v1/incidents/{event['payload']['incident_id']}/case", json={"status": status, "note": "kpi test"}
        ).raise_for_status()

    case(caught, "customer_notified")
    case(short, "customer_notified")
    case(short, "credit_issued")
    case(short, "resolved")

    kpis = admin.get("/api/v1/kpis", params={"day": "2025-03-04", "station": "ST-1"}).json()
    assert kpis["orders_packed"] == 3
    assert kpis["order_lines"] == 6
    assert kpis["orders_cancelled"] == 1
    assert kpis["incidents"] == 3
    assert kpis["incidents_per_order_line"] == pytest.approx(0.5)
    assert kpis["order_completion_rate"] == pytest.approx(2 / 4)  # SO-1, SO-3 complete; SO-2 short; SO-4 cancelled
    assert kpis["incidents_blocked_before_sealing"] == 2
    assert kpis["detection_to_logged"]["n"] == 3 and kpis["detection_to_logged"]["p50_s"] > 0
    assert kpis["detection_to_notified"]["n"] == 2
    assert kpis["detection_to_resolved"]["n"] == 1
    # Notified a year+ after detection: both notified cases and the untouched one breach.
    assert kpis["cases_breaching_targets"] == 3

    site_b = admin.get("/api/v1/kpis", params={"day": "2025-03-04", "site": "SITE-B"}).json()
    assert (site_b["orders_packed"], site_b["order_lines"], site_b["incidents"]) == (1, 4, 1)
    everyone = admin.get("/api/v1/kpis", params={"day": "2025-03-04"}).json()
    assert (everyone["orders_packed"], everyone["incidents"]) == (4, 4)
    quiet = admin.get("/api/v1/kpis", params={"day": "2025-03-06"}).json()
    assert quiet["orders_packed"] == 0 and quiet["incidents_per_order_line"] is None
    assert admin.get("/api/v1/kpis", params={"day": "04/03/2025"}).status_code == 422
