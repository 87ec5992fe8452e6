"""Fixtures for the supervisor tests: a real station on a temporary data dir, a frozen clock, cheap argon2
parameters (the real ones cost ~0.1 s per guess, which is the point in production and a waste in tests),
and a package blocked by a wrong item scanned by packer P1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from station.clock import FrozenClock
from station.order_files import parse_orders_csv
from station.orders import import_orders
from station.orm import AuditRecord, OutboxRecord
from station.users import UserDirectory
from ui.bootstrap import Station, bootstrap

ORDERS_CSV = """order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,lot_tracked
T1,ORD-T1,"Maria Kowalski, Leeds",FedEx Ground,OFF-2001,"A5 dotted notebook, black",2,5901230412357,no
T1,ORD-T1,"Maria Kowalski, Leeds",FedEx Ground,OFF-2005,"Wireless mouse, grey",1,036000291278,no
T2,ORD-T2,"Jon Smith, York",UPS,TOY-4003,"Watercolour paint set",1,5901230413194,no
"""
WRONG_ITEM = "5901230413194"  # T2's paint set, scanned into T1


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))


@pytest.fixture
def station(tmp_path: Path, clock: FrozenClock) -> Iterator[Station]:
    st = bootstrap(tmp_path / "data", "BENCH-07", clock)
    import_orders(st.db, parse_orders_csv(ORDERS_CSV), st.station_id, clock)
    yield st
    st.close()


@pytest.fixture
def directory(station: Station) -> UserDirectory:
    d = UserDirectory(station.db, station.clock, station.station_id, hasher=cheap_hasher())
    d.add("P1", "packer", badge="BADGE-P1", pin="135791", display_name="Pat Packer")
    d.add("S1", "supervisor", badge="BADGE-S1", pin="246802", display_name="Sam Supervisor")
    d.add("S2", "supervisor", badge="BADGE-S2", pin="975319", password="correct horse", display_name="Sue Second")
    return d


@pytest.fixture
def blocked(station: Station, directory: UserDirectory) -> Station:
    """Packer P1 loads T1, scans one good item, then a wrong one: the package is blocked."""
    svc = station.service
    svc.set_packer("P1")
    assert svc.load_order("ORD-T1").kind.value == "order_loaded"
    assert svc.handle_scan("5901230412357").is_ok
    verdict = svc.handle_scan(WRONG_ITEM)
    assert verdict.kind.value == "wrong_item" and verdict.blocking
    return station


def audit_rows(station: Station, action: str | None = None) -> list[tuple[str | None, str, dict]]:
    """(actor, action, detail) of audit rows, oldest first; the detail without its row bindings ("bind")."""
    with station.db.sessions() as s:
        q = select(AuditRecord).order_by(AuditRecord.id)
        if action:
            q = q.where(AuditRecord.action == action)
        rows = [(r.actor, r.action, json.loads(r.detail)) for r in s.scalars(q)]
    return [(actor, act, {k: v for k, v in detail.items() if k != "bind"}) for actor, act, detail in rows]


def outbox_actions(station: Station) -> list[str]:
    with station.db.sessions() as s:
        return [
            r.payload["action"]
            for r in s.scalars(
                select(OutboxRecord).where(OutboxRecord.type == "audit.recorded").order_by(OutboxRecord.seq)
            )
        ]


@pytest.fixture
def ui_directory(monkeypatch: pytest.MonkeyPatch, directory: UserDirectory) -> UserDirectory:
    """The supervisor screens use the test's cheap-hash directory."""
    from ui.supervisor import session as supervisor_session

    monkeypatch.setattr(supervisor_session, "make_directory", lambda _station: directory)
    return directory
