"""Admin endpoints answer bad parameters with 4xx; orders are scoped to their site and checked with the
station's own order-file rules before they are stored (real service, SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import httpx

from tests.central import factory as f
from tests.central.server import CentralServer

CASE_TRANSITION = "/api/v1/incidents/{}/case"


def open_incident(station: httpx.Client) -> str:
    event = f.incident_opened()
    assert station.post("/api/v1/events", json={"station_id": "ST-1", "events": [event]}).json()["accepted"]
    return str(event["payload"]["incident_id"])


def test_kpis_for_a_day_near_the_end_of_the_calendar_is_a_422(admin: httpx.Client) -> None:
    for day in ("9999-12-31", "0001-01-01"):
        response = admin.get("/api/v1/kpis", params={"day": day})
        assert response.status_code == 422, response.text
        assert "must lie between the years 1900 and 8999" in response.text
    assert admin.get("/api/v1/kpis", params={"site": "A\x00B"}).status_code == 422
    assert admin.get("/api/v1/kpis", params={"day": "2026-01-05"}).status_code == 200


def test_a_case_note_with_nul_or_an_actor_with_a_lone_surrogate_is_a_422(
    station: httpx.Client, admin: httpx.Client
) -> None:
    incident_id = open_incident(station)
    url = CASE_TRANSITION.format(incident_id)
    nul = admin.post(url, json={"status": "customer_notified", "note": "called\x00 back"})
    assert nul.status_code == 422 and "NUL" in nul.text
    body = json.dumps({"status": "customer_notified", "note": "ok", "actor": "cs-@@"}).replace("@@", "\\ud800")
    lone = admin.post(url, content=body, headers={"Content-Type": "application/json"})
    assert lone.status_code == 422, lone.text
    fine = admin.post(url, json={"status": "customer_notified", "note": "called back", "actor": "cs-1"})
    assert fine.status_code == 200 and fine.json()["case"]["status"] == "customer_notified"


def test_a_station_reads_only_its_own_sites_orders(
    central: CentralServer, station: httpx.Client, admin: httpx.Client
) -> None:
    """Station tokens read every site's orders, customer addresses included."""
    put_a = admin.put("/api/v1/orders", json={"site": "SITE-A", "orders": [f.order("A-1", ship_to="Alice, Aston")]})
    put_b = admin.put("/api/v1/orders", json={"site": "SITE-B", "orders": [f.order("B-1", ship_to="Bob, Bath")]})
    unsited = admin.put("/api/v1/orders", json={"orders": [f.order("N-1", ship_to="Nobody, Nowhere")]})
    assert put_a.status_code == put_b.status_code == unsited.status_code == 200
    site_b = central.issue_station_token("ST-B", site="SITE-B")
    no_site = central.issue_station_token("ST-N")
    seen = {}
    for name, client_token in (("A", None), ("B", site_b), ("N", no_site)):
        if client_token is None:
            page = station.get("/api/v1/orders").json()
        else:
            page = httpx.get(
                central.base_url + "/api/v1/orders", headers={"Authorization": f"Bearer {client_token}"}
            ).json()
        seen[name] = sorted(o["order_id"] for o in page["orders"])
    assert seen == {"A": ["A-1"], "B": ["B-1"], "N": ["N-1"]}
    assert sorted(o["order_id"] for o in admin.get("/api/v1/orders").json()["orders"]) == ["A-1", "B-1", "N-1"]


def test_central_refuses_orders_the_station_would_refuse_with_the_same_words(
    station: httpx.Client, admin: httpx.Client
) -> None:
    bad_gtin = f.order("SO-1")
    bad_gtin["lines"][0]["barcodes"][0]["code"] = "4006381333932"
    too_many = f.order("SO-2", quantity=10000)  # the wire allowed 100000, the station 9999: now one number
    unreachable = f.order("SO-3", quantity=7)
    unreachable["lines"][0]["barcodes"] = [{"code": "14006381333938", "units": 6}]
    shared = f.order("SO-4")
    shared["lines"].append(
        {"sku": "SKU-2", "description": "Lid", "quantity": 1, "barcodes": [{"code": "4006381333931", "units": 1}]}
    )
    control = f.order("SO-5", ship_to="Ada\x07 Lovelace")
    over = admin.put("/api/v1/orders", json={"site": "SITE-A", "orders": [too_many]})
    assert over.status_code == 422
    assert [(e["loc"], e["msg"]) for e in over.json()["detail"]] == [
        (["body", "orders", 0, "lines", 0, "quantity"], "Input should be less than or equal to 9999")
    ]
    response = admin.put(
        "/api/v1/orders", json={"site": "SITE-A", "orders": [bad_gtin, f.order("SO-6"), unreachable, shared, control]}
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "orders[0].lines[0].barcodes[0]: '4006381333932': check digit is 2, expected 1" in detail
    assert "orders[2].lines[0].quantity: 7 cannot be packed from packs of 6 units" in detail
    assert (
        "orders[3].lines[1].barcodes[0]: '4006381333931' is also listed for SKU SKU-1 (orders[3].lines[0]); "
        "a scan could not tell them apart"
    ) in detail
    assert "orders[4].ship_to: contains control character U+0007" in detail
    assert station.get("/api/v1/orders").json()["orders"] == []  # refused whole: nothing stored
