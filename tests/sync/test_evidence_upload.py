"""Evidence images from a real station (StationService + sync worker) to a real central service on 127.0.0.1:
uploaded with the sync, resumed after a failure, stored once, refused for good when not an image."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from station.evidence_uploads import EvidenceUploads, UploadState
from station.orders import import_orders
from station.outbox import Outbox
from sync.client import SyncClient
from sync.server.blobs import FileBlobStore
from sync.worker import SyncWorker
from tests.central.imagebytes import jpeg, sha
from tests.central.server import CentralServer, run_central
from tests.station.conftest import ORDERS, OTHER_UPC
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import DROP_AFTER, FAIL_500, FORWARD, faulty_proxy
from tests.sync.test_worker import wait_until
from ui.bootstrap import Station


@pytest.fixture
def blob_dir(tmp_path: Path) -> Path:
    return tmp_path / "central-blobs"


@pytest.fixture
def central(db_url: str, blob_dir: Path) -> Iterator[CentralServer]:
    with run_central(db_url, app_options={"blobs": FileBlobStore(blob_dir)}) as server:
        yield server


def open_incidents(station: Station, images: list[bytes]) -> list[str]:
    """One blocked package per image, each cleared by a supervisor so the next can be opened: the real path
    of a camera scan of the wrong item."""
    import_orders(station.db, ORDERS, "S1", station.clock)
    service = station.service
    service.set_packer("P1")
    ids = []
    for image in images:
        service.handle_scan("ORD-10001")
        verdict = service.handle_scan(OTHER_UPC, evidence_jpeg=image)
        assert verdict.incident_id is not None
        ids.append(verdict.incident_id)
        service.clear(verdict.incident_id, "SUP", "wrong item taken out", "item_swapped")
        service.handle_scan("CMD:CANCEL")
    return ids


def blob_names(blob_dir: Path) -> list[str]:
    return sorted(p.name for p in blob_dir.rglob("*") if p.is_file()) if blob_dir.exists() else []


def test_the_sync_worker_uploads_each_incidents_evidence_and_central_serves_it(
    central: CentralServer, station: Station, outbox: Outbox, blob_dir: Path
) -> None:
    images = [jpeg(i, size=(320, 240)) for i in range(3)]
    incident_ids = open_incidents(station, images)
    client = SyncClient(outbox, STATION_ID, central.base_url, central.issue_station_token(STATION_ID), timeout=10)
    worker = SyncWorker(outbox, client, interval=0.05, name="test-sync-worker")
    uploads = EvidenceUploads(station.db.sessions)
    worker.start()
    try:
        wait_until(lambda: uploads.counts().uploaded == 3 and outbox.counts().pending == 0, 30, "the uploads")
    finally:
        worker.stop()
    assert uploads.counts().waiting == 0
    assert blob_names(blob_dir) == sorted(sha(i) for i in images)
    with httpx.Client(
        base_url=central.base_url, headers={"Authorization": f"Bearer {central.issue_admin_token()}"}
    ) as admin:
        for incident_id, image in zip(incident_ids, images, strict=True):
            served = admin.get(f"/api/v1/incidents/{incident_id}/evidence")
            assert served.status_code == 200 and served.content == image
            assert served.headers["content-type"] == "image/jpeg"


def test_a_failed_upload_is_resumed_with_backoff_and_every_blob_is_stored_once(
    central_sqlite: CentralServer, station: Station, outbox: Outbox, tmp_path: Path
) -> None:
    """The 2nd image meets a 500 (the server is failing mid-upload), the 3rd is stored but its answer is
    lost; the station carries on with the rest, retries only what did not succeed, and nothing is
    stored twice."""
    images = [jpeg(10 + i) for i in range(4)]
    incident_ids = open_incidents(station, images)
    puts = Counter[str]()
    fates = {sha(images[1]): [FAIL_500, FAIL_500], sha(images[2]): [DROP_AFTER]}
    lock = threading.Lock()

    def route(method: str, path: str) -> str | None:
        if method != "PUT":
            return None
        digest = path.split("/evidence/")[1].split("?")[0]
        with lock:
            puts[digest] += 1
            planned = fates.get(digest, [])
            return planned.pop(0) if planned else FORWARD

    blob_dir = Path(central_sqlite.db_url.removeprefix("sqlite:///")).parent / "blobs"
    uploads = EvidenceUploads(station.db.sessions)
    with faulty_proxy(central_sqlite.base_url, lambda n: FORWARD, route=route) as proxy:
        token = central_sqlite.issue_station_token(STATION_ID)
        with SyncClient(outbox, STATION_ID, proxy.url, token, timeout=10) as client:
            client.drain_once()
            first = client.evidence.upload_due()
            assert (first.uploaded, first.failed) == (1, 1) and "HTTP 500" in (first.error or "")
            state = uploads.state_of(incident_ids[1])
            assert state is not None and state[0] is UploadState.PENDING
            assert state[2] == 1 and state[3] is not None  # one attempt, a retry time (the backoff)
            wait_until(lambda: client.evidence.upload_due().error is None and uploads.counts().uploaded == 4, 30, "all")
            assert client.evidence.upload_due().uploaded == 0  # nothing left
    assert blob_names(blob_dir) == sorted(sha(i) for i in images)
    assert puts[sha(images[0])] == 1 and puts[sha(images[3])] == 1  # done once, never sent again
    assert puts[sha(images[1])] == 3  # two 500s, then stored
    assert puts[sha(images[2])] == 2  # stored, answer lost, sent again: "already stored"


def test_a_frame_central_refuses_is_kept_aside_with_the_reason_and_not_retried(
    central_sqlite: CentralServer, station: Station, outbox: Outbox
) -> None:
    """The station's own fake: a JPEG magic in front of bytes that decode to nothing."""
    (incident_id,) = open_incidents(station, [b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8])
    client = SyncClient(outbox, STATION_ID, central_sqlite.base_url, central_sqlite.issue_station_token(STATION_ID))
    uploads = EvidenceUploads(station.db.sessions)
    try:
        client.drain_once()
        result = client.evidence.upload_due()
        assert (result.uploaded, result.refused) == (0, 1)
        state = uploads.state_of(incident_id)
        assert state is not None and state[0] is UploadState.REFUSED and "HTTP 415" in (state[1] or "")
        assert client.evidence.upload_due() == type(result)()  # refused for good: nothing due any more
        assert outbox.counts().pending == 0  # the events went through regardless
    finally:
        client.close()
