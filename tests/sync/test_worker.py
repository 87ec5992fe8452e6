"""SyncWorker: the background loop against a real central service that goes away and comes back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
import pytest

from station.orders import list_orders
from station.outbox import Outbox
from sync.client import ConnectionState
from sync.worker import FileCursorStore, SyncStatus, SyncWorker, create_worker
from tests.central import factory as f
from tests.central.server import CentralServer
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import fill_outbox
from tests.sync.test_drain import assert_exactly_once, client_for
from ui.bootstrap import Station
from ui.commands.sync import describe_sync_status


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Recorder:
    """Collects every status the worker publishes (from its thread)."""

    def __init__(self) -> None:
        self.seen: list[SyncStatus] = []
        self._lock = threading.Lock()

    def __call__(self, status: SyncStatus) -> None:
        with self._lock:
            self.seen.append(status)

    def states(self) -> set[ConnectionState]:
        with self._lock:
            return {s.state for s in self.seen}


@pytest.mark.slow
def test_worker_drains_across_server_restarts_and_reports_offline_then_connected(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 1500)
    client = client_for(outbox, central.base_url, central.issue_station_token(STATION_ID), batch_size=25)
    worker = SyncWorker(outbox, client, interval=0.05, name="test-sync-worker")
    recorder = Recorder()
    worker.subscribe(recorder)
    worker.start()
    try:
        for _ in range(3):  # restart the service while batches are in flight
            wait_until(
                lambda: ConnectionState.CONNECTED in recorder.states() or outbox.counts().sent > 0,
                10,
                "the first batches",
            )
            central.stop()
            wait_until(lambda: worker.status.state is ConnectionState.OFFLINE, 10, "the worker to notice")
            offline = worker.status
            assert offline.offline_since is not None and offline.pending > 0
            assert describe_sync_status(offline).startswith("offline since ")
            assert f"{offline.pending} events waiting" in describe_sync_status(offline)
            station.service.set_packer("P-1")  # the packer keeps working offline: the station is untouched
            central.start()
        wait_until(lambda: outbox.counts().pending == 0, 60, "the backlog to drain")
        wait_until(
            lambda: worker.status.state is ConnectionState.CONNECTED and worker.status.pending == 0,
            10,
            "a connected status",
        )
    finally:
        worker.stop()
    assert worker.status.offline_since is None
    assert describe_sync_status(worker.status) == "connected"
    assert_exactly_once(central.db_url, station, ids)


def test_worker_pulls_new_and_changed_orders_with_a_cursor(central_sqlite: CentralServer, station: Station) -> None:
    central = central_sqlite
    admin = httpx.Client(
        base_url=central.base_url + "/api/v1",
        timeout=10,
        headers={"Authorization": f"Bearer {central.issue_admin_token()}"},
    )
    with admin:
        assert admin.put("/orders", json={"orders": [f.order("A-1"), f.order("A-2")]}).status_code == 200
        section = {
            "url": central.base_url,
            "token": central.issue_station_token(STATION_ID),
            "interval": 0.05,
            "pull_every": 1,
        }
        worker = create_worker(station.db, STATION_ID, section, station.paths.root)
        worker.start()
        try:
            cursors = FileCursorStore(station.paths.root / "sync-state.json")
            # The page is imported first, its cursor saved after (a crash in between re-imports, never skips).
            wait_until(lambda: cursors.load() is not None, 10, "the first pull's cursor")
            assert len(list_orders(station.db)) == 2
            assert (
                admin.put("/orders", json={"orders": [f.order("A-2", quantity=5), f.order("A-3")]}).status_code == 200
            )
            wait_until(lambda: len(list_orders(station.db)) == 3, 10, "the changed orders")
            wait_until(
                lambda: worker.status.last_pull is not None and worker.status.last_pull.received == 0,
                10,
                "an empty page (up to date)",
            )
        finally:
            worker.stop()
    by_id = {o["order_id"]: o for o in list_orders(station.db)}
    assert by_id["A-2"]["lines"][0]["ordered"] == 5
    assert worker.status.state is ConnectionState.CONNECTED


def test_unconfigured_worker_still_reports_what_is_waiting(station: Station) -> None:
    fill_outbox(station.db, 7)
    worker = create_worker(station.db, STATION_ID, {}, station.paths.root)
    worker.run_cycle()
    status = worker.status
    assert (status.state, status.pending, status.parked) == (ConnectionState.NOT_CONFIGURED, 7, 0)
    assert describe_sync_status(status) == "sync not configured · 7 events waiting"


def test_unauthorized_worker_says_so_and_keeps_the_events(central_sqlite: CentralServer, station: Station) -> None:
    fill_outbox(station.db, 2)
    worker = create_worker(
        station.db, STATION_ID, {"url": central_sqlite.base_url, "token": "nope"}, station.paths.root
    )
    try:
        worker.run_cycle()
    finally:
        worker.stop()
    assert describe_sync_status(worker.status) == "unauthorized: check the station token · 2 events waiting"


def test_a_cursor_the_service_never_issued_starts_the_pull_over(
    central_sqlite: CentralServer, station: Station
) -> None:
    """E.g. the central database was rebuilt: the station must not be stuck on a 422 forever."""
    central = central_sqlite
    with httpx.Client(
        base_url=central.base_url + "/api/v1",
        timeout=10,
        headers={"Authorization": f"Bearer {central.issue_admin_token()}"},
    ) as admin:
        assert admin.put("/orders", json={"orders": [f.order("C-1")]}).status_code == 200
    cursors = FileCursorStore(station.paths.root / "sync-state.json")
    cursors.save("not-a-cursor")
    outbox = Outbox(station.db.sessions)
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client:
        result = client.pull_orders(station.db, cursors)
    assert result.imported == 1 and [o["order_id"] for o in list_orders(station.db)] == ["C-1"]
    assert cursors.load() == result.cursor and result.cursor != "not-a-cursor"
