"""Resumable evidence uploads at a real central service (SQLite and PostgreSQL): parts with Content-Range,
a wrong tail, two stations sending the same image at once, an upload in progress, the cap, the expiry."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync.server.blob_partials import PARTIAL_TTL_S
from sync.server.blobs import FileBlobStore
from sync.server.limits import MAX_EVIDENCE_BYTES
from tests.central import factory as f
from tests.central.imagebytes import jpeg, sha
from tests.central.server import CentralServer, run_central
from tests.central.test_evidence_api import files, stored_blobs
from tests.sync.test_evidence_resume import noisy_jpeg
from tests.sync.test_worker import wait_until


@pytest.fixture
def store(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs")


@pytest.fixture
def central(db_url: str, store: FileBlobStore) -> Iterator[CentralServer]:
    with run_central(db_url, app_options={"blobs": store}) as server:
        yield server


def client_of(central: CentralServer, station_id: str) -> httpx.Client:
    token = central.issue_station_token(station_id)
    return httpx.Client(base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"})


def part(
    client: httpx.Client, data: bytes, first: int, last: int, digest: str | None = None, **params: str
) -> httpx.Response:
    return client.put(
        f"/api/v1/evidence/{digest or sha(data)}",
        content=data[first : last + 1],
        headers={"Content-Range": f"bytes {first}-{last}/{len(data)}"},
        params=params,
    )


def received(client: httpx.Client, digest: str) -> int:
    answer = client.get(f"/api/v1/evidence/{digest}/upload")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["received"])


def test_parts_make_the_image_and_a_part_at_the_wrong_offset_is_told_where_to_go_on(
    central: CentralServer, store: FileBlobStore
) -> None:
    image = jpeg(40, size=(320, 240))
    half = len(image) // 2
    with client_of(central, "ST-1") as station:
        assert received(station, sha(image)) == 0
        first = part(station, image, 0, half - 1)
        assert first.status_code == 202 and first.json() == {"sha256": sha(image), "received": half, "stored": False}
        assert received(station, sha(image)) == half
        skipped = part(station, image, half + 10, len(image) - 1)
        assert skipped.status_code == 416 and skipped.headers["upload-offset"] == str(half)
        assert received(station, sha(image)) == half  # kept: the station goes on from there
        rest = part(station, image, half, len(image) - 1)
        assert rest.status_code == 201 and rest.json()["outcome"] == "stored"
        status = station.get(f"/api/v1/evidence/{sha(image)}/upload").json()
        assert status == {"sha256": sha(image), "received": 0, "stored": True}
    assert store.get(sha(image)) == image and [p.name for p in files(store.root)] == [sha(image)]


def test_a_wrong_tail_is_refused_and_the_partial_discarded(central: CentralServer, store: FileBlobStore) -> None:
    image = jpeg(41, size=(320, 240))
    half = len(image) // 2
    forged = image[:half] + bytes(b ^ 0x55 for b in image[half:])
    with client_of(central, "ST-1") as station:
        assert part(station, image, 0, half - 1).status_code == 202
        wrong = part(station, forged, half, len(image) - 1, digest=sha(image))
        assert wrong.status_code == 422 and f"not {sha(image)}" in wrong.json()["detail"]
        assert received(station, sha(image)) == 0  # discarded: a resume of those bytes could only fail again
        assert stored_blobs(central.db_url) == 0 and files(store.root) == []
        assert station.put(f"/api/v1/evidence/{sha(image)}", content=image).status_code == 201  # whole: fine


def test_two_stations_sending_the_same_image_at_once_store_it_once(
    central: CentralServer, store: FileBlobStore
) -> None:
    image = noisy_jpeg((400, 300))
    half = len(image) // 2
    incidents = [f.incident_opened(station_id=s) for s in ("ST-1", "ST-2")]
    clients = [client_of(central, "ST-1"), client_of(central, "ST-2")]
    answers: list[httpx.Response] = []
    start = threading.Barrier(2)
    try:
        for client, opened, station_id in zip(clients, incidents, ("ST-1", "ST-2"), strict=True):
            posted = client.post("/api/v1/events", json={"station_id": station_id, "events": [opened]})
            assert posted.status_code == 200, posted.text
            assert part(client, image, 0, half - 1).status_code == 202  # each station's own partial

        def finish(client: httpx.Client, opened: dict) -> None:
            start.wait()
            answers.append(part(client, image, half, len(image) - 1, incident_id=opened["payload"]["incident_id"]))

        threads = [threading.Thread(target=finish, args=pair) for pair in zip(clients, incidents, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        for client in clients:
            client.close()
    assert sorted(a.status_code for a in answers) in ([200, 201], [201, 201]), [a.text for a in answers]
    assert stored_blobs(central.db_url) == 1 and store.get(sha(image)) == image
    assert [p.name for p in files(store.root)] == [sha(image)]  # one blob, both partials gone
    with httpx.Client(
        base_url=central.base_url, headers={"Authorization": f"Bearer {central.issue_admin_token()}"}
    ) as admin:
        for opened in incidents:
            assert admin.get(f"/api/v1/incidents/{opened['payload']['incident_id']}/evidence").content == image


def test_a_second_upload_while_one_is_streaming_is_told_to_retry(central: CentralServer, store: FileBlobStore) -> None:
    image = jpeg(42, size=(320, 240))
    digest = sha(image)
    release = threading.Event()

    def slow() -> Iterator[bytes]:
        yield image[:100]
        release.wait(20)
        yield image[100:]

    with client_of(central, "ST-1") as station, client_of(central, "ST-1") as again:
        answers: list[httpx.Response] = []
        first = threading.Thread(
            target=lambda: answers.append(station.put(f"/api/v1/evidence/{digest}", content=slow()))
        )
        first.start()
        partial = store.partials.path("ST-1", digest)
        wait_until(lambda: partial.is_file() and partial.stat().st_size == 100, 10, "the first upload at central")
        busy = again.put(f"/api/v1/evidence/{digest}", content=image)
        assert busy.status_code == 423 and "in progress" in busy.json()["detail"]
        assert busy.headers["retry-after"] == "5"
        release.set()
        first.join(20)
    assert answers[0].status_code == 201 and store.get(digest) == image


def test_the_partial_is_capped_and_expires(central: CentralServer, store: FileBlobStore) -> None:
    image = jpeg(43, size=(320, 240))
    with client_of(central, "ST-1") as station:
        over = station.put(
            f"/api/v1/evidence/{sha(image)}",
            content=image[:100],
            headers={"Content-Range": f"bytes 0-99/{MAX_EVIDENCE_BYTES + 1}"},
        )
        assert over.status_code == 413 and "may not be larger" in over.json()["detail"]
        assert received(station, sha(image)) == 0 and files(store.root) == []

        # A station keeps at most 4 partials: a fifth pushes the oldest out.
        images = [jpeg(50 + i, size=(320, 240)) for i in range(5)]
        for i, each in enumerate(images):
            assert part(station, each, 0, 99).status_code == 202
            os.utime(store.partials.path("ST-1", sha(each)), (time.time() - 100 + i, time.time() - 100 + i))
        assert [received(station, sha(each)) for each in images] == [0, 100, 100, 100, 100]

        # Untouched for a day: swept away.
        stale = store.partials.path("ST-1", sha(images[1]))
        old = time.time() - PARTIAL_TTL_S - 60
        os.utime(stale, (old, old))
        assert store.partials.sweep(force=True) == 1
        assert not stale.exists() and received(station, sha(images[2])) == 100


def test_a_station_gone_silent_mid_body_frees_its_partial_after_the_stall_time(
    central: CentralServer, store: FileBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No FIN, no RST, no bytes (Wi-Fi gone): after STALL_S the upload counts as cut, its bytes are kept and
    its lock released, so the station's retry is not answered "in progress" for as long as the socket lives."""
    from sync.server import evidence_upload

    monkeypatch.setattr(evidence_upload, "STALL_S", 0.5)
    image = jpeg(44, size=(320, 240))
    token = central.issue_station_token("ST-1")
    head = (
        f"PUT /api/v1/evidence/{sha(image)} HTTP/1.1\r\nHost: central\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: image/jpeg\r\nContent-Length: {len(image)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", central.port), timeout=10) as silent:
        silent.sendall(head + image[:100])
        answer = silent.recv(4096)  # the server gives up on the body and says so
        assert answer.startswith(b"HTTP/1.1 400"), answer
    with client_of(central, "ST-1") as station:
        assert received(station, sha(image)) == 100
        assert part(station, image, 100, len(image) - 1).status_code == 201
    assert store.get(sha(image)) == image
