"""A station's evidence upload cut mid-way over real sockets goes on where it broke off (issue 13:
"resumable after a failure"): the retry sends only the rest, and central stores the very same bytes."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image

from station.clock import SystemClock
from station.evidence_uploads import EvidenceUploads, UploadState
from station.outbox import Outbox
from sync.client import SyncClient
from sync.server.blobs import FileBlobStore
from tests.central.imagebytes import sha
from tests.central.server import CentralServer, run_central
from tests.sync.conftest import STATION_ID
from tests.sync.cutting_proxy import cutting_proxy
from tests.sync.test_evidence_upload import open_incidents
from tests.sync.test_worker import wait_until
from ui.bootstrap import Station

CUT_AT = 250_000


def noisy_jpeg(size: tuple[int, int] = (700, 500)) -> bytes:
    """A real JPEG of about a megabyte (noise does not compress): big enough to be cut halfway."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "central-blobs")


@pytest.fixture
def central(db_url: str, store: FileBlobStore) -> Iterator[CentralServer]:
    with run_central(db_url, app_options={"blobs": store}) as server:
        yield server


def test_an_upload_cut_halfway_is_resumed_with_only_the_rest_and_stored_byte_identical(
    central: CentralServer, station: Station, outbox: Outbox, store: FileBlobStore
) -> None:
    image = noisy_jpeg()
    assert len(image) > CUT_AT + 100_000
    [incident_id] = open_incidents(station, [image])
    uploads = EvidenceUploads(station.db.sessions)
    partial = store.partials.path(STATION_ID, sha(image))
    token = central.issue_station_token(STATION_ID)
    clock = ShiftedClock()
    with (
        cutting_proxy(central.port) as proxy,
        SyncClient(outbox, STATION_ID, proxy.url, token, timeout=10, clock=clock) as client,
    ):
        client.drain_once()

        def server_has_it_all() -> None:  # the cut comes once central has written what went through
            wait_until(lambda: partial.is_file() and partial.stat().st_size == CUT_AT, 10, "the partial")

        proxy.cut_after_body(CUT_AT, server_has_it_all)
        first = client.evidence.upload_due()
        assert first.failed == 1 and first.uploaded == 0, first
        state = uploads.state_of(incident_id)
        assert state is not None and state[0] is UploadState.PENDING and state[3] is not None

        # Central kept the bytes that arrived (the station saw a reset; central, a client gone mid-body).
        wait_until(lambda: _received(central, token, sha(image)) == CUT_AT, 10, "the status of the partial")
        before = proxy.sent
        clock.shift = timedelta(minutes=10)  # the backoff has passed
        second = client.evidence.upload_due()
        resent = proxy.sent - before
    assert second.uploaded == 1 and second.error is None, second
    rest = len(image) - CUT_AT
    assert rest <= resent < rest + 2048, f"the retry sent {resent} bytes for a rest of {rest}"  # + two heads
    assert store.get(sha(image)) == image  # byte-identical
    assert not partial.exists()  # the partial went with the stored blob
    with httpx.Client(
        base_url=central.base_url, headers={"Authorization": f"Bearer {central.issue_admin_token()}"}
    ) as admin:
        assert admin.get(f"/api/v1/incidents/{incident_id}/evidence").content == image


def _received(central: CentralServer, token: str, digest: str) -> int:
    answer = httpx.get(
        f"{central.base_url}/api/v1/evidence/{digest}/upload", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["received"])


class ShiftedClock:
    """The system clock, moved on by ``shift`` (the uploader's retry times are this clock's)."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def now(self) -> datetime:
        return SystemClock().now() + self.shift


def test_a_resume_refused_by_central_falls_back_to_the_whole_image(
    central_sqlite_store: tuple[CentralServer, FileBlobStore], station: Station, outbox: Outbox
) -> None:
    """Central's partial is not what the station sent (its disk garbled it): the resumed tail makes a wrong
    whole (422, the partial discarded), and the station sends the whole image in the same attempt."""
    central, store = central_sqlite_store
    image = noisy_jpeg()
    [incident_id] = open_incidents(station, [image])
    partial = store.partials.path(STATION_ID, sha(image))
    clock = ShiftedClock()
    token = central.issue_station_token(STATION_ID)
    with (
        cutting_proxy(central.port) as proxy,
        SyncClient(outbox, STATION_ID, proxy.url, token, timeout=10, clock=clock) as client,
    ):
        client.drain_once()
        proxy.cut_after_body(
            CUT_AT, lambda: wait_until(lambda: partial.is_file() and partial.stat().st_size == CUT_AT, 10, "partial")
        )
        assert client.evidence.upload_due().failed == 1
        wait_until(lambda: _received(central, token, sha(image)) == CUT_AT, 10, "the partial released")
        partial.write_bytes(b"\0" * CUT_AT)  # same length, wrong bytes
        clock.shift = timedelta(minutes=10)
        before = proxy.sent
        second = client.evidence.upload_due()
        resent = proxy.sent - before
    assert second.uploaded == 1 and second.refused == 0, second
    assert len(image) + (len(image) - CUT_AT) <= resent  # the rest, refused, then the whole
    assert store.get(sha(image)) == image
    state = EvidenceUploads(station.db.sessions).state_of(incident_id)
    assert state is not None and state[0] is UploadState.UPLOADED


@pytest.fixture
def central_sqlite_store(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[CentralServer, FileBlobStore]]:
    store = FileBlobStore(tmp_path / "sqlite-blobs")
    with run_central(sqlite_url, app_options={"blobs": store}) as server:
        yield server, store
