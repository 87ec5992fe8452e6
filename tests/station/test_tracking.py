"""Lot-, expiry- and serial-tracked lines cannot skip their checks at the bench.

Before: `lot_tracked` was read from the file and dropped, so the plain EAN of a lot-tracked item counted and
the expiry and recall checks never ran; a serial already shipped in a sealed order was packed again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.model import BenchState, OrderStatus, VerdictKind
from station.order_files import OrderLineSpec, OrderSpec, PackBarcode, read_order_file
from station.orders import import_orders
from station.orm import IncidentRecord, OutboxRecord, ScanRecord
from station.service import StationService

from .conftest import GADGET_CASE6, GADGET_EAN, PILLS_GTIN, WIDGET_EAN, gs1

TRACKED = [
    OrderSpec(
        "30001",
        "ORD-30001",
        "Cy Clinic",
        "DHL",
        (
            OrderLineSpec(
                "P-1", "Vitamin tablets", 2, (PackBarcode(PILLS_GTIN),), lot_tracked=True, expiry_tracked=True
            ),
            OrderLineSpec(
                "G-6", "Gadget", 6, (PackBarcode(GADGET_EAN), PackBarcode(GADGET_CASE6, 6)), serial_tracked=True
            ),
            OrderLineSpec("W-1", "Widget", 1, (PackBarcode(WIDGET_EAN),), lot_tracked=True),
        ),
    ),
    OrderSpec(
        "30002",
        "ORD-30002",
        "Di Dispensary",
        "UPS",
        (OrderLineSpec("G-6", "Gadget", 2, (PackBarcode(GADGET_EAN),), serial_tracked=True),),
    ),
]
GADGET_GTIN14 = "0" + GADGET_EAN


def incidents(service: StationService) -> int:
    with service.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(IncidentRecord))


@pytest.fixture
def tracked(service: StationService, clock) -> StationService:
    import_orders(service.db, TRACKED, "S1", clock)
    return service


def test_plain_ean_of_a_lot_tracked_item_counts_nothing_and_asks_for_the_lot_label(tracked) -> None:
    tracked.handle_scan("ORD-30001")
    verdict = tracked.handle_scan(PILLS_GTIN)
    assert verdict.kind is VerdictKind.LOT_REQUIRED
    assert verdict.detail == "lot,expiry" and verdict.line.sku == "P-1"
    # Not blocked, no incident, nothing counted: the packer scanned the wrong label of the right item.
    assert not verdict.blocking and verdict.incident_id is None and incidents(tracked) == 0
    assert tracked.state is BenchState.ORDER_LOADED and tracked.order.status is OrderStatus.NEW
    assert [ln.scanned for ln in tracked.order.lines] == [0, 0, 0]
    with tracked.db.sessions() as s:
        assert s.scalar(select(ScanRecord.verdict).order_by(ScanRecord.id.desc()).limit(1)) == "lot_required"
    # The lot label counts.
    assert tracked.handle_scan(gs1(PILLS_GTIN, expiry="271231", lot="GOODLOT")).kind is VerdictKind.OK


def test_a_lot_without_the_expiry_is_not_enough_where_the_product_has_one(tracked) -> None:
    tracked.handle_scan("ORD-30001")
    assert tracked.handle_scan(gs1(PILLS_GTIN, lot="GOODLOT")).detail == "expiry"
    assert tracked.handle_scan(gs1(PILLS_GTIN, expiry="271231")).detail == "lot"
    # W-1 is lot-tracked without an expiry date: the lot alone counts.
    assert tracked.handle_scan(gs1("0" + WIDGET_EAN, lot="W1")).kind is VerdictKind.OK


def test_the_lot_label_still_runs_the_expiry_and_recall_checks(tracked) -> None:
    tracked.handle_scan("ORD-30001")
    expired = tracked.handle_scan(gs1(PILLS_GTIN, expiry="251031", lot="OLDLOT"))
    assert expired.kind is VerdictKind.EXPIRED and expired.blocking


def test_a_recalled_lot_on_a_tracked_line_blocks(tracked) -> None:
    tracked.handle_scan("ORD-30001")
    recalled = tracked.handle_scan(gs1(PILLS_GTIN, expiry="271231", lot="BADLOT"))
    assert recalled.kind is VerdictKind.RECALLED and recalled.blocking


def test_seal_still_refuses_while_a_tracked_line_is_short(tracked) -> None:
    tracked.handle_scan("ORD-30001")
    for _ in range(2):
        tracked.handle_scan(PILLS_GTIN)  # plain EANs: asked for the lot label twice, nothing counted
    sealed = tracked.handle_scan("CMD:SEAL")
    assert sealed.kind is VerdictKind.SHORT and {ln.sku for ln in sealed.missing} == {"P-1", "G-6", "W-1"}


def test_serial_tracked_line_needs_a_serial_for_every_unit(tracked) -> None:
    tracked.handle_scan("ORD-30001")
    plain = tracked.handle_scan(GADGET_EAN)
    assert plain.kind is VerdictKind.SERIAL_REQUIRED and plain.detail == "serial" and not plain.blocking
    case = tracked.handle_scan(GADGET_CASE6)  # six units, one scan: no serial for each
    assert case.kind is VerdictKind.SERIAL_REQUIRED and "unit" in case.detail.split(",")
    assert tracked.handle_scan(gs1(GADGET_GTIN14, serial="G1")).kind is VerdictKind.OK
    twice = tracked.handle_scan(gs1(GADGET_GTIN14, serial="G1"))
    assert twice.kind is VerdictKind.DUPLICATE_SERIAL and twice.blocking


def test_a_serial_sealed_in_another_order_is_refused_and_blocks(tracked) -> None:
    tracked.handle_scan("ORD-30002")
    for serial in ("G1", "G2"):
        assert tracked.handle_scan(gs1(GADGET_GTIN14, serial=serial)).kind is VerdictKind.OK
    assert tracked.handle_scan("CMD:SEAL").kind is VerdictKind.SEALED

    tracked.handle_scan("ORD-30001")
    again = tracked.handle_scan(gs1(GADGET_GTIN14, serial="G2"))
    assert again.kind is VerdictKind.SERIAL_SHIPPED and again.detail == "30002" and again.serial == "G2"
    assert again.blocking and tracked.state is BenchState.BLOCKED
    with tracked.db.sessions() as s:
        kinds = list(s.scalars(select(OutboxRecord.payload)))
    assert any(p.get("kind") == "serial_shipped" for p in kinds)


def test_a_serial_counted_in_an_unsealed_or_cancelled_order_is_not_shipped(tracked) -> None:
    tracked.handle_scan("ORD-30002")
    assert tracked.handle_scan(gs1(GADGET_GTIN14, serial="G7")).kind is VerdictKind.OK
    tracked.handle_scan("CMD:CANCEL")  # the unit went back to the shelf
    tracked.handle_scan("ORD-30001")
    assert tracked.handle_scan(gs1(GADGET_GTIN14, serial="G7")).kind is VerdictKind.OK


def test_the_flags_survive_a_restart(tracked, db, clock, tmp_path) -> None:
    tracked.handle_scan("ORD-30001")
    again = StationService(db, "S1", clock=clock, evidence_dir=tmp_path / "evidence")
    assert again.handle_scan(PILLS_GTIN).kind is VerdictKind.LOT_REQUIRED
    assert again.handle_scan(GADGET_EAN).kind is VerdictKind.SERIAL_REQUIRED


@pytest.mark.parametrize("form", ["csv", "json"])
def test_flags_from_csv_and_json_order_files_reach_the_bench(form, db, clock, tmp_path: Path) -> None:
    if form == "csv":
        text = (
            "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,lot_tracked,"
            "expiry_tracked,serial_tracked\n"
            f"1,ORD-1,A,DHL,P-1,Pills,1,{PILLS_GTIN},yes,yes,no\n"
            f"1,ORD-1,A,DHL,G-1,Gadget,1,{GADGET_EAN},no,no,yes\n"
        )
    else:
        text = (
            '{"orders": [{"order_id": "1", "order_barcode": "ORD-1", "ship_to": "A", "carrier": "DHL", "lines": ['
            f'{{"sku": "P-1", "description": "Pills", "quantity": 1, "barcodes": ["{PILLS_GTIN}"], '
            '"lot_tracked": true, "expiry_tracked": "yes"}, '
            f'{{"sku": "G-1", "description": "Gadget", "quantity": 1, "barcodes": ["{GADGET_EAN}"], '
            '"serial_tracked": true}]}]}'
        )
    path = tmp_path / f"orders.{form}"
    path.write_text(text, encoding="utf-8")
    import_orders(db, read_order_file(path), "S1", clock)
    service = StationService(db, "S1", clock=clock, evidence_dir=tmp_path / "evidence")
    service.handle_scan("ORD-1")
    assert service.handle_scan(PILLS_GTIN).kind is VerdictKind.LOT_REQUIRED
    assert service.handle_scan(GADGET_EAN).kind is VerdictKind.SERIAL_REQUIRED
    assert service.handle_scan(gs1(PILLS_GTIN, expiry="271231", lot="L1")).kind is VerdictKind.OK
    assert service.handle_scan(gs1("0" + GADGET_EAN, serial="S1")).kind is VerdictKind.OK
    assert service.handle_scan("CMD:SEAL").kind is VerdictKind.SEALED


def test_a_serial_tracked_line_with_only_case_packs_is_refused_at_import() -> None:
    from station.order_files import OrderFileError, parse_orders_csv

    with pytest.raises(OrderFileError) as err:
        parse_orders_csv(
            "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,serial_tracked\n"
            f"1,ORD-1,A,DHL,G-6,Gadget,6,{GADGET_CASE6}*6,yes\n"
        )
    [problem] = err.value.problems
    assert (problem.line, problem.field) == (2, "serial_tracked") and "single-unit" in problem.message
