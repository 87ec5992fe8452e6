"""The station's local metrics port (issue 17), scraped over HTTP and read with Prometheus' own text parser
while a real packer screen scans from a pty scanner and syncs to a real central service, which then goes
away."""

from __future__ import annotations

import logging
import os
import socket
import tty
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from station.clock import SystemClock
from station.outbox import Outbox
from tests.central.pg import free_port
from tests.central.server import run_central
from ui.app import build_window
from ui.demo import open_demo_station
from ui.scan_sources import parse_spec

WRONG_ITEM = "4006381333931"  # a valid EAN on no order: blocks, an incident for central


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """name + labels -> value, parsed by prometheus_client's parser."""
    answer = httpx.get(url, timeout=5)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(figures: dict, name: str, **labels: str) -> float | None:
    return figures.get((name, tuple(sorted(labels.items()))))


def test_the_metrics_port_shows_backlog_sync_and_devices_after_real_scans(qtbot, tmp_path: Path) -> None:
    station, _ = open_demo_station(tmp_path / "station", "ST-M", clock=SystemClock())
    master, slave = os.openpty()
    tty.setraw(slave)
    port = free_port()
    with run_central(f"sqlite:///{tmp_path / 'central.db'}") as central:
        station.settings.set_section(
            "sync", {"url": central.base_url, "interval": 0.2, "token": central.issue_station_token("ST-M")}
        )
        window = build_window(
            station, [parse_spec(f"serial:{os.ttyname(slave)}")], packer="P1", muted=True, sync=True, metrics_port=port
        )
        qtbot.addWidget(window)
        url = f"http://127.0.0.1:{port}/metrics"
        try:
            assert window.metrics is not None and window.metrics.address == "127.0.0.1"
            qtbot.waitUntil(lambda: "connected" in window.device_status_text(), timeout=5000)
            (scanner,) = [d for d in window.status.device_states if d.startswith("serial")]
            os.write(master, b"ORD-10023\r")
            qtbot.waitUntil(lambda: window.service.order is not None, timeout=5000)
            os.write(master, WRONG_ITEM.encode() + b"\r")
            qtbot.waitUntil(lambda: len(window.service.open_incidents()) == 1, timeout=5000)

            def synced() -> None:
                figures = scrape(url)
                assert value(figures, "packgate_station_sync_up") == 1.0
                assert value(figures, "packgate_station_outbox_pending") == 0.0

            qtbot.waitUntil(synced, timeout=15000)
            figures = scrape(url)
            assert value(figures, "packgate_station_device_connected", device=scanner) == 1.0
            assert value(figures, "packgate_station_device_state", device=scanner, state="connected") == 1.0
            assert value(figures, "packgate_station_sync_state", state="connected") == 1.0
            assert value(figures, "packgate_station_sync_state", state="offline") == 0.0
            success = value(figures, "packgate_station_sync_last_success_timestamp_seconds")
            assert success is not None and abs(success - SystemClock().now().timestamp()) < 60
            assert ("packgate_station_sync_last_error_info", ()) not in figures and not any(
                name == "packgate_station_sync_last_error_info" for name, _ in figures
            )

            central.stop()  # central goes away; the packer scans on
            (first,) = window.service.open_incidents()
            window.service.clear(first.id, "S1", "took the stray item out", "item_swapped")
            os.write(master, WRONG_ITEM.encode() + b"\r")
            qtbot.waitUntil(lambda: len(window.service.open_incidents()) == 1, timeout=5000)
            window.sync.wake()

            def offline() -> None:
                figures = scrape(url)
                assert value(figures, "packgate_station_sync_up") == 0.0
                assert value(figures, "packgate_station_sync_state", state="offline") == 1.0
                assert value(figures, "packgate_station_outbox_pending") == Outbox(station.db.sessions).counts().pending
                assert (value(figures, "packgate_station_outbox_pending") or 0) >= 1
                assert (value(figures, "packgate_station_outbox_oldest_pending_age_seconds") or 0) > 0
                errors = [labels for name, labels in figures if name == "packgate_station_sync_last_error_info"]
                assert errors and "Connect" in dict(errors[0])["error"], errors

            qtbot.waitUntil(offline, timeout=15000)
            assert value(scrape(url), "packgate_station_sync_last_success_timestamp_seconds") == success  # kept

            os.close(master)  # the scanner unplugged
            master = -1
            qtbot.waitUntil(
                lambda: value(scrape(url), "packgate_station_device_connected", device=scanner) == 0.0, timeout=10000
            )
        finally:
            window.close()
            assert window.sync.wait_stopped(30)
            if master >= 0:
                os.close(master)
            os.close(slave)
            station.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)  # closed with the window


def test_no_port_unless_configured_and_a_busy_port_does_not_stop_the_bench(qtbot, tmp_path: Path, caplog) -> None:
    station, _ = open_demo_station(tmp_path / "station", "ST-N", clock=SystemClock())
    try:
        window = build_window(station, [], packer="P1", muted=True)
        qtbot.addWidget(window)
        assert window.metrics is None
        window.close()

        taken = socket.create_server(("127.0.0.1", 0))
        busy = taken.getsockname()[1]
        station.settings.set_section("metrics", {"port": busy})  # the settings' port, no flag
        with caplog.at_level(logging.ERROR, logger="ui.station_metrics"):
            window = build_window(station, [], packer="P1", muted=True)
        qtbot.addWidget(window)
        assert window.metrics is None and window.handle_code("ORD-10023") is not None  # the bench works
        assert f"metrics port 127.0.0.1:{busy} cannot be opened" in caplog.text
        window.close()
        taken.close()
    finally:
        station.close()
