"""`packgate --demo`: a fresh station with the sample orders and a clickable list of codes to try.

`open_demo_station()` bootstraps a new temporary data dir (or `--data-dir`), imports
`station/samples/orders.json` and `recalls.csv`, and returns the station. `DemoHelper` is a side panel
of buttons that "scan" codes through the same `ManualScanner` as the text box: the current order's
items, a wrong item, an expired and a recalled lot, a code with a bad check digit, and the command
barcodes — so a new user can try a full pack, a wrong item and a short seal in a minute.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from station.commands import COMMAND_PREFIX, Command
from station.order_files import read_order_file, read_recall_file
from station.orders import import_orders, import_recalls
from station.samples import SAMPLES_DIR
from station.users import DEMO_SUPERVISOR
from ui.bootstrap import Station, bootstrap
from ui.verdict_style import printable_code

logger = logging.getLogger(__name__)

DEMO_STATION = "DEMO-1"
SHOWCASE_ORDERS = ("10023", "10026", "10028")  # small set with lots, a recall and serials to try


def open_demo_station(
    data_dir: str | Path | None = None, station_id: str | None = None, clock: Any = None
) -> tuple[Station, Path | None]:
    """Bootstrap the demo station; returns it and the temp dir we created (to delete at exit), if any."""
    created: Path | None = None
    if not data_dir:
        created = Path(tempfile.mkdtemp(prefix="packgate-demo-"))
        data_dir = created
    station = bootstrap(data_dir, station_id or DEMO_STATION, clock)
    specs = read_order_file(SAMPLES_DIR / "orders.json")
    result = import_orders(station.db, specs, station.station_id, station.clock, source="demo samples")
    added = import_recalls(
        station.db,
        read_recall_file(SAMPLES_DIR / "recalls.csv"),
        station.station_id,
        station.clock,
        source="demo samples",
    )
    from station.items import import_items, parse_items_file
    from station.weighing import WeighingSettings

    import_items(
        station.db,
        parse_items_file(SAMPLES_DIR / "items.csv"),
        station.station_id,
        station.clock,
        source="demo samples",
    )
    if not station.settings.section(WeighingSettings.SECTION):  # the demo's weighing: a carton list to try
        station.settings.write(WeighingSettings(default_tare_g=180.0, cartons={"BOX-S": 120.0, "BOX-L": 390.0}))
        station.settings.save()
    station.service.reload()
    logger.info(
        "demo station ready", extra={"data_dir": str(station.paths.root), "orders": result.imported, "recalls": added}
    )
    return station, created


@dataclass(frozen=True)
class DemoCode:
    label: str
    code: str


def _unit_barcode(line: dict[str, Any]) -> str | None:
    for bc in line.get("barcodes", []):
        if isinstance(bc, str):
            return bc
    return None


def _item_scan(line: dict[str, Any]) -> str | None:
    """What to scan for one unit of a line: a lot- or expiry-tracked item by its GS1 DataMatrix label with
    an in-date lot (its plain barcode would only ask for that label), any other by its plain barcode."""
    code = _unit_barcode(line)
    if code and code.isdigit() and (line.get("lot_tracked") or line.get("expiry_tracked")):
        return f"]d201{code.zfill(14)}17451231" + "10DEMO45"
    return code


class DemoCodes:
    """The sample orders and demo scans, arranged as 'what could I scan now?'."""

    def __init__(self, samples: Path = SAMPLES_DIR) -> None:
        self.orders = {o["order_id"]: o for o in json.loads((samples / "orders.json").read_text("utf-8"))["orders"]}
        self.scans = json.loads((samples / "demo_scans.json").read_text("utf-8"))["scans"]

    def order_codes(self) -> list[DemoCode]:
        out = []
        for oid in SHOWCASE_ORDERS:
            order = self.orders.get(oid)
            if order:
                units = sum(ln["quantity"] for ln in order["lines"])
                out.append(
                    DemoCode(f"Order {oid} ({len(order['lines'])} lines, {units} units)", order["order_barcode"])
                )
        tote = next((o for o in self.orders.values() if o.get("tote")), None)
        if tote is not None:
            out.append(DemoCode(f"Tote {tote['tote']} (order {tote['order_id']})", tote["tote"]))
        return out

    def item_codes(self, order_id: str | None) -> list[DemoCode]:
        order = self.orders.get(order_id or "")
        if not order:
            return []
        out = []
        for line in order["lines"]:
            code = _item_scan(line)
            if code:
                out.append(DemoCode(f"{line['sku']} {line['description']} (×{line['quantity']})", code))
            plain = _unit_barcode(line)
            if plain and plain != code:
                out.append(DemoCode(f"{line['sku']}: its plain barcode (asks for the lot label)", plain))
        return out

    def mistake_codes(self, order_id: str | None) -> list[DemoCode]:
        order = self.orders.get(order_id or "")
        skus = {ln["sku"] for ln in order["lines"]} if order else set()
        out = []
        # A wrong item: the first unit barcode of an item that is on no line of this order.
        for other in self.orders.values():
            for line in other["lines"]:
                code = _unit_barcode(line)
                if line["sku"] not in skus and code:
                    out.append(DemoCode(f"Wrong item: {line['sku']} {line['description']}", code))
                    break
            if out:
                break
        for scan in self.scans:
            sku = scan["expect"].split(":")[0].strip()
            if scan["scan"].startswith(COMMAND_PREFIX) or scan["label"] in ("in-date lot", "case pack of 6"):
                continue
            if sku.startswith(("HLT", "OFF", "TOY", "KIT", "GRD")) and sku not in skus:
                continue  # needs another order to make its point
            out.append(DemoCode(scan["label"].capitalize(), scan["scan"]))
        return out

    @staticmethod
    def command_codes() -> list[DemoCode]:
        words = {Command.SEAL: "Seal", Command.UNDO: "Undo", Command.CANCEL: "Cancel", Command.REPRINT: "Reprint"}
        return [DemoCode(f"{word} ({command.barcode})", command.barcode) for command, word in words.items()]


class DemoHelper(QScrollArea):
    """'Next demo code' buttons; each click scans its code through the manual scanner."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.setObjectName("demoHelper")
        self.window_ = window
        self.codes = DemoCodes()
        self.setWidgetResizable(True)
        self.buttons: dict[str, QPushButton] = {}
        self._extras: list[QWidget] = []
        self._order_id: str | None = "?"
        window.verdict_shown.connect(self._on_verdict_shown)
        self._rebuild()

    def _rebuild(self) -> None:
        order = self.window_.service.order
        order_id = order.order_id if order is not None else None
        if order_id == self._order_id:
            return
        self._order_id = order_id
        old = self.takeWidget()
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel("Demo: click a code to scan it")
        f = QFont(title.font())
        f.setPixelSize(18)
        f.setBold(True)
        title.setFont(f)
        layout.addWidget(title)
        for extra in self._extras:  # moved from the old body before it goes
            layout.addWidget(extra)
        self.buttons = {}
        groups = [("Orders", self.codes.order_codes())]
        if order_id:
            groups += [
                (f"Items of order {order_id}", self.codes.item_codes(order_id)),
                ("Mistakes to try", self.codes.mistake_codes(order_id)),
                ("Commands", self.codes.command_codes()),
                (
                    f"Supervisor (PIN {DEMO_SUPERVISOR[3]})",
                    [DemoCode(f"Badge of {DEMO_SUPERVISOR[1]} ({DEMO_SUPERVISOR[2]})", DEMO_SUPERVISOR[2])],
                ),
            ]
        for name, codes in groups:
            box = QGroupBox(name)
            bl = QVBoxLayout(box)
            bl.setSpacing(2)
            for demo in codes:
                button = QPushButton(demo.label)
                button.setToolTip(printable_code(demo.code))
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep focus in the code box
                button.clicked.connect(lambda _=False, c=demo.code: self.scan(c))
                bl.addWidget(button)
                self.buttons[demo.label] = button
            layout.addWidget(box)
        layout.addStretch(1)
        self.setWidget(body)
        if old is not None:
            old.deleteLater()

    def add_extra(self, widget: QWidget) -> None:
        """A panel of its own (the demo scale) at the top of the scrolled codes, kept across orders. Inside
        the scroll, not beside it: at 1280x800 the side column has about 300 px while a package is blocked,
        and the open incidents box needs 171 of them (a second demo box beside this one squeezed it until its
        words overlapped)."""
        self._extras.append(widget)
        self._order_id = "?"  # rebuild with it
        self._rebuild()

    def scan(self, code: str) -> None:
        self.window_.sources.manual.submit(code)

    @Slot(object)
    def _on_verdict_shown(self, _style: object) -> None:
        self._rebuild()
