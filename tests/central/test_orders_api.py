"""Orders: admin upsert, cursor-based pull by stations."""

from __future__ import annotations

import httpx

from tests.central import factory as f


def pull(station: httpx.Client, cursor: str | None = None, limit: int = 100) -> dict:
    params: dict[str, object] = {"limit": limit}
    if cursor is not None:
        params["cursor"] = cursor
    response = station.get("/api/v1/orders", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_station_pulls_new_and_changed_orders_by_cursor(station: httpx.Client, admin: httpx.Client) -> None:
    first = pull(station)
    assert first["orders"] == []
    put = admin.put(
        "/api/v1/orders", json={"site": "SITE-A", "orders": [f.order("SO-1"), f.order("SO-2"), f.order("SO-3")]}
    )
    assert put.json() == {"created": ["SO-1", "SO-2", "SO-3"], "updated": [], "unchanged": []}

    page1 = pull(station, first["cursor"], limit=2)
    assert [o["order_id"] for o in page1["orders"]] == ["SO-1", "SO-2"]
    assert page1["orders"][0]["lines"][0]["barcodes"][1] == {"code": "14006381333938", "units": 6}
    page2 = pull(station, page1["cursor"], limit=2)
    assert [o["order_id"] for o in page2["orders"]] == ["SO-3"]
    idle = pull(station, page2["cursor"])
    assert idle == {"orders": [], "cursor": page2["cursor"]}

    changed = admin.put(
        "/api/v1/orders", json={"site": "SITE-A", "orders": [f.order("SO-1", quantity=5), f.order("SO-2")]}
    ).json()
    assert changed == {"created": [], "updated": ["SO-1"], "unchanged": ["SO-2"]}
    update = pull(station, idle["cursor"])
    assert [(o["order_id"], o["lines"][0]["quantity"]) for o in update["orders"]] == [("SO-1", 5)]


def test_bad_cursor_and_bad_orders_get_clear_422s(station: httpx.Client, admin: httpx.Client) -> None:
    bad = station.get("/api/v1/orders", params={"cursor": "yesterday"})
    assert bad.status_code == 422 and "cursor" in bad.json()["detail"]
    no_lines = f.order("SO-X")
    no_lines["lines"] = []
    refused = admin.put("/api/v1/orders", json={"orders": [no_lines]})
    assert refused.status_code == 422 and "lines" in refused.text
    assert pull(station)["orders"] == []


def test_only_admins_upsert_orders(station: httpx.Client) -> None:
    assert station.put("/api/v1/orders", json={"orders": [f.order("SO-1")]}).status_code == 403
    assert pull(station)["orders"] == []
