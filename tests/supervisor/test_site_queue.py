"""The flagged queue's "Whole site" view against the real central service.

Three real stations block packages and sync them through their outboxes: BENCH-07 (the supervisor's, from
the `blocked` fixture) and BENCH-08 in SITE-A, OTHER-01 in SITE-B. The queue at BENCH-07 must list the
two SITE-A packages and never OTHER-01's, keep its filters and ageing colours, open only its own
incidents, and stay usable when the service is missing, down or hanging.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from station.clock import FrozenClock
from station.order_files import parse_orders_csv
from station.orders import import_orders
from station.outbox import Outbox
from sync.client import SyncClient
from tests.central.pg import free_port
from tests.central.server import CentralServer, run_central
from tests.supervisor.conftest import ORDERS_CSV, WRONG_ITEM
from tests.supervisor.drivers import drive_clearance, drive_login
from ui.bootstrap import Station, bootstrap
from ui.supervisor.queue import THIS_STATION, WHOLE_SITE, FlaggedQueueWindow
from ui.supervisor.style import AGEING, OVERDUE

pytestmark = pytest.mark.usefixtures("ui_directory")


def rows(window: FlaggedQueueWindow) -> list[list[str]]:
    t = window.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def headers(window: FlaggedQueueWindow) -> list[str]:
    return [window.table.horizontalHeaderItem(c).text() for c in range(window.table.columnCount())]


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralServer]:
    with run_central(f"sqlite:///{tmp_path / 'central.db'}") as server:
        yield server


def block_and_sync(station: Station, central: CentralServer, token: str, packer: str) -> None:
    """Packer `packer` scans a wrong item into T1 (unless the bench is blocked already), then the station's
    outbox is drained to the central service as the sync worker would."""
    svc = station.service
    if not svc.open_incidents("T1"):
        svc.set_packer(packer)
        svc.load_order("ORD-T1")
        assert svc.handle_scan(WRONG_ITEM).blocking
    with SyncClient(Outbox(station.db.sessions, station.clock), station.station_id, central.base_url, token) as client:
        result = client.drain_once()
    assert result.error is None and result.sent > 0


@pytest.fixture
def site(blocked: Station, central: CentralServer, clock: FrozenClock, tmp_path: Path) -> Iterator[Station]:
    """BENCH-07 (the queue's station) blocked at 08:00 by P1; BENCH-08 (same site) at 08:40 by P2; OTHER-01
    (another site) at 08:50 by P3. All synced; BENCH-07's sync settings point at the service."""
    own_token = central.issue_station_token("BENCH-07", site="SITE-A")
    block_and_sync(blocked, central, own_token, "P1")
    others = []
    try:
        for station_id, site_name, packer, minutes in (
            ("BENCH-08", "SITE-A", "P2", 40),
            ("OTHER-01", "SITE-B", "P3", 10),
        ):
            clock.advance(minutes=minutes)
            other = bootstrap(tmp_path / station_id, station_id, clock)
            others.append(other)
            import_orders(other.db, parse_orders_csv(ORDERS_CSV), station_id, clock)
            block_and_sync(other, central, central.issue_station_token(station_id, site=site_name), packer)
        blocked.settings.set_section("sync", {"url": central.base_url, "token": own_token, "timeout": 10})
        yield blocked
    finally:
        for other in others:
            other.close()


def show_site(window: FlaggedQueueWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.site_view_updated, timeout=10_000):
        window.site_button.click()
    assert window.scope == WHOLE_SITE


def test_whole_site_lists_both_benches_of_the_site_and_not_the_other_site(
    site: Station, clock: FrozenClock, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.advance(hours=1, minutes=20)  # now 10:10: BENCH-07's block is 2 h 10 min old, BENCH-08's 1 h 30 min
    window = FlaggedQueueWindow(site)
    qtbot.addWidget(window)
    assert [r[:4] for r in rows(window)] == [["2 h 10 min", "T1", "Wrong item", "P1"]]  # this station only

    show_site(window, qtbot)
    assert headers(window)[:3] == ["Age", "Station", "Order"]
    assert [r[:5] for r in rows(window)] == [
        ["2 h 10 min", "BENCH-07 (this)", "T1", "Wrong item", "P1"],
        ["1 h 30 min", "BENCH-08", "T1", "Wrong item", "P2"],
    ]
    assert "OTHER-01" not in str(rows(window)) and "P3" not in str(rows(window))
    assert [window.table.item(r, 0).foreground().color() for r in range(2)] == [QColor(OVERDUE), QColor(AGEING)]
    assert window.summary.text() == "2 open at 2 stations · 1 past the 2-hour target"
    assert window.site_status.text() == "Site SITE-A: other benches' incidents are read-only here."
    assert (
        window.table.item(1, 2).toolTip() == "BENCH-08's incidents are read-only here: clear them at BENCH-08's bench."
    )

    # Filters work across the site: packer P2 is at the other bench; past the target leaves only ours.
    assert [window.packer_filter.itemText(i) for i in range(window.packer_filter.count())] == [
        "All packers",
        "P1",
        "P2",
    ]
    window.packer_filter.setCurrentIndex(window.packer_filter.findData("P2"))
    assert [r[1] for r in rows(window)] == ["BENCH-08"]
    assert window.summary.text() == "2 open at 2 stations · 1 past the 2-hour target · showing 1"
    assert not window.open_button.isEnabled()  # nothing of ours is shown
    window.packer_filter.setCurrentIndex(0)
    window.age_filter.setCurrentIndex(3)  # past the 2-hour target
    assert [r[1] for r in rows(window)] == ["BENCH-07 (this)"]
    window.age_filter.setCurrentIndex(0)

    # Another bench's incident is read-only: no sign-in, no dialog, a sentence saying where to clear it.
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], messages)
    drive_clearance(monkeypatch, qtbot, "item_swapped", "swapped at the bench", [])
    window.open_row(1)
    assert messages == [] and window.signed_in_label.text() == "Not signed in"
    assert window.note.text() == "BENCH-08's incidents are read-only here: clear them at BENCH-08's bench."

    # Our own one clears as before, and leaves the list at once (from the local database, no new fetch).
    with qtbot.waitSignal(window.incident_resolved, timeout=2000):
        window.open_button.click()  # no row chosen: this station's oldest
    assert [r[:2] for r in rows(window)] == [["1 h 30 min", "BENCH-08"]]
    assert window.table.item(0, 0).foreground().color() == QColor(AGEING)

    window.station_button.click()
    assert window.scope == THIS_STATION and rows(window) == [] and headers(window)[1] == "Order"
    assert window.site_status.isHidden()


def test_a_station_without_a_site_sees_only_its_own_and_is_told_why(
    site: Station, central: CentralServer, clock: FrozenClock, qtbot: QtBot
) -> None:
    lone = bootstrap(site.paths.root.parent / "lone", "LONE-1", clock)
    try:
        import_orders(lone.db, parse_orders_csv(ORDERS_CSV), "LONE-1", clock)
        lone_token = central.issue_station_token("LONE-1")  # no --site
        block_and_sync(lone, central, lone_token, "P9")
        lone.settings.set_section("sync", {"url": central.base_url, "token": lone_token})
        window = FlaggedQueueWindow(lone)
        qtbot.addWidget(window)
        show_site(window, qtbot)
        assert [r[1:3] for r in rows(window)] == [["LONE-1 (this)", "T1"]]
        assert window.site_status.text() == (
            "This station belongs to no site at the central service: only its own incidents are listed."
        )
        window.close()
    finally:
        lone.close()


def test_site_view_unavailable_without_sync_or_service_and_the_window_stays_usable(
    blocked: Station, central: CentralServer, clock: FrozenClock, qtbot: QtBot
) -> None:
    clock.advance(minutes=65)
    window = FlaggedQueueWindow(blocked)
    qtbot.addWidget(window)

    show_site(window, qtbot)  # no "sync" section at all
    assert window.site_status.text().startswith("site view unavailable: sync is not configured")
    assert window.site_status.objectName() == "error"
    assert [r[:3] for r in rows(window)] == [["1 h 05 min", "BENCH-07 (this)", "T1"]]  # ours stay listed
    assert window.table.item(0, 0).foreground().color() == QColor(AGEING)
    assert window.open_button.isEnabled()

    blocked.settings.set_section("sync", {"url": f"http://127.0.0.1:{free_port()}", "token": "t0ken"})
    with qtbot.waitSignal(window.site_view_updated, timeout=10_000):
        window.refresh_button.click()
    assert window.site_status.text().startswith("site view unavailable: central service unreachable (ConnectError")
    assert [r[1] for r in rows(window)] == ["BENCH-07 (this)"]

    blocked.settings.set_section("sync", {"url": central.base_url, "token": "not-a-token-it-knows"})
    with qtbot.waitSignal(window.site_view_updated, timeout=10_000):
        window.refresh_button.click()
    assert window.site_status.text() == (
        "site view unavailable: the central service refused the station token (missing, unknown or revoked token)"
    )
    window.kind_filter.setCurrentIndex(window.kind_filter.findData("expired"))
    assert rows(window) == [] and window.summary.text() == "1 open at 1 station · 0 past the 2-hour target · showing 0"


def test_a_hanging_service_never_blocks_the_window(
    blocked: Station, clock: FrozenClock, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service that accepts the connection and never answers: the switch returns at once, the station's
    own incidents stay listed and can be cleared while the fetch waits for its timeout."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever reads or answers
        blocked.settings.set_section(
            "sync", {"url": f"http://127.0.0.1:{silent.getsockname()[1]}", "token": "t0ken", "timeout": 2}
        )
        window = FlaggedQueueWindow(blocked)
        qtbot.addWidget(window)
        window.site_button.click()
        assert window.site_status.text() == "Loading the site view…"
        assert [r[1] for r in rows(window)] == ["BENCH-07 (this)"]

        drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], [])
        drive_clearance(monkeypatch, qtbot, "item_swapped", "swapped at the bench", [])
        with qtbot.waitSignal(window.incident_resolved, timeout=2000):
            window.open_row(0)
        assert rows(window) == [] and window.site_status.text() == "Loading the site view…"

        with qtbot.waitSignal(window.site_view_updated, timeout=10_000):
            pass  # the read timeout ends the wait, and says so
        assert window.site_status.text().startswith("site view unavailable: central service unreachable (ReadTimeout")


def test_site_view_with_a_missing_ca_bundle_says_so(tmp_path) -> None:
    from sync.site import SiteViewUnavailable, fetch_site_incidents
    from sync.worker import SyncSettings

    settings = SyncSettings.from_section(
        {"url": "https://127.0.0.1:9", "token": "t0ken", "ca_bundle": str(tmp_path / "missing-ca.pem")}
    )
    with pytest.raises(SiteViewUnavailable, match="CA bundle"):
        fetch_site_incidents(settings)
