"""`packgate orders import` of an order whose codes clash with stored orders: one line naming both orders,
a non-zero exit, and nothing imported (before: a SQLAlchemy traceback for a reused order barcode)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.samples import SAMPLES_DIR
from ui.cli import main

HEADER = "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys) -> list[str]:
    args = ["--data-dir", str(tmp_path / "data"), "--station", "S9"]
    assert run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.csv"), *args)[0] == 0
    return args


def order_ids(capsys, data: list[str]) -> set[str]:
    return {o["order_id"] for o in json.loads(run(capsys, "orders", "list", "--json", *data)[1])}


def test_a_reused_order_barcode_is_one_line_naming_both_orders(capsys, data, tmp_path) -> None:
    new = tmp_path / "new.csv"
    new.write_text(
        HEADER + "9001,ORD-9001,Ann,DHL,A,Apple,1,4006381333931\n9002,ORD-10023,Bob,DHL,B,Banana,1,4006381333931\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "orders", "import", str(new), *data)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("packgate: new.csv rejected, nothing imported:")
    assert "order 9002" in lines[0] and "order 10023" in lines[0] and "'ORD-10023'" in lines[0]
    assert "Traceback" not in err and not {"9001", "9002"} & order_ids(capsys, data)


def test_an_order_barcode_that_is_another_orders_item_is_refused(capsys, data, tmp_path) -> None:
    new = tmp_path / "new.json"
    new.write_text(
        json.dumps(
            {
                "orders": [
                    {
                        "order_id": "9003",
                        "order_barcode": "5901230412357",
                        "ship_to": "C",
                        "carrier": "DHL",
                        "lines": [{"sku": "A", "description": "Apple", "quantity": 1, "barcodes": ["4006381333931"]}],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "orders", "import", str(new), *data)
    assert code == 2
    assert "order 9003: order barcode '5901230412357' is already the item code (line OFF-2001) of order 10023" in err
    assert "9003" not in order_ids(capsys, data)


def test_a_tote_held_by_an_unsealed_order_is_refused(capsys, data, tmp_path) -> None:
    new = tmp_path / "tote.csv"
    new.write_text(
        "order_id,order_barcode,tote,ship_to,carrier,sku,description,quantity,barcodes\n"
        "9004,ORD-9004,T-01,Ann,DHL,A,Apple,1,4006381333931\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "orders", "import", str(new), *data)
    assert code == 2 and "tote 'T-01' is already the tote of order 10027" in err and "until that order" in err
