"""Under the common umask 022 every file PackGate makes used to be readable by every account on the PC
(database with PIN hashes, log, settings with the sync token, evidence photos). Now: dirs 0700, files 0600."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from station.clock import FrozenClock
from ui.bootstrap import bootstrap
from ui.logs import configure_logging


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_and_every_file_in_it_are_private_under_umask_022(tmp_path: Path, umask_022: None) -> None:
    data = tmp_path / "data"
    station = bootstrap(data, "BENCH-07", FrozenClock())
    try:
        configure_logging(station.paths.log_dir)
        logging.getLogger("test").warning("a line for the file log")
        station.settings.set("station_id", "BENCH-07")
        station.settings.save()
        from station.orders import import_orders
        from tests.station.conftest import ORDERS

        import_orders(station.db, ORDERS, station.station_id, station.clock)
        svc = station.service
        svc.set_packer("P1")
        svc.handle_scan("ORD-10001")
        verdict = svc.handle_scan("4012345678901", evidence_jpeg=b"\xff\xd8 a frame \xff\xd9")  # unknown: blocks
        assert verdict.incident_id
    finally:
        station.close()
        configure_logging(None)
    dirs = [data, *(p for p in data.rglob("*") if p.is_dir())]
    files = [p for p in data.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"station.sqlite3", "packgate.log", "settings.json"} <= names
    assert any(p.suffix == ".jpg" for p in files)
    assert {str(p.relative_to(data)): oct(mode(p)) for p in dirs if mode(p) != 0o700} == {}
    assert {str(p.relative_to(data)): oct(mode(p)) for p in files if mode(p) != 0o600} == {}


def test_an_existing_world_readable_data_dir_is_tightened(tmp_path: Path, umask_022: None) -> None:
    data = tmp_path / "data"
    bootstrap(data, "BENCH-07", FrozenClock()).close()
    os.chmod(data, 0o755)
    os.chmod(data / "station.sqlite3", 0o644)
    bootstrap(data, "BENCH-07", FrozenClock()).close()
    assert (mode(data), mode(data / "station.sqlite3")) == (0o700, 0o600)
