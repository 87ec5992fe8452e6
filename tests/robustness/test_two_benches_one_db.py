"""Two `packgate` processes on one data dir and station (e.g. the launcher double-clicked): each holds the
bench in memory. One blocking the package must stop the other from counting into it or sealing it."""

from __future__ import annotations

from pathlib import Path

from station.clock import FrozenClock
from station.db import Database
from station.model import BenchState, OrderStatus, VerdictKind
from station.service import StationService
from tests.station.conftest import GADGET_EAN, UNKNOWN_EAN, WIDGET_EAN


def _second(db: Database, clock: FrozenClock, tmp_path: Path) -> StationService:
    other = StationService(db, "S1", clock=clock, evidence_dir=tmp_path / "evidence")
    other.set_packer("P2")
    return other


def test_a_block_made_by_another_process_stops_counting_and_sealing(
    service: StationService, db: Database, clock: FrozenClock, tmp_path: Path
) -> None:
    assert service.handle_scan("ORD-10001").kind is VerdictKind.ORDER_LOADED
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.OK
    other = _second(db, clock, tmp_path)
    assert other.handle_scan(UNKNOWN_EAN).kind is VerdictKind.UNKNOWN_CODE  # blocks on disk

    # The first process still believes it is scanning; the disk says blocked.
    counted = service.handle_scan(WIDGET_EAN)
    assert counted.kind is VerdictKind.STILL_BLOCKED and service.state is BenchState.BLOCKED
    assert service.handle_scan("CMD:SEAL").kind is VerdictKind.STILL_BLOCKED
    fresh = _second(db, clock, tmp_path)
    assert fresh.order is not None and fresh.order.status is OrderStatus.BLOCKED
    assert [ln.scanned for ln in fresh.order.lines] == [1, 0, 0]  # the stale scan was not counted


def test_seal_on_a_view_made_stale_by_another_process_is_refused(
    service: StationService, db: Database, clock: FrozenClock, tmp_path: Path
) -> None:
    service.handle_scan("ORD-20002")
    assert service.handle_scan("012345678905").kind is VerdictKind.OK
    assert service.state is BenchState.COMPLETE
    _second(db, clock, tmp_path).handle_scan(GADGET_EAN)  # an item of another order: wrong item, blocks
    sealed = service.handle_scan("CMD:SEAL")
    assert sealed.kind is VerdictKind.STILL_BLOCKED, sealed
    assert _second(db, clock, tmp_path).order.status is OrderStatus.BLOCKED


def test_counts_made_by_another_process_are_not_overrun(
    service: StationService, db: Database, clock: FrozenClock, tmp_path: Path
) -> None:
    service.handle_scan("ORD-10001")
    other = _second(db, clock, tmp_path)
    assert other.handle_scan(WIDGET_EAN).kind is VerdictKind.OK
    assert other.handle_scan(WIDGET_EAN).kind is VerdictKind.OK  # W-1 is now 2 of 2 on disk
    third = service.handle_scan(WIDGET_EAN)  # this process still remembers 0 of 2
    assert third.kind is VerdictKind.OVER_SCAN, third
