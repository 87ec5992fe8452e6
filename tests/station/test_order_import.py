"""Order import refuses codes that would make a scan ambiguous, duplicate JSON keys, and stays all or nothing
while it streams a CSV file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.order_files import (
    OrderFileError,
    OrderLineSpec,
    OrderSpec,
    PackBarcode,
    iter_order_file,
    parse_orders_json,
)
from station.order_files.conflicts import Role
from station.orders import OrderConflictError, import_orders
from station.orm import Order, OrderLine
from station.users import UserDirectory, UserError
from ui.user_words import user_error_text

from .conftest import OTHER_UPC, UNKNOWN_EAN, WIDGET_EAN

HEADER = "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes\n"


def order(order_id: str, barcode: str | None, *codes: str, tote: str | None = None) -> OrderSpec:
    return OrderSpec(
        order_id,
        barcode,
        "Ship to",
        "DHL",
        tuple(OrderLineSpec(f"SKU-{i}", "Item", 1, (PackBarcode(code),)) for i, code in enumerate(codes)),
        tote=tote,
    )


def stored_ids(db) -> list[str]:
    with db.sessions() as s:
        return sorted(s.scalars(select(Order.order_id)))


def test_an_order_barcode_already_stored_is_refused_naming_both_orders(service, db, clock) -> None:
    before = stored_ids(db)
    with pytest.raises(OrderConflictError) as err:
        import_orders(
            db, [order("9001", "ORD-9001", UNKNOWN_EAN), order("9002", "ORD-10001", UNKNOWN_EAN)], "S1", clock
        )
    [c] = err.value.conflicts
    assert (c.order_id, c.role, c.code, c.other_role, c.other) == (
        "9002",
        Role.ORDER_BARCODE,
        "ORD-10001",
        Role.ORDER_BARCODE,
        "10001",
    )
    assert stored_ids(db) == before  # nothing imported, not even 9001


def test_an_order_barcode_differing_only_in_case_is_refused(service, db, clock) -> None:
    with pytest.raises(OrderConflictError) as err:
        import_orders(db, [order("9002", "ord-10001", UNKNOWN_EAN)], "S1", clock)
    assert err.value.conflicts[0].other_code == "ORD-10001"


def test_reimporting_an_order_with_its_own_barcode_still_replaces_it(service, db, clock) -> None:
    result = import_orders(db, [order("10001", "ORD-10001", UNKNOWN_EAN)], "S1", clock)
    assert (result.imported, result.replaced) == (0, 1)


@pytest.mark.parametrize("direction", ["barcode is a stored item", "item is a stored barcode"])
def test_an_order_barcode_equal_to_another_orders_item_code_is_refused_both_ways(service, db, clock, direction) -> None:
    if direction == "barcode is a stored item":
        new = order("9003", WIDGET_EAN, UNKNOWN_EAN)  # WIDGET_EAN is an item of order 10001
        expected = (Role.ORDER_BARCODE, Role.ITEM, "10001")
    else:
        new = order("9003", "ORD-9003", "ORD-20002")  # an item labelled like order 20002's barcode
        expected = (Role.ITEM, Role.ORDER_BARCODE, "20002")
    with pytest.raises(OrderConflictError) as err:
        import_orders(db, [new], "S1", clock)
    assert {(c.role, c.other_role, c.other) for c in err.value.conflicts} == {expected}
    assert "9003" not in stored_ids(db)


def test_within_one_import_an_order_barcode_equal_to_another_orders_item_is_refused(db, clock) -> None:
    with pytest.raises(OrderConflictError) as err:
        import_orders(db, [order("1", "ORD-1", "INT-7"), order("2", "INT-7", OTHER_UPC)], "S1", clock)
    assert {(c.order_id, c.role, c.other) for c in err.value.conflicts} == {("2", Role.ORDER_BARCODE, "1")}
    assert stored_ids(db) == []


def test_an_order_barcode_or_tote_equal_to_a_badge_is_refused(db, clock) -> None:
    UserDirectory(db, clock=clock, station_id="S1").add("sam", "packer", badge="BADGE-S1")
    for new, role in (
        (order("1", "badge-s1", UNKNOWN_EAN), Role.ORDER_BARCODE),
        (order("2", "ORD-2", OTHER_UPC, tote="BADGE-S1"), Role.TOTE),
    ):
        with pytest.raises(OrderConflictError) as err:
            import_orders(db, [new], "S1", clock)
        assert [(c.role, c.other_role, c.other, c.other_code) for c in err.value.conflicts] == [
            (role, Role.BADGE, "sam", "BADGE-S1")
        ]
    assert stored_ids(db) == []


def test_a_new_badge_equal_to_an_order_barcode_tote_or_item_code_is_refused(db, clock) -> None:
    """The other direction: a badge scanned at the bench would open that order (or count that item)."""
    import_orders(db, [order("1", "ORD-1", UNKNOWN_EAN, tote="T-17")], "S1", clock)
    users = UserDirectory(db, clock=clock, station_id="S1")
    for badge, what in (("ord-1", "order barcode"), ("T-17", "tote"), (UNKNOWN_EAN, "item code")):
        with pytest.raises(UserError) as refused:
            users.add("sam", "packer", badge=badge)
        assert re.search(f"that badge is the {what} of order 1", user_error_text(refused.value))
    assert [u.name for u in users.list()] == []
    users.add("sam", "packer", badge="BADGE-S1")  # an unrelated badge is fine
    assert [u.name for u in users.list()] == ["sam"]


def test_a_duplicate_json_key_is_refused_naming_the_key_and_where() -> None:
    text = (
        '{"orders": [{"order_id": "1", "ship_to": "A", "carrier": "DHL", "lines": ['
        '{"sku": "S", "description": "D", "quantity": 1, "quantity": 5, "barcodes": ["' + WIDGET_EAN + '"]}]}]}'
    )
    with pytest.raises(OrderFileError) as err:
        parse_orders_json(text, "orders.json")
    [problem] = err.value.problems
    assert problem.field == "orders[0].lines[0]" and "'quantity'" in problem.message
    assert str(problem).startswith("orders.json: orders[0].lines[0]: key 'quantity' is written more than once")


def test_a_duplicate_top_level_key_is_refused_too() -> None:
    line = {"sku": "S", "description": "D", "quantity": 1, "barcodes": [WIDGET_EAN]}
    one = json.dumps({"order_id": "1", "ship_to": "A", "carrier": "DHL", "lines": [line]})
    with pytest.raises(OrderFileError) as err:
        parse_orders_json(f'{{"orders": [{one}], "orders": []}}', "o.json")
    assert err.value.problems[0].field == "$" and "'orders'" in err.value.problems[0].message


def _big_csv(path: Path, orders: int, last_row: str | None = None, shuffled: bool = False) -> None:
    rows = [
        f"{n},ORD-{n},Ship {n},DHL,SKU-{line},Item,1,{WIDGET_EAN if line == 0 else OTHER_UPC}\n"
        for n in range(1, orders + 1)
        for line in range(2)
    ]
    if shuffled:  # every order's second line at the end of the file
        rows = rows[0::2] + rows[1::2]
    path.write_text(HEADER + "".join(rows) + (last_row or ""), encoding="utf-8")


def test_a_bad_last_row_of_a_streamed_file_stores_nothing(db, clock, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("station.orders.CHUNK_ORDERS", 300)  # so the good orders are written in several chunks
    path = tmp_path / "big.csv"
    _big_csv(path, 2000, last_row=f"9999,ORD-9999,Ship,DHL,SKU-0,Item,1,{WIDGET_EAN[:-1]}0\n")  # bad check digit
    with pytest.raises(OrderFileError) as err:
        import_orders(db, iter_order_file(path), "S1", clock)
    assert err.value.problems[0].line == 4002 and "check digit" in err.value.problems[0].message
    assert stored_ids(db) == []  # the 2000 good orders before it, written in chunks, are rolled back


def test_a_streamed_file_is_read_one_order_at_a_time_even_when_its_rows_are_shuffled(db, clock, tmp_path) -> None:
    path = tmp_path / "shuffled.csv"
    _big_csv(path, 1200, shuffled=True)
    stream = iter_order_file(path)
    first = next(stream)
    assert len(first.lines) == 2  # gathered from line 2 and line 1202
    result = import_orders(db, [first, *stream], "S1", clock)
    assert result.imported == 1200
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(OrderLine)) == 2400


def test_a_garbage_file_reports_a_bounded_number_of_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "x,,,,,,nope,\n" * 5000, encoding="utf-8")
    with pytest.raises(OrderFileError) as err:
        list(iter_order_file(path))
    assert len(err.value.problems) == 1000 and err.value.total > 5000
    assert str(err.value).endswith(f"… and {err.value.total - 10} more")


def test_an_overlong_line_ends_the_file_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "1,ORD-1,A,DHL,S,D,1," + "7" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(OrderFileError) as err:
        list(iter_order_file(path))
    assert err.value.problems[0].line == 2 and "longer than" in err.value.problems[0].message


def test_each_listed_barcode_is_keyed_once_from_file_to_database(db, clock, monkeypatch) -> None:
    """The reader, the conflict check and the insert share the key kept on the PackBarcode: one parse per
    listed barcode (it was three), and the stored key is that one."""
    from station import barcodes

    parsed: list[str] = []
    real = barcodes.parse_scan

    def counting(raw: str, symbology: str | None = None) -> barcodes.ParsedCode:
        parsed.append(raw)
        return real(raw, symbology)

    monkeypatch.setattr(barcodes, "parse_scan", counting)  # what match_key calls, from every module
    specs = parse_orders_json(
        json.dumps(
            [
                {
                    "order_id": "7",
                    "ship_to": "Ship to",
                    "carrier": "DHL",
                    "lines": [{"sku": "A", "description": "Item", "quantity": 2, "barcodes": [WIDGET_EAN]}],
                }
            ]
        )
    )
    import_orders(db, specs, "S1", clock)
    assert parsed.count(WIDGET_EAN) == 1
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(OrderLine)) == 1
    assert specs[0].lines[0].barcodes[0].key == WIDGET_EAN.zfill(14)
