"""QtSyncWorker: worker-thread statuses arrive on the GUI thread as `status_changed`."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThread
from pytestqt.qtbot import QtBot

from sync.client import ConnectionState
from sync.worker import SyncStatus, create_worker
from tests.central.server import CentralServer
from tests.qt_events import drain_posted
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import fill_outbox
from ui.bootstrap import Station
from ui.sync_bridge import QtSyncWorker


def test_status_reaches_a_gui_thread_slot_and_shows_the_drain(
    qtbot: QtBot, central_sqlite: CentralServer, station: Station
) -> None:
    fill_outbox(station.db, 40)
    section = {
        "url": central_sqlite.base_url,
        "token": central_sqlite.issue_station_token(STATION_ID),
        "interval": 0.05,
    }
    bridge = QtSyncWorker(create_worker(station.db, STATION_ID, section, station.paths.root))
    seen: list[tuple[SyncStatus, QThread]] = []
    # DirectConnection runs the slot in the emitting thread: proves the bridge emits on the GUI thread.
    bridge.status_changed.connect(
        lambda s: seen.append((s, QThread.currentThread())), Qt.ConnectionType.DirectConnection
    )
    bridge.start()
    try:
        qtbot.waitUntil(
            lambda: any(s.state is ConnectionState.CONNECTED and s.pending == 0 for s, _ in seen), timeout=10000
        )
    finally:
        bridge.stop()
    assert {thread for _, thread in seen} == {bridge.thread()}
    assert not bridge.worker.running
    count = len(seen)
    drain_posted(qtbot)  # statuses queued before stop() are dropped, not emitted into the (soon destroyed) bridge
    assert len(seen) == count
