"""`packgate db backup` and `packgate db restore` as a site's IT uses them: a backup taken while a packer keeps
scanning holds every scan acknowledged before it, restores into a fresh data dir, and `audit verify` passes;
a damaged, foreign, newer or tampered file is refused with words and nothing changes; a running packer
screen blocks a restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from station.clock import SystemClock
from station.db import Database
from station.orders import import_orders
from tests.station.test_crash import make_orders, read_acks
from ui.cli import main
from ui.single_instance import InstanceLock

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok_scans(database: Path) -> Counter[tuple[str, str]]:
    """Acknowledged-OK scans per (order, code) in a database file."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT order_id, code, count(*) FROM scans WHERE verdict = 'ok' GROUP BY 1, 2").fetchall()
    conn.close()
    return Counter({(order, code): n for order, code, n in rows})


def tables(database: Path) -> set[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return names


@pytest.fixture
def packed(tmp_path: Path) -> Path:
    """A data dir whose station has packed a few orders."""
    data = tmp_path / "live"
    db = Database.open(data / "station.sqlite3")
    import_orders(db, make_orders(3), "BK", SystemClock())
    db.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.station.crash_worker", str(data), "7"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return data


def test_a_backup_taken_while_scanning_restores_with_every_acknowledged_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "live"
    db = Database.open(data / "station.sqlite3")
    import_orders(db, make_orders(300), "BK", SystemClock())
    db.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.station.crash_worker", str(data), "11"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acks: list[list[str]] = []
    reader = threading.Thread(target=read_acks, args=(worker, acks), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while sum(1 for a in acks if a[0] == "ok") < 40:
            assert worker.poll() is None and time.monotonic() < deadline, "the packer did not get going"
            time.sleep(0.05)
        acked_before = list(acks)  # everything the screen had shown when the backup starts
        code, out, err = run(capsys, "db", "backup", str(tmp_path / "bk.sqlite3"), "--data-dir", str(data))
        assert code == 0, err
        assert "audit trail of" in out and "verified" in out
        scanned_meanwhile = len(acks) - len(acked_before)
    finally:
        worker.kill()
        worker.wait(10)
        reader.join(10)
        assert worker.stdout is not None
        worker.stdout.close()
    assert worker.returncode is not None and scanned_meanwhile >= 0

    fresh = tmp_path / "restored"
    code, out, err = run(capsys, "db", "restore", str(tmp_path / "bk.sqlite3"), "--data-dir", str(fresh))
    assert code == 0, err
    assert "restored" in out and "before-restore" not in out  # nothing was there to keep
    # Every OK scan acknowledged before the backup began is in the restored database.
    wanted = Counter[tuple[str, str]]()
    codes = {"W-1": "4006381333931", "G-6": "5901234123457"}
    for ack in acked_before:
        if ack[0] == "ok":
            _, order_id, sku, scanned = ack
            key = (order_id, codes[sku])
            wanted[key] = max(wanted[key], int(scanned))
    have = ok_scans(fresh / "station.sqlite3")
    missing = {k: n for k, n in wanted.items() if have[k] < n}
    assert wanted and missing == {}, f"acknowledged scans missing from the backup: {missing}"
    code, out, _ = run(capsys, "audit", "verify", "--data-dir", str(fresh), "--station", "BK")
    assert code == 3 and "audit trail intact locally" in out  # 3: intact, never anchored with central


def test_a_restore_keeps_the_database_it_replaces_and_drops_its_old_wal(
    packed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "bk.sqlite3"
    assert run(capsys, "db", "backup", str(backup), "--data-dir", str(packed))[0] == 0
    before = ok_scans(packed / "station.sqlite3")
    # A change after the backup, left in the WAL beside the database: the connection stays open and does
    # not checkpoint, as a running station's might.
    holder = sqlite3.connect(packed / "station.sqlite3", isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("CREATE TABLE after_the_backup (x INTEGER)")
    assert Path(f"{packed / 'station.sqlite3'}-wal").stat().st_size > 0

    try:
        code, out, err = run(capsys, "db", "restore", str(backup), "--data-dir", str(packed))
    finally:
        holder.close()
    assert code == 0, err
    kept = list(packed.glob("station.sqlite3.before-restore-*"))
    assert len(kept) == 1 and f"kept as {kept[0]}" in out
    assert ok_scans(kept[0]) == before and "after_the_backup" in tables(kept[0])  # the replaced one, WAL and all
    assert ok_scans(packed / "station.sqlite3") == before
    assert "after_the_backup" not in tables(packed / "station.sqlite3")  # the old WAL was not replayed into it
    assert backup.exists()  # the backup itself is not consumed
    code, out, _ = run(capsys, "audit", "verify", "--data-dir", str(packed), "--station", "BK")
    assert code == 3, out


def test_backup_refuses_to_overwrite_without_force(packed: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "bk.sqlite3"
    target.write_text("yesterday's backup")
    code, _, err = run(capsys, "db", "backup", str(target), "--data-dir", str(packed))
    assert code == 2 and "already exists (give --force" in err
    assert target.read_text() == "yesterday's backup"
    assert run(capsys, "db", "backup", str(target), "--force", "--data-dir", str(packed))[0] == 0
    assert not list(tmp_path.glob(".bk.sqlite3.partial-*"))


def _tampered(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE scans SET code = '4012345678901' WHERE id = (SELECT min(id) FROM scans)")
    conn.close()


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_tampered, "fails the audit check"),
        (_newer, "written by a newer PackGate (schema 9999)"),
        (_foreign, "not a PackGate station's"),
        (_garbage, "is not an SQLite database"),
    ],
)
def test_a_bad_backup_is_refused_and_the_station_is_untouched(
    packed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], spoil, words: str
) -> None:
    backup = tmp_path / "bk.sqlite3"
    assert run(capsys, "db", "backup", str(backup), "--data-dir", str(packed))[0] == 0
    spoil(backup)
    live = packed / "station.sqlite3"
    before = live.read_bytes()
    code, _, err = run(capsys, "db", "restore", str(backup), "--data-dir", str(packed))
    assert code == 2 and "not restored, nothing changed" in err and words in err, err
    assert live.read_bytes() == before
    assert not list(packed.glob("station.sqlite3.before-restore-*"))


def test_a_running_packer_screen_blocks_a_restore(packed: Path, tmp_path: Path, capsys) -> None:
    backup = tmp_path / "bk.sqlite3"
    assert run(capsys, "db", "backup", str(backup), "--data-dir", str(packed))[0] == 0
    shutil.copy(packed / "station.sqlite3", tmp_path / "untouched")
    lock = InstanceLock(packed).acquire()  # what the packer window holds while it is open
    try:
        code, _, err = run(capsys, "db", "restore", str(backup), "--data-dir", str(packed))
    finally:
        lock.release()
    assert code == 2 and "not restored" in err and "already running" in err
    assert (packed / "station.sqlite3").read_bytes() == (tmp_path / "untouched").read_bytes()
