"""What the clearing dialog tells the supervisor, read as a person reads it (the labels' rendered text).

Each incident kind is made through the station service on a bench whose orders share a GTIN (orders A
and B both list the paint set, under different SKUs and descriptions), then opened in the real
ClearanceDialog. The dialog must name the line of the incident's own order (or say the code belongs to
none), keep GS1's group separator visible as <GS>, and say why in words, not the stored detail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from station.clock import FrozenClock
from station.order_files import parse_orders_csv, parse_recalls_csv
from station.orders import import_orders, import_recalls
from station.users import UserDirectory
from ui.bootstrap import Station, bootstrap
from ui.supervisor.clearing import ClearanceDialog

GS = "\x1d"
PAINT = "5901230413194"  # on order A as TOY-12 and on order B as TOY-24
THERMO = "05901230412708"  # B's thermometer, GS1-labelled (lot, serial, expiry)
NOTEBOOK = "5901230412357"  # order C only
ORDERS_CSV = f"""order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,lot_tracked
A,ORD-A,"Ann Archer, Leeds",UPS,TOY-12,"Watercolour paint set, 12 colours",1,{PAINT},no
B,ORD-B,"Bob Baker, York",UPS,TOY-24,"Watercolour paint set, 24 colours",1,{PAINT},no
B,ORD-B,"Bob Baker, York",UPS,HLT-3001,Digital thermometer,2,{THERMO},no
C,ORD-C,"Cy Cole, Hull",UPS,OFF-2001,A5 dotted notebook,1,{NOTEBOOK},no
"""
RECALLS_CSV = f"gtin,lot,serial,reason\n{THERMO},LBAD,,supplier recall R-77: faulty sensor\n"
SERIAL_LABEL = f"01{THERMO}10L1{GS}21S1"  # lot L1, then GS, then serial S1


@pytest.fixture
def station(tmp_path: Path, clock: FrozenClock) -> Iterator[Station]:
    """Order A is imported first, so a look-up by GTIN alone would find A's paint set first."""
    st = bootstrap(tmp_path / "data", "BENCH-07", clock)
    import_orders(st.db, parse_orders_csv(ORDERS_CSV), st.station_id, clock)
    import_recalls(st.db, parse_recalls_csv(RECALLS_CSV), st.station_id, clock)
    st.service.set_packer("P1")
    assert st.service.load_order("ORD-B").kind.value == "order_loaded"
    yield st
    st.close()


def seen(label: QLabel) -> str:
    """The text a person sees in a label (rich text rendered, tags gone, entities resolved)."""
    doc = QTextDocument()
    if label.textFormat().name == "PlainText":
        return label.text()
    doc.setHtml(label.text())
    return doc.toPlainText().replace("\u00a0", " ")


# (scans on order B, kind, what "Scanned" shows, what "Why" shows)
CASES = [
    (
        [PAINT, PAINT],
        "over_scan",
        f"{PAINT}  — Watercolour paint set, 24 colours, SKU TOY-24 of order B",
        "2 scanned, 1 ordered",
    ),
    (
        [NOTEBOOK],
        "wrong_item",
        f"{NOTEBOOK}  — belongs to no line of order B",
        "Not on order B; another order at this station lists it",
    ),
    (
        [SERIAL_LABEL, SERIAL_LABEL],
        "duplicate_serial",
        f"01{THERMO}10L1<GS>21S1  — Digital thermometer, SKU HLT-3001 of order B",
        "Serial S1 was already packed in this order",
    ),
    (
        [f"01{THERMO}1726010310L1"],
        "expired",
        f"01{THERMO}1726010310L1  — Digital thermometer, SKU HLT-3001 of order B",
        "Expired on 2026-01-03",
    ),
    (
        [f"01{THERMO}10LBAD"],
        "recalled",
        f"01{THERMO}10LBAD  — Digital thermometer, SKU HLT-3001 of order B",
        "Recalled: supplier recall R-77: faulty sensor",
    ),
    (
        ["4006381333931"],
        "unknown_code",
        "4006381333931  — belongs to no line of order B",
        "Not on order B; no order at this station lists it",
    ),
    (["5901230413195"], "invalid_code", "5901230413195  — belongs to no line of order B", "The barcode is not valid: "),
    (["CMD:SEAL"], "short", "–", "3 units missing: TOY-24 ×1, HLT-3001 ×2"),
]


@pytest.mark.parametrize("scans,kind,scanned,why", CASES, ids=[c[1] for c in CASES])
def test_the_dialog_names_this_orders_line_and_says_why_in_words(
    station: Station, directory: UserDirectory, qtbot: QtBot, scans, kind, scanned, why
) -> None:
    for code in scans:
        verdict = station.service.handle_scan(code)
    assert verdict.kind.value == kind and verdict.blocking
    (incident,) = station.service.open_incidents()
    sam = directory.authenticate_badge("BADGE-S1", "246802")
    dialog = ClearanceDialog(station, sam, incident)
    qtbot.addWidget(dialog)
    assert seen(dialog.facts["Scanned"]) == scanned
    assert seen(dialog.facts["Why"]).startswith(why)
    if kind == "over_scan":
        assert "12 colours" not in seen(dialog.facts["Scanned"])  # order A's item is not this package's


def test_markup_in_a_scanned_code_is_shown_not_rendered(
    station: Station, directory: UserDirectory, qtbot: QtBot
) -> None:
    station.service.handle_scan("<i>X</i>&amp;")
    (incident,) = station.service.open_incidents()
    dialog = ClearanceDialog(station, directory.authenticate_badge("BADGE-S1", "246802"), incident)
    qtbot.addWidget(dialog)
    assert seen(dialog.facts["Scanned"]).startswith("<i>X</i>&amp;")
