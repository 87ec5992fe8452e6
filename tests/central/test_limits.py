"""Limits before work, against the real service over real sockets: the token is checked before the
body is read, the body is capped as it streams, failed authentication is rate-limited."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.central import factory as f
from tests.central.server import CentralServer, run_central

MB = 1024 * 1024
HUGE = 250 * MB


@pytest.fixture
def central_sqlite(tmp_path: Path) -> Iterator[CentralServer]:
    with run_central(f"sqlite:///{tmp_path / 'central.db'}") as server:
        yield server


class PeakRss:
    """The highest resident set size of this process (the server runs in it) while the block runs."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.before = self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="test-rss-sampler", daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.before) / MB


def stream_post(port: int, path: str, total: int, *, token: str | None, declare_length: bool) -> tuple[int, str, int]:
    """POST ``total`` bytes, 1 MB at a time, stopping as soon as the server answers. Returns
    ``(status, body, bytes sent)``. A raw socket, so nothing on the client side buffers the body."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    head.append(f"Content-Length: {total}" if declare_length else "Transfer-Encoding: chunked")
    if token:
        head.append(f"Authorization: Bearer {token}")
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    chunk = b" " * MB
    framed = chunk if declare_length else f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    try:
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # the server has answered: stop sending
            sock.sendall(framed)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = b""
    try:
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + _length(data):
            part = sock.recv(65536)
            if not part:
                break
            data += part
    finally:
        sock.close()
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1].decode(), sent


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_an_unauthenticated_250_mb_body_is_refused_before_it_is_read(
    central_sqlite: CentralServer, declare_length: bool
) -> None:
    """Four such bodies took the server to 2.1 GB: the body was parsed before the token was checked."""
    with PeakRss() as rss:
        status, body, sent = stream_post(
            central_sqlite.port, "/api/v1/events", HUGE, token="pgt_wrong", declare_length=declare_length
        )
    assert status == 401 and "token" in json.loads(body)["detail"]
    assert sent < 64 * MB, f"the server read {sent / MB:.0f} MB before answering"
    assert rss.growth_mb < 40, f"server RSS grew by {rss.growth_mb:.0f} MB"


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_an_authenticated_250_mb_body_is_refused_at_the_cap(
    central_sqlite: CentralServer, declare_length: bool
) -> None:
    token = central_sqlite.issue_station_token("ST-1")
    with PeakRss() as rss:
        status, body, sent = stream_post(
            central_sqlite.port, "/api/v1/events", HUGE, token=token, declare_length=declare_length
        )
    assert status == 413, body
    assert "request body too large" in json.loads(body)["detail"] and "4194304 bytes" in body
    assert sent < 64 * MB, f"the server read {sent / MB:.0f} MB before answering"
    assert rss.growth_mb < 40, f"server RSS grew by {rss.growth_mb:.0f} MB"
    # A batch under the cap still goes through on the same service.
    with httpx.Client(base_url=central_sqlite.base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        ok = client.post("/api/v1/events", json={"station_id": "ST-1", "events": [f.pack_sealed("SO-1")]})
    assert ok.status_code == 200 and len(ok.json()["accepted"]) == 1


def test_the_body_cap_is_configurable(tmp_path: Path) -> None:
    with run_central(f"sqlite:///{tmp_path / 'c.db'}", app_options={"max_body_bytes": 2000}) as central:
        token = central.issue_station_token("ST-1")
        with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {token}"}) as client:
            small = client.post("/api/v1/events", json={"station_id": "ST-1", "events": [f.pack_sealed("SO-1")]})
            big = client.post(
                "/api/v1/events", json={"station_id": "ST-1", "events": [f.pack_sealed(f"SO-{i}") for i in range(20)]}
            )
    assert small.status_code == 200
    assert big.status_code == 413 and "the limit is 2000 bytes" in big.json()["detail"]


def test_3000_wrong_tokens_are_mostly_answered_429_without_being_evaluated(central_sqlite: CentralServer) -> None:
    statuses: Counter[int] = Counter()
    retry_after: set[str] = set()
    started = time.monotonic()
    with httpx.Client(base_url=central_sqlite.base_url, timeout=30) as client:
        for i in range(3000):
            response = client.get("/api/v1/orders", headers={"Authorization": f"Bearer pgt_guess{i}"})
            statuses[response.status_code] += 1
            if response.status_code == 429:
                retry_after.add(response.headers.get("Retry-After", ""))
        elapsed = time.monotonic() - started
        # While the address is throttled, even a good token waits: it cannot be told good unlooked.
        good = client.get("/api/v1/orders", headers={"Authorization": f"Bearer {central_sqlite.issue_admin_token()}"})
    assert set(statuses) == {401, 429}
    evaluated_budget = 20 + 1.0 * elapsed + 1  # the burst, plus the refill while the test ran
    assert statuses[401] <= evaluated_budget, (statuses, elapsed)
    assert statuses[429] >= 3000 - evaluated_budget
    assert retry_after and all(value.isdigit() and int(value) >= 1 for value in retry_after)
    assert good.status_code == 429


def test_health_and_docs_need_no_token_and_docs_can_be_turned_off(
    central_sqlite: CentralServer, tmp_path: Path
) -> None:
    with httpx.Client(base_url=central_sqlite.base_url) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/docs").status_code == 200
        assert client.get("/api/v1/incidents").status_code == 401
    with run_central(f"sqlite:///{tmp_path / 'nodocs.db'}", app_options={"docs": False}) as hidden:
        with httpx.Client(base_url=hidden.base_url) as client:
            assert client.get("/api/v1/health").status_code == 200
            assert client.get("/openapi.json").status_code == 401
            assert client.get("/docs").status_code == 401
