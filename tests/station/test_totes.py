"""Totes open their order until it is sealed; order barcodes match regardless of letter case when that is
unambiguous, and both look-ups stay on an index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from station.model import BenchState, VerdictKind
from station.order_files import OrderLineSpec, OrderSpec, PackBarcode, read_order_file
from station.order_files.conflicts import Role
from station.orders import OrderConflictError, import_orders, list_orders
from station.orm import Order
from station.service import StationService

from .conftest import OTHER_UPC, UNKNOWN_EAN


def tote_order(order_id: str, tote: str | None, code: str = UNKNOWN_EAN) -> OrderSpec:
    return OrderSpec(
        order_id,
        f"ORD-{order_id}",
        "Ship to",
        "DHL",
        (OrderLineSpec("T-1", "Thing", 1, (PackBarcode(code),)),),
        tote=tote,
    )


@pytest.fixture
def toted(service: StationService, db, clock) -> StationService:
    import_orders(db, [tote_order("40001", "T-17")], "S1", clock)
    return service


def test_scanning_the_tote_opens_its_order(toted: StationService) -> None:
    loaded = toted.handle_scan("T-17")
    assert loaded.kind is VerdictKind.ORDER_LOADED and loaded.order.order_id == "40001"
    assert loaded.order.tote == "T-17"
    # The tote again while packing is the same order, not an item or a switch.
    assert toted.handle_scan("t-17").kind is VerdictKind.ORDER_LOADED
    assert toted.handle_scan(UNKNOWN_EAN).kind is VerdictKind.OK


def test_a_held_tote_is_refused_to_another_order_until_its_order_is_sealed(toted, db, clock) -> None:
    with pytest.raises(OrderConflictError) as err:
        import_orders(db, [tote_order("40002", "T-17", OTHER_UPC)], "S1", clock)
    [c] = err.value.conflicts
    assert (c.role, c.other_role, c.other, c.other_status) == (Role.TOTE, Role.TOTE, "40001", "new")

    toted.handle_scan("T-17")
    toted.handle_scan(UNKNOWN_EAN)
    assert toted.handle_scan("CMD:SEAL").kind is VerdictKind.SEALED
    # Sealed: the tote is free. It opens nothing now, and the next order can be picked into it.
    assert toted.handle_scan("T-17").kind is VerdictKind.ORDER_NOT_FOUND
    assert import_orders(db, [tote_order("40002", "T-17", OTHER_UPC)], "S1", clock).imported == 1
    loaded = toted.handle_scan("T-17")
    assert loaded.kind is VerdictKind.ORDER_LOADED and loaded.order.order_id == "40002"
    assert [o["tote"] for o in list_orders(db) if o["order_id"] in ("40001", "40002")] == ["T-17", "T-17"]


def test_two_orders_of_one_file_cannot_share_a_tote(tmp_path: Path) -> None:
    from station.order_files import OrderFileError

    path = tmp_path / "o.csv"
    path.write_text(
        "order_id,order_barcode,tote,ship_to,carrier,sku,description,quantity,barcodes\n"
        f"1,ORD-1,T-9,A,DHL,S,D,1,{UNKNOWN_EAN}\n2,ORD-2,t-9,A,DHL,S,D,1,{OTHER_UPC}\n",
        encoding="utf-8",
    )
    with pytest.raises(OrderFileError) as err:
        read_order_file(path)
    [problem] = err.value.problems
    assert (problem.line, problem.field) == (3, "tote") and "also the tote of order 1" in problem.message


def test_the_tote_comes_from_csv_and_json(tmp_path: Path) -> None:
    csv_path = tmp_path / "o.csv"
    csv_path.write_text(
        "order_id,order_barcode,tote,ship_to,carrier,sku,description,quantity,barcodes\n"
        f"1,ORD-1,T-9,A,DHL,S,D,1,{UNKNOWN_EAN}\n",
        encoding="utf-8",
    )
    json_path = tmp_path / "o.json"
    json_path.write_text(
        '{"orders": [{"order_id": "1", "tote": "T-9", "ship_to": "A", "carrier": "DHL", '
        f'"lines": [{{"sku": "S", "description": "D", "quantity": 1, "barcodes": ["{UNKNOWN_EAN}"]}}]}}]}}',
        encoding="utf-8",
    )
    assert read_order_file(csv_path)[0].tote == read_order_file(json_path)[0].tote == "T-9"


def test_an_order_barcode_matches_whatever_its_letter_case(service: StationService) -> None:
    loaded = service.handle_scan("ord-10001")
    assert loaded.kind is VerdictKind.ORDER_LOADED and loaded.order.order_id == "10001"
    assert service.state is BenchState.ORDER_LOADED


def test_two_stored_barcodes_differing_only_in_case_match_exactly_or_not_at_all(db, clock, tmp_path) -> None:
    # Imports refuse this now; a database from before the barcode key may still hold such a pair.
    import_orders(db, [tote_order("1", None)], "S1", clock)
    with db.session() as s:
        s.execute(text("UPDATE orders SET order_barcode = 'ORD-X', barcode_key = 'ORD-X' WHERE order_id = '1'"))
    import_orders(db, [tote_order("2", None, OTHER_UPC)], "S1", clock)
    with db.session() as s:
        s.execute(text("UPDATE orders SET order_barcode = 'ord-x', barcode_key = 'ORD-X' WHERE order_id = '2'"))
    service = StationService(db, "S1", clock=clock, evidence_dir=tmp_path / "e")
    assert service.handle_scan("ord-x").order.order_id == "2"
    service.handle_scan("CMD:CANCEL")
    assert service.handle_scan("ORD-X").order.order_id == "1"
    service.handle_scan("CMD:CANCEL")
    assert service.handle_scan("Ord-X").kind is VerdictKind.ORDER_NOT_FOUND


@pytest.mark.parametrize("where", ["barcode_key = 'ORD-10001'", "tote_key = 'T-17'", "order_barcode = 'ORD-10001'"])
def test_order_look_ups_use_an_index(service: StationService, db, where: str) -> None:
    with db.sessions() as s:
        plan = " ".join(
            str(row[-1]) for row in s.execute(text(f"EXPLAIN QUERY PLAN SELECT * FROM orders WHERE {where}"))
        )
    assert "USING INDEX" in plan and not plan.startswith("SCAN"), plan


def test_migration_fills_the_key_of_orders_stored_before_it(tmp_path: Path, clock) -> None:
    from station.db import Database

    path = tmp_path / "old.sqlite3"
    db = Database.open(path)
    import_orders(db, [tote_order("1", None)], "S1", clock)
    with db.session() as s:  # back to how revision 0001 left it
        s.execute(text("UPDATE orders SET barcode_key = NULL"))
    from alembic import command
    from alembic.config import Config

    import station

    with db.engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(station.__file__).parent / "migrations"))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        command.upgrade(cfg, "head")
    with db.sessions() as s:
        assert s.scalar(select(Order.barcode_key).where(Order.order_id == "1")) == "ORD-1"
    db.close()
