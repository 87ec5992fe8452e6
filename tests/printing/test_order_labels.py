"""The shipping label comes with the order: inline ZPL or a file beside the order file (JSON), a label_file
column (CSV); a label that is not what it says, too big or unreadable rejects the file with its place."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from rules.labels import MAX_LABEL_BYTES, LabelFormat
from station.db import Database
from station.order_files import OrderFileError, read_order_file
from station.orders import import_orders
from station.printing.jobs import PrintJobs
from tests.printing.conftest import LABEL_ZPL

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def order(order_id: str = "A-1", **extra: object) -> dict:
    return {
        "order_id": order_id,
        "ship_to": "Ada Lovelace, 1 Analytical St",
        "carrier": "DHL",
        "lines": [{"sku": "W-1", "description": "Widget", "quantity": 1, "barcodes": ["4006381333931"]}],
        **extra,
    }


def write_json(tmp_path: Path, *orders: dict) -> Path:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({"orders": list(orders)}))
    return path


def stored(db: Database, order_id: str) -> tuple[LabelFormat, bytes] | None:
    return PrintJobs(db, "S1").label(order_id)


def test_json_labels_inline_as_files_and_base64_are_stored_as_received(tmp_path: Path, db: Database) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "b.zpl").write_bytes(LABEL_ZPL)
    (tmp_path / "labels" / "c.pdf").write_bytes(PDF)
    path = write_json(
        tmp_path,
        order("A-1", label={"zpl": LABEL_ZPL.decode("latin-1")}),
        order("B-1", label={"zpl_file": "labels/b.zpl"}),
        order("C-1", label={"pdf_file": "labels/c.pdf"}),
        order("D-1", label={"pdf_base64": base64.b64encode(PDF).decode()}),
        order("E-1"),
    )
    import_orders(db, read_order_file(path), "S1")
    (tmp_path / "labels" / "b.zpl").unlink()  # the WMS may clean up: the station kept its copy
    assert stored(db, "A-1") == (LabelFormat.ZPL, LABEL_ZPL)
    assert stored(db, "B-1") == (LabelFormat.ZPL, LABEL_ZPL)
    assert stored(db, "C-1") == (LabelFormat.PDF, PDF)
    assert stored(db, "D-1") == (LabelFormat.PDF, PDF)
    assert stored(db, "E-1") is None


def test_a_csv_label_file_column(tmp_path: Path, db: Database) -> None:
    (tmp_path / "a.zpl").write_bytes(LABEL_ZPL)
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,label_file\n"
        "A-1,,Ada,DHL,W-1,Widget,1,4006381333931,a.zpl\n"
        "A-1,,Ada,DHL,G-1,Gadget,1,5901234123457,a.zpl\n"
        "B-1,,Bob,UPS,W-1,Widget,1,4006381333931,\n"
    )
    import_orders(db, read_order_file(path), "S1")
    assert stored(db, "A-1") == (LabelFormat.ZPL, LABEL_ZPL)
    assert stored(db, "B-1") is None


@pytest.mark.parametrize(
    ("label", "files", "expected"),
    [
        (
            {"pdf_file": "x.pdf"},
            {"x.pdf": b"just text"},
            "orders[0].label.pdf_file: 'x.pdf': not a PDF file (a PDF starts with %PDF-)",
        ),
        (
            {"zpl_file": "gone.zpl"},
            {},
            "orders[0].label.zpl_file: cannot read label file 'gone.zpl': No such file or directory",
        ),
        ({"zpl": "hello printer"}, {}, "orders[0].label.zpl: not a ZPL label: no ^XA ... ^XZ format in it"),
        (
            {"zpl": "^XA^FD\u20ac^FS^XZ"},
            {},
            "orders[0].label.zpl: character '\u20ac' cannot be sent in ZPL (Latin-1 only)",
        ),
        ({"zpl": "^XA\x1b^XZ"}, {}, "orders[0].label.zpl: the ZPL text holds control character 0x1B"),
        ({"pdf_base64": "not base64!"}, {}, "orders[0].label.pdf_base64: not base64 text"),
        (
            {"zpl": LABEL_ZPL.decode(), "pdf_file": "x.pdf"},
            {},
            "orders[0].label: must be an object with one of zpl, zpl_file, pdf_file, pdf_base64",
        ),
        ("^XA^XZ", {}, "orders[0].label: must be an object with one of zpl, zpl_file, pdf_file, pdf_base64"),
        (
            {"pdf_file": "big.pdf"},
            {"big.pdf": b"%PDF-" + b"0" * MAX_LABEL_BYTES},
            f"'big.pdf' is {MAX_LABEL_BYTES + 5} bytes, larger than the {MAX_LABEL_BYTES} allowed",
        ),
        ({"pdf_file": "dir.pdf"}, {"dir.pdf": None}, "'dir.pdf' is a directory, not a label file"),
    ],
)
def test_a_bad_label_rejects_the_file_with_its_place(
    tmp_path: Path, db: Database, label: object, files: dict, expected: str
) -> None:
    for name, data in files.items():
        if data is None:
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_bytes(data)
    path = write_json(tmp_path, order("A-1", label=label), order("B-1"))
    with pytest.raises(OrderFileError) as caught:
        read_order_file(path)
    assert expected in str(caught.value)
    assert caught.value.total == 1


def test_csv_rows_of_one_order_naming_different_labels_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    for name in ("a.zpl", "b.zpl"):
        (tmp_path / name).write_bytes(LABEL_ZPL)
    path.write_text(
        "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,label_file\n"
        "A-1,,Ada,DHL,W-1,Widget,1,4006381333931,a.zpl\n"
        "A-1,,Ada,DHL,G-1,Gadget,1,5901234123457,b.zpl\n"
    )
    with pytest.raises(OrderFileError, match=r"orders.csv:3: label_file: differs from line 2 of order A-1"):
        read_order_file(path)


def test_reimporting_an_order_without_its_label_drops_the_old_label(tmp_path: Path, db: Database) -> None:
    import_orders(db, read_order_file(write_json(tmp_path, order(label={"zpl": LABEL_ZPL.decode()}))), "S1")
    assert stored(db, "A-1") is not None
    import_orders(db, read_order_file(write_json(tmp_path, order())), "S1")
    assert stored(db, "A-1") is None
