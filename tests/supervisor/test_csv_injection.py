"""The shift report CSV writes an order id such as `=HYPERLINK(...)` (order files come from outside) as text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station.clock import FrozenClock
from station.order_files import parse_orders_csv
from station.orders import import_orders
from ui.bootstrap import Station
from ui.supervisor.shift_view import ShiftView

ORDER = """order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,lot_tracked
"=HYPERLINK(""http://x"",""y"")",ORD-X1,Leeds,UPS,SKU-1,Notebook,2,5901230412357,no
"""


def test_shift_report_csv_neutralises_a_formula_order_id(
    station: Station, clock: FrozenClock, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_orders(station.db, parse_orders_csv(ORDER), station.station_id, clock)
    svc = station.service
    svc.set_packer("P1")
    svc.handle_scan("ORD-X1")
    assert svc.handle_scan("4006381333931").blocking  # an open incident: listed in the report
    view = ShiftView(station)  # the shift containing the clock's now, with the incident in it
    qtbot.addWidget(view)
    monkeypatch.setattr(view, "ask_export_path", lambda fmt: tmp_path / f"shift.{fmt}")
    path = view.export("csv")
    assert path is not None
    raw = path.read_text(encoding="utf-8")
    assert '''"'=HYPERLINK(""http://x"",""y"")"''' in raw
    cells = [cell for row in csv.reader(raw.splitlines()) for cell in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
