"""Orders pulled from central keep their tracking flags and their tote (before: only `lot_tracked` travelled,
and it was ignored at the bench), and a tote still held at the station keeps that pulled order out."""

from __future__ import annotations

import httpx
import pytest

from station.model import VerdictKind
from station.orders import list_orders
from tests.central import factory as f
from tests.central.server import CentralServer
from tests.sync.conftest import STATION_ID
from ui.bootstrap import Station
from ui.cli import main

PILLS = "05901230412708"


def packgate(station: Station, *args: str) -> int:
    return main(["sync", *args, "--data-dir", str(station.paths.root), "--station", STATION_ID])


def tracked_order(order_id: str, tote: str | None = None, quantity: int = 2) -> dict:
    order = f.order(order_id, quantity=quantity)
    order["lines"][0]["serial_tracked"] = True
    order["lines"].append(
        {
            "sku": "P-1",
            "description": "Pills",
            "quantity": 1,
            "lot_tracked": True,
            "expiry_tracked": True,
            "barcodes": [{"code": PILLS, "units": 1}],
        }
    )
    if tote:
        order["tote"] = tote
    return order


def test_pulled_flags_and_tote_reach_the_bench_and_a_held_tote_is_refused(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    central = central_sqlite
    with httpx.Client(
        base_url=central.base_url + "/api/v1",
        timeout=10,
        headers={"Authorization": f"Bearer {central.issue_admin_token()}"},
    ) as admin:
        assert admin.put("/orders", json={"orders": [tracked_order("A-1", tote="T-17", quantity=1)]}).status_code == 200
        conn = ("--url", central.base_url, "--token", central.issue_station_token(STATION_ID))
        assert packgate(station, "pull-orders", *conn) == 0
        assert capsys.readouterr().out.strip() == "received 1 order(s): 1 new, 0 updated, 0 refused, 0 invalid"

        service = station.service
        service.set_packer("P-1")
        assert service.handle_scan("T-17").order.order_id == "A-1"  # the tote opens the order
        assert service.handle_scan("4006381333931").kind is VerdictKind.SERIAL_REQUIRED
        assert service.handle_scan(PILLS).kind is VerdictKind.LOT_REQUIRED

        # A second order picked into T-17 while A-1 is unsealed: left out, reported, the cursor moves on.
        assert (
            admin.put("/orders", json={"orders": [tracked_order("B-1", tote="T-17"), f.order("C-1")]}).status_code
            == 200
        )
        assert (
            packgate(station, "pull-orders", *conn) == 5
        )  # an order was refused: the command says so by its exit code
        captured = capsys.readouterr()
        assert captured.out.strip() == "received 2 order(s): 1 new, 0 updated, 0 refused, 1 invalid"
        assert "B-1" in captured.err and "tote 'T-17' is already the tote" in captured.err
        # In the same words as `packgate orders import` (ui.commands.orders.conflict_text): why, and until when.
        assert "order B-1: tote 'T-17' is already the tote of order A-1; it is held until that order" in captured.err
        assert sorted(o["order_id"] for o in list_orders(station.db)) == ["A-1", "C-1"]

        for scan in ("]d20104006381333931" + "21S1", "]d201" + PILLS + "17271231" + "10L1", "CMD:SEAL"):
            assert not service.handle_scan(scan).blocking
        assert service.order.status.value == "sealed"
        # Sealed: T-17 is free, and the order picked into it next comes through.
        assert admin.put("/orders", json={"orders": [tracked_order("B-1", tote="T-17", quantity=3)]}).status_code == 200
        assert packgate(station, "pull-orders", *conn) == 0
        assert capsys.readouterr().out.strip() == "received 1 order(s): 1 new, 0 updated, 0 refused, 0 invalid"
    assert service.handle_scan("T-17").order.order_id == "B-1"
