"""Incidents and their remediation cases through the admin API."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from tests.central import factory as f


def open_incident(station: httpx.Client, **kw: object) -> dict:
    event = f.incident_opened(**kw)  # type: ignore[arg-type]
    assert station.post("/api/v1/events", json={"station_id": "ST-1", "events": [event]}).json()["accepted"]
    return event


def move(admin: httpx.Client, incident_id: str, status: str, note: str = "") -> httpx.Response:
    return admin.post(f"/api/v1/incidents/{incident_id}/case", json={"status": status, "note": note})


def test_case_walks_from_open_to_resolved_with_due_times_and_history(
    station: httpx.Client, admin: httpx.Client
) -> None:
    detected = f.hours_ago(1)
    incident_id = open_incident(station, detected_at=detected, kind="wrong_item")["payload"]["incident_id"]

    detail = admin.get(f"/api/v1/incidents/{incident_id}").json()
    assert detail["case"]["status"] == "open" and detail["case"]["remedy"] == "replacement"
    assert datetime.fromisoformat(detail["case"]["notify_due_at"]) == detected + timedelta(hours=2)
    assert datetime.fromisoformat(detail["case"]["remedy_due_at"]) == detected + timedelta(hours=48)
    assert detail["case"]["breaching"] == []

    assert move(admin, incident_id, "customer_notified", "emailed the customer").status_code == 200
    refunded = move(admin, incident_id, "refund_issued", "customer asked for money back").json()
    assert refunded["case"]["remedy"] == "refund"
    assert datetime.fromisoformat(refunded["case"]["remedy_due_at"]) == detected + timedelta(hours=72)
    resolved = move(admin, incident_id, "resolved", "done").json()
    assert resolved["case"]["status"] == "resolved" and resolved["case"]["resolved_at"]
    transitions = [
        (h["from_status"], h["to_status"], h["actor"]) for h in resolved["history"] if h["kind"] == "case.transition"
    ]
    assert transitions == [
        ("open", "customer_notified", "ops"),
        ("customer_notified", "refund_issued", "ops"),
        ("refund_issued", "resolved", "ops"),
    ]
    assert resolved["history"][0]["kind"] == "incident.opened"


def test_invalid_transitions_are_409_with_the_allowed_next_steps(station: httpx.Client, admin: httpx.Client) -> None:
    incident_id = open_incident(station)["payload"]["incident_id"]
    skip = move(admin, incident_id, "refund_issued")
    assert skip.status_code == 409
    assert "customer_notified" in skip.json()["detail"]
    no_note = move(admin, incident_id, "resolved")
    assert no_note.status_code == 409 and "note" in no_note.json()["detail"]
    assert move(admin, incident_id, "resolved", "fixed at the bench, item swapped before sealing").status_code == 200
    assert move(admin, incident_id, "customer_notified").status_code == 409
    assert admin.get(f"/api/v1/incidents/{incident_id}").json()["case"]["status"] == "resolved"


def test_unknown_incident_is_404_and_pending_incident_cannot_move(station: httpx.Client, admin: httpx.Client) -> None:
    assert move(admin, "00000000-0000-4000-8000-000000000000", "customer_notified").status_code == 404
    assert admin.get("/api/v1/incidents/00000000-0000-4000-8000-000000000000").status_code == 404
    cleared = f.incident_cleared("11111111-1111-4111-8111-111111111111")
    station.post("/api/v1/events", json={"station_id": "ST-1", "events": [cleared]})
    pending = move(admin, "11111111-1111-4111-8111-111111111111", "customer_notified")
    assert pending.status_code == 409 and "not arrived" in pending.json()["detail"]


def test_short_shipments_head_for_a_credit_and_late_cases_breach(station: httpx.Client, admin: httpx.Client) -> None:
    incident_id = open_incident(station, kind="short", detected_at=f.hours_ago(3))["payload"]["incident_id"]
    case = admin.get(f"/api/v1/incidents/{incident_id}").json()["case"]
    assert case["remedy"] == "credit"
    assert case["breaching"] == ["notify"]  # 3 h since detection, nobody notified
    late = move(admin, incident_id, "customer_notified").json()["case"]
    assert late["breaching"] == ["notify"]  # notified, but after the 2 h target


def test_incident_list_shows_station_order_kind_code_and_status_with_filters(
    station: httpx.Client, admin: httpx.Client
) -> None:
    a = open_incident(station, order_id="SO-A", kind="wrong_item", detected_at=f.hours_ago(2))
    b = open_incident(station, order_id="SO-B", kind="expired", detected_at=f.hours_ago(1))
    move(admin, b["payload"]["incident_id"], "customer_notified")

    listed = admin.get("/api/v1/incidents").json()["incidents"]
    assert [(i["order_id"], i["kind"], i["case_status"]) for i in listed] == [
        ("SO-B", "expired", "customer_notified"),
        ("SO-A", "wrong_item", "open"),
    ]
    assert listed[0]["station_id"] == "ST-1" and listed[0]["site"] == "SITE-A"
    assert listed[0]["code"] == "04006381333931"
    only_open = admin.get("/api/v1/incidents", params={"status": "open"}).json()["incidents"]
    assert [i["incident_id"] for i in only_open] == [a["payload"]["incident_id"]]
    assert admin.get("/api/v1/incidents", params={"kind": "expired"}).json()["incidents"][0]["order_id"] == "SO-B"
    assert admin.get("/api/v1/incidents", params={"station": "ST-2"}).json()["incidents"] == []
    assert admin.get("/api/v1/incidents", params={"kind": "nonsense"}).status_code == 422
    assert station.get("/api/v1/incidents").status_code == 403
