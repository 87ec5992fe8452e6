"""`packgate sync ...` end to end: the real CLI entry point, a real station dir, a real central service."""

from __future__ import annotations

import json

import httpx
import pytest

from station.orders import list_orders
from tests.central import factory as f
from tests.central.server import CentralServer
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import central_event_ids, enqueue_raw, fill_outbox
from ui.bootstrap import Station
from ui.cli import main


def packgate(station: Station, *args: str) -> int:
    return main(["sync", *args, "--data-dir", str(station.paths.root), "--station", STATION_ID])


def test_configure_then_run_drains_once_and_status_shows_the_result(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill_outbox(station.db, 250)
    token = central_sqlite.issue_station_token(STATION_ID)
    assert packgate(station, "configure", "--url", central_sqlite.base_url, "--token", token) == 0
    configured = capsys.readouterr().out
    assert token not in configured  # a secret is not echoed to the terminal (or a screen recording)
    settings = json.loads((station.paths.root / "settings.json").read_text())
    assert settings["sync"] == {"url": central_sqlite.base_url, "token": token}
    assert (station.paths.root / "settings.json").stat().st_mode & 0o077 == 0  # not readable by others

    assert packgate(station, "run") == 0
    assert capsys.readouterr().out.strip() == "sent 250 event(s); 0 pending, 0 parked"
    assert sorted(central_event_ids(central_sqlite.db_url)) == sorted(ids)

    assert packgate(station, "status", "--json", "--check") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["pending"], report["parked"], report["sent"], report["central"]) == (0, 0, 250, "reachable")
    assert report["token_configured"] is True and token not in json.dumps(report)


def test_parked_events_are_listed_and_retry_parked_says_why_one_cannot_pass(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_outbox(station.db, 2)
    bad = enqueue_raw(
        station.db,
        "incident.opened",
        {"incident_id": "x", "order_id": "SO-9", "kind": "wrong_item", "packer_id": "P-1"},
    )
    token = central_sqlite.issue_station_token(STATION_ID)
    assert packgate(station, "run", "--url", central_sqlite.base_url, "--token", token) == 0
    assert "parked 1" in capsys.readouterr().out
    assert packgate(station, "status") == 0
    out = capsys.readouterr().out
    assert "0 pending, 1 parked, 2 sent" in out
    assert f"parked #3 incident.opened {bad}: not sent: it fails the wire checks: payload.incident_id" in out
    # It cannot pass as it stands: retry-parked says why instead of sending it to be parked again.
    assert packgate(station, "retry-parked") == 5
    captured = capsys.readouterr()
    assert captured.out.strip() == "0 parked event(s) queued again"
    assert f"#3 incident.opened {bad} stays parked, it cannot pass: payload.incident_id" in captured.err
    assert packgate(station, "status", "--json") == 0
    assert json.loads(capsys.readouterr().out)["parked"] == 1


def test_run_against_a_dead_service_exits_4_and_keeps_the_events(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_outbox(station.db, 5)
    token = central_sqlite.issue_station_token(STATION_ID)
    central_sqlite.stop()
    assert packgate(station, "run", "--url", central_sqlite.base_url, "--token", token, "--attempts", "2") == 4
    captured = capsys.readouterr()
    assert "0 pending" not in captured.out and "5 pending" in captured.out
    assert "ConnectError" in captured.err and "events are kept" in captured.err
    central_sqlite.start()
    assert packgate(station, "run", "--url", central_sqlite.base_url, "--token", "bad-token") == 4
    assert "unauthorized: check the station token" in capsys.readouterr().err
    assert packgate(station, "run", "--url", central_sqlite.base_url, "--token", token) == 0
    assert "sent 5 event(s)" in capsys.readouterr().out


def test_run_without_configuration_is_a_usage_error(station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    assert packgate(station, "run") == 2
    assert "sync is not configured" in capsys.readouterr().err


def test_pull_orders_imports_new_skips_invalid_and_never_replaces_a_packed_order(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    central = central_sqlite
    bad_digit = f.order("B-1")
    bad_digit["lines"][0]["barcodes"] = [{"code": "4006381333932", "units": 1}]  # wrong GTIN check digit
    # 00000055 is valid as EAN-8 and as UPC-E: only the station's scan parser can judge that one.
    ambiguous = f.order("B-2")
    ambiguous["lines"][0]["barcodes"] = [{"code": "00000055", "units": 1}]
    with httpx.Client(
        base_url=central.base_url + "/api/v1",
        timeout=10,
        headers={"Authorization": f"Bearer {central.issue_admin_token()}"},
    ) as admin:
        refused = admin.put("/orders", json={"orders": [f.order("A-1"), bad_digit, f.order("A-2")]})
        assert refused.status_code == 422  # the central service refuses what the station would refuse
        assert refused.json()["detail"] == [
            "orders[1].lines[0].barcodes[0]: '4006381333932': check digit is 2, expected 1"
        ]
        assert admin.put("/orders", json={"orders": [f.order("A-1"), ambiguous, f.order("A-2")]}).status_code == 200
        token = central.issue_station_token(STATION_ID)
        conn = ("--url", central.base_url, "--token", token)
        assert packgate(station, "pull-orders", *conn) == 5  # some order was refused: not a silent success
        captured = capsys.readouterr()
        assert captured.out.strip() == "received 3 order(s): 2 new, 0 updated, 0 refused, 1 invalid"
        assert "order B-2 refused by the station's checks" in captured.err and "ambiguous" in captured.err
        assert captured.err.count("B-2") == 1, captured.err  # said once, not once per log handler
        assert (
            "B-2 refused by the station's checks: orders[0].lines[0].barcodes[0]: '00000055' is ambiguous"
            in captured.err
        )
        assert sorted(o["order_id"] for o in list_orders(station.db)) == ["A-1", "A-2"]

        assert packgate(station, "pull-orders", *conn) == 0  # the cursor: nothing new
        assert capsys.readouterr().out.startswith("received 0 order(s)")

        station.service.set_packer("P-1")
        station.service.load_order("A-1")
        station.service.handle_scan("4006381333931", "manual")  # now being packed: no central change may pull it away
        assert (
            admin.put("/orders", json={"orders": [f.order("A-1", quantity=9), f.order("A-2", quantity=4)]}).status_code
            == 200
        )
        assert packgate(station, "pull-orders", *conn) == 5
        captured = capsys.readouterr()
    assert captured.out.strip() == "received 2 order(s): 0 new, 1 updated, 1 refused, 0 invalid"
    assert "order A-1 not replaced: it is already packing" in captured.err
    by_id = {o["order_id"]: o for o in list_orders(station.db)}
    assert by_id["A-1"]["lines"][0]["ordered"] == 2 and by_id["A-2"]["lines"][0]["ordered"] == 4


def test_pull_orders_with_a_revoked_token_fails_clearly(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    issued = central_sqlite.issue_station(STATION_ID)
    central_sqlite.revoke(issued.token_id)
    assert packgate(station, "pull-orders", "--url", central_sqlite.base_url, "--token", issued.secret) == 4
    assert "order pull failed: HTTP 401" in capsys.readouterr().err
