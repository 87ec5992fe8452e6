"""A station database that is garbage or truncated: every command says so in one line, no traceback.

(A full disk is covered by tests/station/test_service.py with max_page_count; it was also tried by hand on a
3 MB tmpfs, see docs/robustness.md.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station.samples import SAMPLES_DIR
from ui.cli import main


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def _packgate_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("packgate:")]


@pytest.fixture
def data_dir(tmp_path: Path, capsys) -> Path:
    folder = tmp_path / "data"
    assert _run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.csv"), "--data-dir", str(folder))[0] == 0
    return folder


def _garbage(db: Path) -> None:
    db.write_bytes(os.urandom(64 * 1024))


def _truncated(db: Path) -> None:
    with open(db, "r+b") as f:
        f.truncate(20_000)


@pytest.mark.parametrize("damage", [_garbage, _truncated], ids=["garbage", "truncated"])
@pytest.mark.parametrize("command", [["orders", "list"], ["audit", "verify"], ["db", "upgrade"]], ids=" ".join)
def test_damaged_database_is_one_clear_line(capsys, data_dir: Path, damage, command: list[str]) -> None:
    for suffix in ("-wal", "-shm"):
        (data_dir / f"station.sqlite3{suffix}").unlink(missing_ok=True)
    damage(data_dir / "station.sqlite3")
    code, err = _run(capsys, *command, "--data-dir", str(data_dir))
    assert code == 3 and "Traceback" not in err, err
    (line,) = _packgate_lines(err)
    assert ("file is not a database" in line or "malformed" in line) and "sqlalche.me" not in err, err
