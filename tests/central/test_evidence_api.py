"""PUT /api/v1/evidence/{sha256} and GET /api/v1/incidents/{id}/evidence against a real central service."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from sync.server.blobs import FileBlobStore
from sync.server.db import make_engine
from sync.server.limits import MAX_EVIDENCE_BYTES
from sync.server.models import EvidenceBlob, IncidentEvidence
from tests.central import factory as f
from tests.central.imagebytes import fake_jpeg, gif, jpeg, png, sha
from tests.central.server import CentralServer, run_central


@pytest.fixture
def blob_dir(tmp_path: Path) -> Path:
    return tmp_path / "blobs"


@pytest.fixture
def central(db_url: str, blob_dir: Path) -> Iterator[CentralServer]:
    with run_central(db_url, app_options={"blobs": FileBlobStore(blob_dir)}) as server:
        yield server


def stored_blobs(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(EvidenceBlob)) or 0)
    finally:
        engine.dispose()


def files(blob_dir: Path) -> list[Path]:
    return sorted(p for p in blob_dir.rglob("*") if p.is_file()) if blob_dir.exists() else []


def put(client: httpx.Client, data: bytes, digest: str | None = None, **params: str) -> httpx.Response:
    return client.put(f"/api/v1/evidence/{digest or sha(data)}", content=data, params=params)


def test_an_image_is_stored_once_linked_and_served_with_its_type(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, blob_dir: Path
) -> None:
    opened = f.incident_opened()
    incident_id = opened["payload"]["incident_id"]
    assert station.post("/api/v1/events", json={"station_id": "ST-1", "events": [opened]}).status_code == 200
    image = jpeg(1)

    first = put(station, image, incident_id=incident_id)
    assert first.status_code == 201, first.text
    assert first.json()["outcome"] == "stored" and first.json()["content_type"] == "image/jpeg"
    again = put(station, image, incident_id=incident_id)  # a lost answer, a restarted station
    assert again.status_code == 200 and again.json()["outcome"] == "already_stored"
    assert stored_blobs(central.db_url) == 1
    assert [p.name for p in files(blob_dir)] == [sha(image)]  # no temp file left, one blob

    served = admin.get(f"/api/v1/incidents/{incident_id}/evidence")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg" and served.content == image
    assert served.headers["x-content-type-options"] == "nosniff"
    assert station.get(f"/api/v1/incidents/{incident_id}/evidence").status_code == 403  # admin only

    picture = png(2)
    other = f.incident_opened()
    station.post("/api/v1/events", json={"station_id": "ST-1", "events": [other]})
    assert put(station, picture, incident_id=other["payload"]["incident_id"]).json()["content_type"] == "image/png"
    assert admin.get(f"/api/v1/incidents/{other['payload']['incident_id']}/evidence").headers["content-type"] == (
        "image/png"
    )


def test_the_upload_may_come_before_its_incident_and_is_shown_once_it_arrives(
    central: CentralServer, station: httpx.Client, admin: httpx.Client
) -> None:
    opened = f.incident_opened()
    incident_id = opened["payload"]["incident_id"]
    image = jpeg(3)
    assert put(station, image, incident_id=incident_id).status_code == 201
    assert admin.get(f"/api/v1/incidents/{incident_id}/evidence").status_code == 404  # no incident yet
    station.post("/api/v1/events", json={"station_id": "ST-1", "events": [opened]})
    assert admin.get(f"/api/v1/incidents/{incident_id}/evidence").content == image


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        pytest.param(fake_jpeg(), 415, "not a readable JPEG", id="random-bytes-behind-a-jpeg-magic"),
        pytest.param(jpeg(4)[:-200], 415, "not a readable JPEG", id="truncated-jpeg"),
        pytest.param(gif(), 415, "not a JPEG or PNG", id="gif"),
        pytest.param(b"<html><script>alert(1)</script></html>", 415, "not a JPEG or PNG", id="html"),
    ],
)
def test_what_is_not_a_jpeg_or_png_is_refused_and_nothing_is_stored(
    central: CentralServer, station: httpx.Client, blob_dir: Path, body: bytes, status: int, words: str
) -> None:
    answer = put(station, body, incident_id=str(uuid.uuid4()))
    assert answer.status_code == status and words in answer.json()["detail"]
    assert stored_blobs(central.db_url) == 0 and files(blob_dir) == []


def test_a_hash_that_does_not_match_the_body_is_refused(
    central: CentralServer, station: httpx.Client, blob_dir: Path
) -> None:
    image = jpeg(5)
    wrong = put(station, image, digest=sha(b"something else"))
    assert wrong.status_code == 422 and f"the body's SHA-256 is {sha(image)}" in wrong.json()["detail"]
    assert put(station, image, digest="not-a-hash").status_code == 422
    assert put(station, b"", digest=sha(b"")).status_code == 422
    assert stored_blobs(central.db_url) == 0 and files(blob_dir) == []


def test_an_image_over_the_limit_is_refused_with_413_as_it_streams(
    central: CentralServer, station: httpx.Client, blob_dir: Path
) -> None:
    big = jpeg(6) + b"\0" * MAX_EVIDENCE_BYTES
    declared = put(station, big)
    assert declared.status_code == 413 and "evidence image may not be larger" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(MAX_EVIDENCE_BYTES // 65536 + 2):
            yield b"\xff" * 65536

    streamed = station.put(f"/api/v1/evidence/{'0' * 64}", content=chunks())
    assert streamed.status_code == 413
    assert stored_blobs(central.db_url) == 0 and files(blob_dir) == []


def test_a_station_cannot_attach_evidence_to_another_stations_incident(
    central: CentralServer, station: httpx.Client, admin: httpx.Client
) -> None:
    opened = f.incident_opened()
    incident_id = opened["payload"]["incident_id"]
    station.post("/api/v1/events", json={"station_id": "ST-1", "events": [opened]})
    with httpx.Client(
        base_url=central.base_url, headers={"Authorization": f"Bearer {central.issue_station_token('ST-2')}"}
    ) as other:
        refused = put(other, jpeg(7), incident_id=incident_id)
    assert refused.status_code == 403
    assert admin.get(f"/api/v1/incidents/{incident_id}/evidence").status_code == 404
    assert put(station, jpeg(8), incident_id=incident_id).status_code == 201
    second = put(station, jpeg(9), incident_id=incident_id)  # an incident keeps its first evidence
    assert second.status_code == 409
    engine = make_engine(central.db_url)
    try:
        with engine.connect() as conn:
            linked = conn.scalar(
                select(IncidentEvidence.sha256).where(IncidentEvidence.incident_id == uuid.UUID(incident_id))
            )
    finally:
        engine.dispose()
    assert linked == sha(jpeg(8))
    assert admin.put(f"/api/v1/evidence/{sha(jpeg(8))}", content=jpeg(8)).status_code == 403  # station token only
