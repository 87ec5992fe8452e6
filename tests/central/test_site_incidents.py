"""The site view for station tokens: a station sees the flagged incidents of its own site, never another's."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.central import factory as f
from tests.central.server import CentralServer

SITE_URL = "/api/v1/site/incidents"


@pytest.fixture
def clients(central: CentralServer) -> Iterator[dict[str, httpx.Client]]:
    """Station clients: A-1 and A-2 in SITE-A, B-1 in SITE-B, LONE without a site."""
    sites = {"A-1": "SITE-A", "A-2": "SITE-A", "B-1": "SITE-B", "LONE": None}
    made = {
        sid: httpx.Client(
            base_url=central.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {central.issue_station_token(sid, site=site)}"},
        )
        for sid, site in sites.items()
    }
    try:
        yield made
    finally:
        for client in made.values():
            client.close()


def post(client: httpx.Client, station_id: str, *events: dict) -> None:
    answer = client.post("/api/v1/events", json={"station_id": station_id, "events": list(events)})
    assert answer.status_code == 200 and len(answer.json()["accepted"]) == len(events), answer.text


def opened(station_id: str, order_id: str, hours: float, **kw: object) -> dict:
    return f.incident_opened(order_id=order_id, detected_at=f.hours_ago(hours), station_id=station_id, **kw)  # type: ignore[arg-type]


def orders(answer: httpx.Response) -> list[tuple[str, str]]:
    assert answer.status_code == 200, answer.text
    return [(i["station_id"], i["order_id"]) for i in answer.json()["incidents"]]


def test_a_station_sees_the_open_incidents_of_its_site_and_never_another_site(
    clients: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    a1_old = opened("A-1", "SO-A1-OLD", 3, kind="expired")
    post(clients["A-1"], "A-1", a1_old, opened("A-1", "SO-A1-NEW", 0.5))
    a2 = opened("A-2", "SO-A2", 1)
    post(clients["A-2"], "A-2", a2)
    post(clients["B-1"], "B-1", opened("B-1", "SO-B1", 2))
    post(clients["LONE"], "LONE", opened("LONE", "SO-LONE", 2))

    expected_a = [("A-1", "SO-A1-OLD"), ("A-2", "SO-A2"), ("A-1", "SO-A1-NEW")]  # oldest detection first
    assert orders(clients["A-1"].get(SITE_URL, params={"status": "open"})) == expected_a
    assert orders(clients["A-2"].get(SITE_URL)) == expected_a  # open is the default
    assert orders(clients["B-1"].get(SITE_URL)) == [("B-1", "SO-B1")]
    assert orders(clients["LONE"].get(SITE_URL)) == [("LONE", "SO-LONE")]  # no site: only its own

    body = clients["A-1"].get(SITE_URL).json()
    assert body["station_id"] == "A-1" and body["site"] == "SITE-A" and body["truncated"] is False
    first = body["incidents"][0]
    assert first["incident_id"] == a1_old["payload"]["incident_id"]
    assert (first["kind"], first["code"], first["packer_id"]) == ("expired", "04006381333931", "P-7")
    assert first["detected_at"].startswith(a1_old["payload"]["detected_at"][:19])
    assert (first["bench_status"], first["case_status"]) == ("open", "open")

    # The case status comes along: a case moved at the central service shows at the bench.
    admin.post(f"/api/v1/incidents/{a2['payload']['incident_id']}/case", json={"status": "customer_notified"})
    assert [i["case_status"] for i in clients["A-1"].get(SITE_URL).json()["incidents"]] == [
        "open",
        "customer_notified",
        "open",
    ]


def test_cleared_and_escalated_incidents_leave_the_open_view(clients: dict[str, httpx.Client]) -> None:
    a1 = opened("A-1", "SO-1", 2)
    a2 = opened("A-2", "SO-2", 1)
    post(clients["A-1"], "A-1", a1)
    post(clients["A-2"], "A-2", a2)
    post(clients["A-1"], "A-1", f.incident_cleared(a1["payload"]["incident_id"], order_id="SO-1", station_id="A-1"))
    post(clients["A-2"], "A-2", f.incident_escalated(a2["payload"]["incident_id"], order_id="SO-2", station_id="A-2"))

    assert orders(clients["A-1"].get(SITE_URL)) == []
    assert orders(clients["A-1"].get(SITE_URL, params={"status": "cleared"})) == [("A-1", "SO-1")]
    assert orders(clients["A-1"].get(SITE_URL, params={"status": "escalated"})) == [("A-2", "SO-2")]
    # A clearance whose opening has not arrived yet is not something a supervisor can act on.
    post(clients["A-2"], "A-2", f.incident_cleared("22222222-2222-4222-8222-222222222222", station_id="A-2"))
    assert orders(clients["A-1"].get(SITE_URL, params={"status": "cleared"})) == [("A-1", "SO-1")]


def test_the_limit_keeps_the_oldest_and_says_it_cut(clients: dict[str, httpx.Client]) -> None:
    post(clients["A-1"], "A-1", *[opened("A-1", f"SO-{n}", 5 - n) for n in range(4)])
    body = clients["A-2"].get(SITE_URL, params={"limit": 2}).json()
    assert [i["order_id"] for i in body["incidents"]] == ["SO-0", "SO-1"] and body["truncated"] is True
    assert clients["A-2"].get(SITE_URL, params={"limit": 4}).json()["truncated"] is False


def test_only_station_tokens_and_no_parameter_widens_the_scope(
    central: CentralServer, clients: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    post(clients["B-1"], "B-1", opened("B-1", "SO-B1", 1))
    assert admin.get(SITE_URL).status_code == 403  # admins have GET /api/v1/incidents
    assert httpx.get(central.base_url + SITE_URL, timeout=30).status_code == 401
    for params in ({"site": "SITE-B"}, {"station": "B-1"}, {"station_id": "B-1"}):
        assert orders(clients["A-1"].get(SITE_URL, params=params)) == []  # unknown parameters are ignored
    assert clients["A-1"].get(SITE_URL, params={"status": "nonsense"}).status_code == 422
    assert clients["A-1"].get(SITE_URL, params={"limit": 0}).status_code == 422

    # Moving a station to another site moves its view with it, at once.
    central.issue_station_token("A-1", site="SITE-B")
    assert orders(clients["A-1"].get(SITE_URL)) == [("B-1", "SO-B1")]
