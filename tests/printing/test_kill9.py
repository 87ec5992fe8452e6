"""kill -9 right after a seal, and kill -9 while the label waits for a printer that is off: after the
restart each document prints exactly once (the job was written in the seal's own transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from station.clock import SystemClock
from station.db import Database
from station.printing.jobs import Document, JobStatus, PrintJobs
from station.printing.settings import PrintSettings, parse_printer_spec
from tests.printing.conftest import LABEL_ZPL
from tests.printing.raw_receiver import RawReceiver
from tests.printing.test_print_at_seal import wait_until
from ui.printing.worker import PrintWorker

ROOT = Path(__file__).resolve().parents[2]


def run_until(args: list[str], word: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.printing.seal_then_die", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == word:
            return proc
    proc.wait(10)
    pytest.fail(f"the station process ended before {word}: {proc.stderr.read() if proc.stderr else ''}")


def kill9(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def restart_and_print(db_path: Path, receiver: RawReceiver) -> list[bytes]:
    db = Database.open(db_path)
    try:
        jobs = PrintJobs(db, "S1", SystemClock(), backoff_s=(0.2,))
        settings = PrintSettings(
            printers=(parse_printer_spec("zebra", f"tcp:{receiver.address}"),), label_printer="zebra"
        )
        worker = PrintWorker(jobs, settings, poll_s=0.1)
        seen: list[int] = []
        worker.subscribe(lambda _status: seen.append(1))
        worker.start()
        try:
            wait_until(
                lambda: any(
                    j.document is Document.SHIPPING_LABEL and j.status is JobStatus.PRINTED for j in jobs.jobs()
                ),
                30,
                "the label printed after the restart",
            )
            after = len(seen)
            wait_until(lambda: len(seen) >= after + 5, 20, "five more print cycles")
        finally:
            worker.stop()
        label_jobs = [j for j in jobs.jobs() if j.document is Document.SHIPPING_LABEL]
        assert [j.status for j in label_jobs] == [JobStatus.PRINTED]
        return list(receiver.jobs)
    finally:
        db.close()


def test_kill9_right_after_the_seal_prints_once_after_the_restart(tmp_path: Path, receiver: RawReceiver) -> None:
    db_path = tmp_path / "station.sqlite3"
    kill9(run_until([str(db_path), "seal"], "SEALED"))
    assert receiver.jobs == []
    assert restart_and_print(db_path, receiver) == [LABEL_ZPL]


def test_kill9_while_the_printer_is_off_prints_once_when_it_is_back(tmp_path: Path, receiver: RawReceiver) -> None:
    db_path = tmp_path / "station.sqlite3"
    address = receiver.address
    receiver.close()  # off
    kill9(run_until([str(db_path), "retry", address], "RETRYING"))
    receiver.open()
    assert restart_and_print(db_path, receiver) == [LABEL_ZPL]
