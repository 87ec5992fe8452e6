"""The database file, or its WAL, deleted or replaced while the station runs: NOT SAVED, never OK.

Before the guard, SQLite went on committing into the orphaned inode: every scan said OK and was gone after
a restart (a deleted WAL plus kill -9 lost the whole database). Real SQLite files, the real service.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station import audit
from station.clock import FrozenClock
from station.db import Database, DatabaseFileChanged, FileProblem
from station.orders import import_orders
from station.orm import OrderLine, ScanRecord
from station.service import StationService, StorageError
from tests.station.conftest import GADGET_EAN, ORDERS, WIDGET_EAN

ROOT = Path(__file__).resolve().parents[2]


def counted(path: Path) -> tuple[int, int]:
    """(scans stored, units counted) in the database at `path`, opened afresh like after a restart."""
    db = Database.open(path)
    try:
        with db.sessions() as s:
            return (
                s.scalar(select(func.count()).select_from(ScanRecord)) or 0,
                s.scalar(select(func.coalesce(func.sum(OrderLine.scanned), 0))) or 0,
            )
    finally:
        db.close()


def test_deleted_wal_says_not_saved_stops_the_bench_and_keeps_what_was_ok(
    service: StationService, db: Database
) -> None:
    assert service.handle_scan("ORD-10001").kind.value == "order_loaded"
    assert service.handle_scan(WIDGET_EAN).is_ok
    os.unlink(f"{db.path}-wal")

    with pytest.raises(DatabaseFileChanged) as exc:
        service.handle_scan(GADGET_EAN)
    assert exc.value.problem is FileProblem.WAL_DELETED
    assert isinstance(exc.value, StorageError)  # the window shows NOT SAVED for every StorageError
    assert "deleted or replaced while PackGate was running" in str(exc.value)
    # The bench has stopped: every further scan and command is refused with the same reason.
    for code in (GADGET_EAN, WIDGET_EAN, "CMD:SEAL"):
        with pytest.raises(DatabaseFileChanged):
            service.handle_scan(code)
    assert db.stopped is not None and db.stopped.problem is FileProblem.WAL_DELETED
    db.close()

    # After a restart: the scan that said OK is there (rescued from the orphaned WAL), the refused ones not.
    scans, units = counted(db.path)
    assert units == 1
    reopened = Database.open(db.path)
    try:
        with reopened.sessions() as s:
            assert [r.code for r in s.scalars(select(ScanRecord).where(ScanRecord.verdict == "ok"))] == [WIDGET_EAN]
            assert audit.verify_chain(s).ok
    finally:
        reopened.close()


def test_deleted_database_file_says_not_saved_and_rescues_a_copy(service: StationService, db: Database) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan(WIDGET_EAN).is_ok
    os.unlink(db.path)

    with pytest.raises(DatabaseFileChanged) as exc:
        service.handle_scan(WIDGET_EAN)
    assert exc.value.problem is FileProblem.DB_DELETED
    rescued = exc.value.rescued
    assert rescued is not None and rescued.name.startswith("station.sqlite3.rescued-")
    assert oct(rescued.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(DatabaseFileChanged):
        service.handle_scan(GADGET_EAN)
    db.close()
    assert counted(rescued)[1] == 1  # the copy holds the one unit that was shown OK


def test_replaced_database_file_is_refused(service: StationService, db: Database, tmp_path: Path) -> None:
    service.handle_scan("ORD-10001")
    other = Database.open(tmp_path / "other.sqlite3")
    other.close()
    os.replace(tmp_path / "other.sqlite3", db.path)  # e.g. a backup restored over the live file

    with pytest.raises(DatabaseFileChanged) as exc:
        service.handle_scan(WIDGET_EAN)
    assert exc.value.problem is FileProblem.DB_REPLACED


def test_the_guard_is_not_tripped_by_normal_use(tmp_path: Path, clock: FrozenClock) -> None:
    """A new database (its WAL appears later), several connections, a second process on the same file."""
    db = Database.open(tmp_path / "station.sqlite3")
    import_orders(db, ORDERS, "S1", clock)
    svc = StationService(db, "S1", clock=clock, evidence_dir=tmp_path / "ev")
    svc.set_packer("P1")
    svc.handle_scan("ORD-10001")
    second = Database.open(tmp_path / "station.sqlite3")  # another writer on the same file
    StationService(second, "S2", clock=clock, evidence_dir=tmp_path / "ev").set_packer("P2")
    second.close()
    assert svc.handle_scan(WIDGET_EAN).is_ok
    assert svc.handle_scan(WIDGET_EAN).is_ok
    assert db.stopped is None
    db.close()


WORKER = """
import sys
from station.db import Database
from station.service import StationService, StorageError
from pathlib import Path
db = Database.open(Path(sys.argv[1]))
svc = StationService(db, "S1")
svc.set_packer("P1")
for line in sys.stdin:
    code = line.strip()
    try:
        v = svc.handle_scan(code)
        print("VERDICT", v.kind.value, flush=True)
    except StorageError as exc:
        print("NOT_SAVED", getattr(exc, "problem", None), flush=True)
"""


def test_wal_deleted_then_kill_9_loses_nothing_that_said_ok(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "station.sqlite3"
    db = Database.open(path)
    import_orders(db, ORDERS, "S1", clock)
    db.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(path)],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdin is not None and proc.stdout is not None

    def scan(code: str) -> str:
        proc.stdin.write(code + "\n")
        proc.stdin.flush()
        return proc.stdout.readline().strip()

    try:
        assert scan("ORD-10001") == "VERDICT order_loaded"
        said_ok = [scan(GADGET_EAN) for _ in range(6)]
        assert said_ok == ["VERDICT ok"] * 6
        os.unlink(f"{path}-wal")
        after = [scan(GADGET_EAN) for _ in range(6)]
        assert all(a.startswith("NOT_SAVED") for a in after), after
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdin.close()
        proc.stdout.close()
    # Restart: the six that said OK are all there, none of the six refused ones, and the trail verifies.
    assert counted(path)[1] == 6
    reopened = Database.open(path)
    try:
        with reopened.sessions() as s:
            report = audit.verify_chain(s)
        assert report.ok and report.rows > 6
    finally:
        reopened.close()
    shutil.rmtree(tmp_path / "evidence", ignore_errors=True)
