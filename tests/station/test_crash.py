"""kill -9 at random moments loses nothing that was acknowledged, and never corrupts the database."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station import audit
from station.clock import SystemClock
from station.db import Database
from station.order_files import OrderLineSpec, OrderSpec, PackBarcode
from station.orders import import_orders
from station.orm import IncidentRecord, OrderLine, OutboxRecord

ROOT = Path(__file__).resolve().parents[2]
KILLS = 12


def make_orders(n: int) -> list[OrderSpec]:
    return [
        OrderSpec(
            f"{50000 + i}",
            f"ORD-{50000 + i}",
            f"Customer {i}",
            "DHL",
            (
                OrderLineSpec("W-1", "Widget", 1 + i % 3, (PackBarcode("4006381333931"),)),
                OrderLineSpec("G-6", "Gadget", 2, (PackBarcode("5901234123457"),)),
            ),
        )
        for i in range(n)
    ]


def read_acks(proc: subprocess.Popen[str], acks: list[list[str]]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("ACK\t"):
            acks.append(line.rstrip("\n").split("\t")[1:])


@pytest.mark.slow
def test_kill_9_at_random_points_loses_no_acknowledged_scan_or_incident(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "station.sqlite3")
    import_orders(db, make_orders(400), "CRASH", SystemClock())
    db.close()

    rng = random.Random(20261123)
    all_acks: list[list[str]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.station.crash_worker", str(tmp_path), str(run)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        acks: list[list[str]] = []
        reader = threading.Thread(target=read_acks, args=(proc, acks), daemon=True)
        reader.start()
        # Wait for the worker to get going, then kill it at a random moment (not in step with an ACK).
        deadline = time.monotonic() + 30
        wanted = rng.randint(3, 60)
        while len(acks) < wanted and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        reader.join(timeout=10)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
        proc.stderr.close()
        proc.stdout.close()
        assert acks, f"run {run}: the worker acknowledged nothing"
        all_acks.extend(acks)

        db = Database.open(tmp_path / "station.sqlite3")
        try:
            assert db.integrity_check() == "ok"
            with db.sessions() as s:
                assert audit.verify_chain(s).ok
                counted = {(ln.order_id, ln.sku): ln.scanned for ln in s.scalars(select(OrderLine))}
                incidents = set(s.scalars(select(IncidentRecord.id)))
                outbox_incidents = {
                    p["incident_id"]
                    for p in s.scalars(select(OutboxRecord.payload).where(OutboxRecord.type == "incident.opened"))
                }
                cleared = set(s.scalars(select(IncidentRecord.id).where(IncidentRecord.status == "cleared")))
                sealed = s.scalar(
                    select(func.count()).select_from(OutboxRecord).where(OutboxRecord.type == "pack.sealed")
                )
        finally:
            db.close()
        for ack in all_acks:
            if ack[0] == "ok":
                order_id, sku, scanned = ack[1], ack[2], int(ack[3])
                assert counted[(order_id, sku)] >= scanned, f"acknowledged scan lost: {ack}"
            elif ack[0] == "incident":
                assert ack[3] in incidents and ack[3] in outbox_incidents, f"acknowledged incident lost: {ack}"
            elif ack[0] == "cleared":
                assert ack[1] in cleared, f"acknowledged clearance lost: {ack}"
        assert sealed >= sum(1 for a in all_acks if a[0] == "sealed")

    kinds = {a[0] for a in all_acks}
    assert {"ok", "incident", "cleared", "loaded"} <= kinds
