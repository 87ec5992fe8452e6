"""The packer screen syncs in the background: an incident reaches the central service within seconds,
and the status bar tells the packer when the central service is unreachable (they keep working)."""

from __future__ import annotations

from pathlib import Path

import httpx

from station.clock import SystemClock
from tests.central.server import run_central
from ui.app import build_window
from ui.demo import open_demo_station
from ui.verdict_style import Tone


def test_incident_is_sent_and_an_outage_is_shown_while_packing_goes_on(qtbot, tmp_path: Path) -> None:
    station, _ = open_demo_station(tmp_path / "station", "ST-W", clock=SystemClock())
    with run_central(f"sqlite:///{tmp_path / 'central.db'}") as central:
        station.settings.set_section(
            "sync", {"url": central.base_url, "interval": 0.2, "token": central.issue_station_token("ST-W")}
        )
        admin = central.issue_admin_token()
        window = build_window(station, [], packer="P1", muted=True, sync=True)
        qtbot.addWidget(window)
        try:
            window.handle_code("ORD-10023")
            blocked = window.service.handle_scan("4006381333931")  # valid EAN on no order: blocks
            assert blocked.incident_id
            window.sync.wake()

            def central_has_it() -> None:
                r = httpx.get(f"{central.base_url}/api/v1/incidents", headers={"Authorization": f"Bearer {admin}"})
                assert blocked.incident_id in r.text

            qtbot.waitUntil(central_has_it, timeout=15000)

            def connected() -> None:
                assert "connected" in window._sync_label.text(), (window._sync_label.text(), window.sync.status)

            qtbot.waitUntil(connected, timeout=5000)

            central.stop()
            window.sync.wake()
            qtbot.waitUntil(lambda: "offline since" in window._sync_label.text(), timeout=15000)
            # Offline, the bench still works: the supervisor clears, the packer scans on.
            window.service.clear(blocked.incident_id, "S1", "took the stray item out", "item_swapped")
            assert window.handle_code("5901230412357").tone is Tone.OK
            qtbot.waitUntil(lambda: "waiting" in window._sync_label.text(), timeout=15000)
        finally:
            window.close()
            assert window.sync.wait_stopped(30)  # close() stops the worker in the background
            station.close()
