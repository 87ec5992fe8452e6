"""Central knows the weight check: a weight_mismatch incident keeps its weighing's facts (API and case page),
and the KPIs count weight mismatches and weighed orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.central import factory as f
from tests.central.console_helpers import Browser, add_staff
from tests.central.server import CentralServer

DAY = datetime(2025, 3, 4, tzinfo=UTC)
WEIGHT = {
    "outcome": "over",
    "expected_g": 1610.0,
    "measured_g": 1700.0,
    "tolerance_g": 52.2,
    "tare_g": 150.0,
    "unweighed": [],
}


def test_weight_mismatch_reaches_the_api_the_case_page_and_the_kpis(
    central: CentralServer, admin: httpx.Client
) -> None:
    token = central.issue_station_token("ST-1", site="SITE-A")
    opened = f.incident_opened(order_id="SO-1", kind="weight_mismatch", detected_at=DAY + timedelta(hours=9))
    opened["payload"].update(code=None, detail="over:1700/1610±52.2", weight=WEIGHT)
    sealed = f.pack_sealed("SO-2", lines=1, sealed_at=DAY + timedelta(hours=10))
    sealed["payload"]["measured_weight_g"] = 812.5
    with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {token}"}) as station:
        body = station.post(
            "/api/v1/events",
            json={
                "station_id": "ST-1",
                "events": [opened, sealed, f.pack_sealed("SO-3", lines=1, sealed_at=DAY + timedelta(hours=11))],
            },
        ).json()
    assert body["rejected"] == [], body
    incident_id = opened["payload"]["incident_id"]
    detail = admin.get(f"/api/v1/incidents/{incident_id}").json()
    assert (detail["kind"], detail["weight"]) == ("weight_mismatch", WEIGHT)
    add_staff(central, "ana", "service")
    with Browser(central) as ana:
        ana.sign_in("ana")
        page = ana.get(f"/console/cases/{incident_id}").text
    for shown in ("weight mismatch", "Weighed at seal", "1610 g", "1700 g", "+90 g", "± 52.2 g"):
        assert shown in page, shown
    kpis = admin.get("/api/v1/kpis", params={"day": "2025-03-04", "station": "ST-1"}).json()
    assert (kpis["weight_mismatches"], kpis["orders_weighed"]) == (1, 1)

    bad = f.incident_opened(order_id="SO-4", kind="weight_mismatch")
    bad["payload"]["weight"] = {**WEIGHT, "measured_g": "heavy"}
    with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {token}"}) as station:
        refused = station.post("/api/v1/events", json={"station_id": "ST-1", "events": [bad]}).json()
    assert len(refused["rejected"]) == 1  # a weight that is not a number is refused, not stored
