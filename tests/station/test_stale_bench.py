"""The bench changed on disk under this process: a scan is judged again on what the disk says, a bounded
number of times (`station.service.MAX_JUDGEMENTS`), then refused as NOT SAVED with a typed reason."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from station.db import Database
from station.model import BenchState, VerdictKind
from station.orm import ScanRecord
from station.service import MAX_JUDGEMENTS, StationService, StorageError, StorageReason
from tests.station.conftest import GADGET_EAN, WIDGET_EAN


def _other_connection(db: Database) -> sqlite3.Connection:
    """Another program on the same database file: a plain sqlite3 connection, autocommit."""
    return sqlite3.connect(db.path, isolation_level=None, timeout=10)


def _scanned_on_disk(other: sqlite3.Connection, sku: str) -> int:
    return other.execute("SELECT scanned FROM order_lines WHERE sku = ?", (sku,)).fetchone()[0]


def _counted_rows(db: Database, code: str) -> int:
    with db.sessions() as s:
        return s.scalar(
            select(func.count()).select_from(ScanRecord).where(ScanRecord.code == code, ScanRecord.verdict == "ok")
        )


def test_a_count_made_by_another_connection_is_judged_on_what_the_disk_says(
    service: StationService, db: Database
) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.OK  # W-1: 1 of 2, in memory and on disk
    other = _other_connection(db)
    other.execute("UPDATE order_lines SET scanned = 2 WHERE sku = 'W-1'")  # someone else counted the second
    verdict = service.handle_scan(WIDGET_EAN)  # memory says 1 of 2: it would count; the disk says 2 of 2
    assert verdict.kind is VerdictKind.OVER_SCAN and verdict.would_make == 3
    assert service.state is BenchState.BLOCKED
    assert _scanned_on_disk(other, "W-1") == 2  # not counted past the order
    other.close()


def test_a_bench_that_keeps_changing_is_refused_after_the_bound_and_nothing_is_counted(
    service: StationService, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.handle_scan("ORD-10001")
    other = _other_connection(db)
    other.execute("UPDATE order_lines SET scanned = 1 WHERE sku = 'G-6'")  # stale before the first judgement
    real_reload = service.reload
    reloads = []

    def reload_then_change_again() -> None:
        real_reload()  # the service re-reads the disk ...
        reloads.append(_scanned_on_disk(other, "G-6"))
        other.execute("UPDATE order_lines SET scanned = scanned + 1 WHERE sku = 'G-6'")  # ... and it moves on

    monkeypatch.setattr(service, "reload", reload_then_change_again)
    with pytest.raises(StorageError) as refused:
        service.handle_scan(GADGET_EAN)
    assert refused.value.reason is StorageReason.BENCH_CHANGING
    assert reloads == [1, 2, 3] and len(reloads) == MAX_JUDGEMENTS  # judged again each time, then stopped
    assert _counted_rows(db, GADGET_EAN) == 0  # this scan counted nothing
    assert _scanned_on_disk(other, "G-6") == 1 + MAX_JUDGEMENTS

    monkeypatch.setattr(service, "reload", real_reload)  # the other program stops
    again = service.handle_scan(GADGET_EAN)
    assert again.kind is VerdictKind.OK and again.line.scanned == MAX_JUDGEMENTS + 2
    assert _scanned_on_disk(other, "G-6") == MAX_JUDGEMENTS + 2
    other.close()
