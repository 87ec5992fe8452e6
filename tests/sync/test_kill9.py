"""`kill -9` of `packgate sync run` mid-drain, several times: nothing lost, nothing stored twice.

The drain runs in a real subprocess against the real central service; the test SIGKILLs it at random
(seeded) moments after it has started sending, restarts it, and finally lets it finish. A kill can land
between the server's commit and the station's `mark_sent` -- the restart then re-sends those events and
the server answers "duplicate".
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.central.server import CentralServer
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import central_event_ids, fill_outbox, outbox_statuses
from ui.bootstrap import Station

KILLS = 4


def sent_count(db_path: Path) -> int:
    """Read-only peek at the station DB (WAL lets us read while the subprocess writes)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()[0])
    finally:
        conn.close()


def sync_run(station: Station, url: str, token: str) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "ui.cli",
        "sync",
        "run",
        "--data-dir",
        str(station.paths.root),
        "--station",
        STATION_ID,
        "--url",
        url,
        "--token",
        token,
        "--batch-size",
        "20",
    ]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    )


@pytest.mark.slow
def test_sigkill_mid_drain_loses_nothing_and_duplicates_nothing(central: CentralServer, station: Station) -> None:
    ids = fill_outbox(station.db, 3000)
    station.close()  # the subprocess owns the station now; we only peek read-only
    token = central.issue_station_token(STATION_ID)
    rng = random.Random(20261123)
    killed_mid_drain = 0
    exits: list[str] = []
    for _ in range(KILLS):
        before = sent_count(station.paths.database)
        proc = sync_run(station, central.base_url, token)
        try:
            deadline = time.monotonic() + 30
            while sent_count(station.paths.database) == before and proc.poll() is None:
                assert time.monotonic() < deadline, "the drain never started"
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.25))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed_mid_drain += 1
        finally:
            proc.wait(10)
            if proc.returncode != -signal.SIGKILL:  # it ended by itself: keep what it said, for the report
                exits.append(
                    f"exit {proc.returncode}: {proc.stdout.read().decode()[-500:]} "  # type: ignore[union-attr]
                    f"{proc.stderr.read().decode()[-1500:]}"
                )  # type: ignore[union-attr]
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
    sent_before_final = sent_count(station.paths.database)
    assert killed_mid_drain >= 3, (
        f"the kills must land while the drain is running ({sent_before_final} sent); "
        f"runs that ended by themselves: {exits}"
    )
    assert 0 < sent_before_final < 3000

    final = sync_run(station, central.base_url, token)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, f"stdout: {out.decode()}\nstderr: {err.decode()}"
    assert out.decode().strip().endswith("; 0 pending, 0 parked"), out.decode()

    stored = central_event_ids(central.db_url)
    assert [eid for eid, n in Counter(stored).items() if n > 1] == []
    assert sorted(stored) == sorted(ids)
    assert set(outbox_statuses(station.db).values()) == {"sent"}
    assert station.db.integrity_check() == "ok"
