"""`packgate-central serve` in its own process runs the webhook dispatcher and keeps evidence in --blob-dir."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sync.server.cli import main
from tests.central import factory as f
from tests.central.imagebytes import jpeg, sha
from tests.central.pg import free_port
from tests.central.receiver import Receiver
from tests.central.server import stop_process, wait_for_health

SECRET = "whsec_serve_0123456789abcdef"


def test_serve_delivers_webhooks_and_stores_evidence_in_the_blob_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    blob_dir = tmp_path / "evidence-store"
    assert main(["token", "issue", "ST-1", "--db", db]) == 0
    token = re.search(r"^token: (\S+)$", capsys.readouterr().out, re.M).group(1)  # type: ignore[union-attr]
    with Receiver(SECRET) as receiver:
        assert (
            main(["webhook", "add", receiver.url, "--events", "incident.opened", "--secret", SECRET, "--db", db]) == 0
        )
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.server.cli",
                "serve",
                "--db",
                db,
                "--port",
                str(port),
                "--blob-dir",
                str(blob_dir),
                "--webhook-private-targets",  # the receiver is on 127.0.0.1
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}/api/v1"
            wait_for_health(proc, f"http://127.0.0.1:{port}")
            headers = {"Authorization": f"Bearer {token}"}
            opened = f.incident_opened()
            assert httpx.post(
                f"{base}/events", json={"station_id": "ST-1", "events": [opened]}, headers=headers
            ).json()["accepted"] == [opened["event_id"]]
            image = jpeg(42)
            stored = httpx.put(f"{base}/evidence/{sha(image)}", content=image, headers=headers)
            assert stored.status_code == 201
            assert (blob_dir / sha(image)[:2] / sha(image)[2:4] / sha(image)).read_bytes() == image
            deadline = time.monotonic() + 15
            while receiver.delivered() != {opened["event_id"]}:
                assert time.monotonic() < deadline, "serve's dispatcher did not deliver the webhook in 15 s"
                time.sleep(0.05)
        finally:
            stop_process(proc)
