"""A station on a temporary database with a frozen clock and a few small orders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from station.clock import FrozenClock
from station.db import Database
from station.order_files import OrderLineSpec, OrderSpec, PackBarcode, RecallEntry
from station.orders import import_orders, import_recalls
from station.service import StationService

# Valid GTINs (check digits computed by hand and by station.barcodes in test_barcodes).
WIDGET_EAN = "4006381333931"
GADGET_EAN = "5901234123457"
GADGET_CASE6 = "15901234123454"  # GTIN-14, packaging indicator 1, same item: a case of 6
PILLS_GTIN = "05901230412708"
OTHER_UPC = "012345678905"  # on order 20002 only
UNKNOWN_EAN = "4012345678901"  # valid, on no order

ORDERS = [
    OrderSpec(
        "10001",
        "ORD-10001",
        "Ada Lovelace, 1 Analytical St",
        "DHL",
        (
            OrderLineSpec("W-1", "Widget", 2, (PackBarcode(WIDGET_EAN),)),
            OrderLineSpec("G-6", "Gadget", 12, (PackBarcode(GADGET_EAN), PackBarcode(GADGET_CASE6, 6))),
            OrderLineSpec("P-1", "Vitamin tablets", 2, (PackBarcode(PILLS_GTIN),)),
        ),
    ),
    OrderSpec(
        "20002", "ORD-20002", "Bob Baker", "UPS", (OrderLineSpec("O-1", "Other thing", 1, (PackBarcode(OTHER_UPC),)),)
    ),
]


def gs1(gtin: str, *, expiry: str | None = None, lot: str | None = None, serial: str | None = None) -> str:
    """A GS1 element string as a scanner sends it: AIM ]d2 prefix, GS after variable-length fields."""
    text = "]d201" + gtin
    if expiry:
        text += "17" + expiry
    if serial:
        text += "21" + serial + "\x1d"
    if lot:
        text += "10" + lot + "\x1d"
    return text.rstrip("\x1d")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database.open(tmp_path / "station.sqlite3")
    yield database
    database.close()


@pytest.fixture
def service(db: Database, clock: FrozenClock, tmp_path: Path) -> StationService:
    import_orders(db, ORDERS, "S1", clock)
    import_recalls(db, [RecallEntry(PILLS_GTIN, "BADLOT", None, "supplier recall 17")], "S1", clock)
    svc = StationService(db, "S1", clock=clock, evidence_dir=tmp_path / "evidence")
    svc.set_packer("P1")
    return svc
