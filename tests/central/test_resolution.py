"""GET /api/v1/orders/{order_id}/resolution with a read-only resolution token: what a shop or helpdesk may
read (incidents, case states, remedies, history) and nothing else -- no internal notes, no other endpoint."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from sync.server.cli import main, openapi_document
from tests.central import factory as f
from tests.central.server import CentralServer
from tests.sync.helpers import central_event_ids

PUBLIC = {"/api/v1/health", "/api/v1/health/live", "/api/v1/health/ready"}
RESOLUTION_PATH = "/api/v1/orders/{order_id}/resolution"
SECRETS = ("SECRET-CLEARANCE-REASON", "SECRET-CASE-NOTE", "Agent Smith", "P-7", "SUP-1", "04006381333931")


@pytest.fixture
def resolution_token(central: CentralServer, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["token", "issue", "--kind", "resolution", "shop-frontend", "--db", central.db_url]) == 0
    out = capsys.readouterr().out
    assert "(resolution shop-frontend)" in out
    return re.search(r"^token: (\S+)$", out, re.M).group(1)  # type: ignore[union-attr]


@pytest.fixture
def shop(central: CentralServer, resolution_token: str) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {resolution_token}"}
    ) as client:
        yield client


def worked_case(station: httpx.Client, admin: httpx.Client, order_id: str = "SO-R") -> str:
    opened = f.incident_opened(order_id=order_id, kind="short")
    incident_id = opened["payload"]["incident_id"]
    cleared = f.incident_cleared(incident_id, order_id=order_id, resolution="short_shipped")
    cleared["payload"]["reason"] = "SECRET-CLEARANCE-REASON <script>"
    answer = station.post("/api/v1/events", json={"station_id": "ST-1", "events": [opened, cleared]})
    assert len(answer.json()["accepted"]) == 2
    for status in ("customer_notified", "credit_issued"):
        moved = admin.post(
            f"/api/v1/incidents/{incident_id}/case",
            json={"status": status, "note": "SECRET-CASE-NOTE: called her twice", "actor": "Agent Smith"},
        )
        assert moved.status_code == 200, moved.text
    return incident_id


def test_a_shop_reads_an_orders_resolution_without_internal_notes(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, shop: httpx.Client
) -> None:
    incident_id = worked_case(station, admin)
    worked_case(station, admin, order_id="SO-OTHER")
    answer = shop.get("/api/v1/orders/SO-R/resolution")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    (incident,) = body["incidents"]  # the other order's incident is not here
    assert body["order_id"] == "SO-R" and incident["incident_id"] == incident_id
    assert incident["kind"] == "short" and incident["missing"] == [{"sku": "SKU-2", "description": "Lid", "missing": 1}]
    assert incident["case"]["status"] == "credit_issued" and incident["case"]["remedy"] == "credit"
    assert incident["case"]["notified_at"] and incident["case"]["remedied_at"]
    assert [(h["kind"], h["to_status"]) for h in incident["history"]] == [
        ("incident.opened", None),
        ("incident.cleared", None),
        ("case.transition", "customer_notified"),
        ("case.transition", "credit_issued"),
    ]
    leaked = [s for s in SECRETS if s in answer.text]
    assert leaked == [], f"internal text reached the customer-facing view: {leaked}"
    assert admin.get("/api/v1/orders/SO-R/resolution").json() == body  # the admin token reads it too
    assert station.get("/api/v1/orders/SO-R/resolution").status_code == 403
    assert shop.get("/api/v1/orders/SO-NEVER/resolution").status_code == 404
    for hostile in ("%00", "SO%0aR", "x" * 129):  # no order can have these ids; PostgreSQL refused the NUL (500)
        assert shop.get(f"/api/v1/orders/{hostile}/resolution").status_code == 404


def test_an_order_without_incidents_has_an_empty_resolution(
    central: CentralServer, admin: httpx.Client, shop: httpx.Client
) -> None:
    assert admin.put("/api/v1/orders", json={"site": None, "orders": [f.order("SO-CLEAN")]}).status_code == 200
    assert shop.get("/api/v1/orders/SO-CLEAN/resolution").json() == {"order_id": "SO-CLEAN", "incidents": []}


def _every_operation() -> list[tuple[str, str]]:
    ops = []
    for path, methods in openapi_document()["paths"].items():
        for method in methods:
            if path not in PUBLIC and (method, path) != ("get", RESOLUTION_PATH):
                ops.append((method.upper(), re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)))
    return ops


def test_a_resolution_token_can_read_nothing_else_and_write_nothing(central: CentralServer, shop: httpx.Client) -> None:
    operations = _every_operation()
    assert ("GET", "/api/v1/orders") in operations and ("POST", "/api/v1/events") in operations
    for method, path in operations:
        answer = shop.request(method, path, json={"station_id": "ST-1", "events": [f.incident_opened()]})
        assert answer.status_code == 403, f"{method} {path} answered {answer.status_code} to a resolution token"
        assert "resolution token reads" in answer.json()["detail"]
    # Not only the documented routes: any other path or method too, before any body is read.
    assert shop.post("/api/v1/orders/SO-R/resolution").status_code == 403
    assert shop.get("/api/v1/anything/else").status_code == 403
    assert central_event_ids(central.db_url) == []  # nothing was stored by any of it
