"""POST /api/v1/events against the real service on SQLite and PostgreSQL."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from sync.server.db import make_engine
from sync.server.models import Event
from tests.central import factory as f
from tests.central.server import CentralServer

EVENTS = "/api/v1/events"


def stored_events(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Event)) or 0)
    finally:
        engine.dispose()


def post(client: httpx.Client, events: list[dict], station_id: str = "ST-1") -> httpx.Response:
    return client.post(EVENTS, json={"station_id": station_id, "events": events})


def test_batch_is_accepted_and_a_resent_batch_is_all_duplicates(station: httpx.Client, central: CentralServer) -> None:
    opened = f.incident_opened()
    events = [opened, f.pack_sealed("SO-1"), f.audit("login")]
    first = post(station, events)
    assert first.status_code == 200, first.text
    assert sorted(first.json()["accepted"]) == sorted(e["event_id"] for e in events)
    assert first.json()["duplicates"] == [] and first.json()["rejected"] == []

    again = post(station, events)
    assert again.json()["accepted"] == []
    assert sorted(again.json()["duplicates"]) == sorted(e["event_id"] for e in events)
    assert stored_events(central.db_url) == 3


def test_malformed_events_are_rejected_one_by_one_and_the_rest_stored(
    station: httpx.Client, admin: httpx.Client, central: CentralServer
) -> None:
    good = f.incident_opened(order_id="SO-GOOD")
    bad_kind = f.incident_opened()
    bad_kind["payload"]["kind"] = "shoplifted"
    naive_time = f.audit()
    naive_time["occurred_at"] = "2025-05-01T10:00:00"
    missing_field = f.pack_sealed()
    del missing_field["payload"]["lines"]
    unknown_type = f.envelope("pack.teleported", {})
    other_station = f.audit(station_id="ST-2")
    events = [bad_kind, good, naive_time, 42, missing_field, unknown_type, other_station, f.audit("logout")]

    body = post(station, events).json()

    assert len(body["accepted"]) == 2
    assert good["event_id"] in body["accepted"]
    rejected = {r["index"]: r for r in body["rejected"]}
    assert sorted(rejected) == [0, 2, 3, 4, 5, 6]
    assert rejected[0]["event_id"] == bad_kind["event_id"]
    assert any(e.startswith("payload.kind:") for e in rejected[0]["errors"]), rejected[0]
    assert any(e.startswith("occurred_at:") and "timezone" in e for e in rejected[2]["errors"]), rejected[2]
    assert rejected[3] == {
        "index": 3,
        "event_id": None,
        "errors": ["an event must be a JSON object, got int"],
        "status": 422,
    }
    assert any(e.startswith("payload.lines:") for e in rejected[4]["errors"]), rejected[4]
    assert "unknown event type 'pack.teleported'" in rejected[5]["errors"][0]
    assert "ST-2" in rejected[6]["errors"][0]
    assert stored_events(central.db_url) == 2
    listed = admin.get("/api/v1/incidents").json()["incidents"]
    assert [i["order_id"] for i in listed] == ["SO-GOOD"]


@pytest.mark.parametrize(
    "body", [b"not json", b'{"station_id": "ST-1"}', b'{"station_id": "ST-1", "events": 3}', b"[]"]
)
def test_a_malformed_body_is_422_and_nothing_stored(station: httpx.Client, central: CentralServer, body: bytes) -> None:
    response = station.post(EVENTS, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert stored_events(central.db_url) == 0


def test_more_than_500_events_is_refused_as_a_whole(station: httpx.Client, central: CentralServer) -> None:
    response = post(station, [f.audit() for _ in range(501)])
    assert response.status_code == 422
    assert "500" in response.text
    assert stored_events(central.db_url) == 0


def test_unknown_missing_and_revoked_tokens_get_401_and_nothing_is_stored(central: CentralServer) -> None:
    issued = central.issue_station("ST-9")
    events = {"station_id": "ST-9", "events": [f.audit(station_id="ST-9")]}
    with httpx.Client(base_url=central.base_url) as client:
        assert client.post(EVENTS, json=events).status_code == 401
        wrong = client.post(EVENTS, json=events, headers={"Authorization": "Bearer not-a-token"})
        assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
        auth = {"Authorization": f"Bearer {issued.secret}"}
        assert client.get("/api/v1/orders", headers=auth).status_code == 200  # valid before revocation
        central.revoke(issued.token_id)
        assert client.post(EVENTS, json=events, headers=auth).status_code == 401
    assert stored_events(central.db_url) == 0


def test_a_token_only_speaks_for_its_own_station(
    station: httpx.Client, admin: httpx.Client, central: CentralServer
) -> None:
    foreign = post(station, [f.audit(station_id="ST-2")], station_id="ST-2")
    assert foreign.status_code == 403
    assert "ST-1" in foreign.json()["detail"]
    assert admin.post(EVENTS, json={"station_id": "ST-1", "events": [f.audit()]}).status_code == 403
    assert stored_events(central.db_url) == 0


def test_concurrent_identical_batches_store_every_event_exactly_once(central: CentralServer) -> None:
    token = central.issue_station_token("ST-1")
    events = [f.incident_opened() for _ in range(20)] + [f.audit() for _ in range(20)]

    def send(_: int) -> dict:
        with httpx.Client(
            base_url=central.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            response = post(client, events)
            assert response.status_code == 200, response.text
            return response.json()

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(send, range(6)))
    accepted = [e for a in answers for e in a["accepted"]]
    assert sorted(accepted) == sorted(e["event_id"] for e in events)  # each accepted by exactly one request
    assert all(len(a["accepted"]) + len(a["duplicates"]) == len(events) for a in answers)
    assert stored_events(central.db_url) == len(events)


def test_cleared_arriving_before_opened_keeps_both(station: httpx.Client, admin: httpx.Client) -> None:
    incident_id = str(uuid.uuid4())
    detected = f.hours_ago(1)
    cleared = f.incident_cleared(incident_id, cleared_at=f.hours_ago(0.5))
    assert post(station, [cleared]).json()["accepted"] == [cleared["event_id"]]
    pending = admin.get(f"/api/v1/incidents/{incident_id}").json()
    assert pending["bench_status"] == "cleared" and pending["kind"] is None

    opened = f.incident_opened(incident_id, detected_at=detected, kind="over_scan")
    assert post(station, [opened]).json()["accepted"] == [opened["event_id"]]
    detail = admin.get(f"/api/v1/incidents/{incident_id}").json()
    assert detail["kind"] == "over_scan"
    assert detail["bench_status"] == "cleared"
    assert detail["resolution"] == "item_swapped"
    assert [h["kind"] for h in detail["history"]] == ["incident.opened", "incident.cleared"]


def test_the_service_can_be_stopped_and_restarted_on_the_same_port(central: CentralServer) -> None:
    token = central.issue_station_token("ST-1")
    with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        central.stop()
        with pytest.raises(httpx.ConnectError):
            post(client, [f.audit()])
        central.start()
        assert len(post(client, [f.audit()]).json()["accepted"]) == 1


def test_a_station_cannot_clear_or_escalate_another_stations_incident(
    station: httpx.Client, admin: httpx.Client, central: CentralServer
) -> None:
    opened = f.incident_opened()
    incident_id = opened["payload"]["incident_id"]
    assert post(station, [opened]).json()["accepted"] == [opened["event_id"]]
    with httpx.Client(
        base_url=central.base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {central.issue_station_token('ST-2')}"},
    ) as other:
        forged = [
            f.incident_cleared(incident_id, station_id="ST-2"),
            f.incident_escalated(incident_id, station_id="ST-2"),
        ]
        answer = post(other, forged, station_id="ST-2").json()
    assert answer["accepted"] == [] and [r["index"] for r in answer["rejected"]] == [0, 1]
    assert "ST-1" in answer["rejected"][0]["errors"][0]
    detail = admin.get(f"/api/v1/incidents/{incident_id}").json()
    assert detail["bench_status"] == "open" and detail["station_id"] == "ST-1"
    assert [h["kind"] for h in detail["history"]] == ["incident.opened"]
