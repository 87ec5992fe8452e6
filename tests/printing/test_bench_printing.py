"""The packer screen with printing: the bench's print panel (words, icon, colour) while the label printer
is off and once it is back, the Reprint button, a label-less order, and the settings dialog's printers
(the CUPS queue list, a test page through the real cupsd, a test page on a printer that is off)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from rules.labels import LabelFormat
from station.clock import SystemClock
from station.order_files.specs import LabelSpec
from station.orders import import_orders
from station.printing.jobs import PrintJobs
from station.printing.settings import PrintSettings, parse_printer_spec
from station.settings import Settings
from tests.printing.conftest import LABEL_ZPL, pdf_text
from tests.printing.cups_server import PDF_QUEUE, CupsServer
from tests.printing.raw_receiver import RawReceiver
from tests.station.conftest import GADGET_EAN, ORDERS, OTHER_UPC, PILLS_GTIN, WIDGET_EAN
from ui.app import build_window
from ui.bootstrap import Station
from ui.demo import open_demo_station
from ui.packer_window import PackerWindow
from ui.settings_dialog import SettingsDialog

FULL = [WIDGET_EAN] * 2 + [GADGET_EAN] * 12 + [PILLS_GTIN] * 2


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st, _ = open_demo_station(tmp_path / "data", "T1", clock=SystemClock())
    import_orders(st.db, [replace(ORDERS[0], label=LabelSpec(LabelFormat.ZPL, LABEL_ZPL)), ORDERS[1]], "T1", st.clock)
    yield st
    st.close()


def open_window(qtbot, station: Station, settings: PrintSettings) -> PackerWindow:
    window = build_window(station, [], packer="P1", muted=True, printing=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def scan(qtbot, window: PackerWindow, code: str):
    with qtbot.waitSignal(window.verdict_shown, timeout=3000) as blocker:
        window.sources.manual.submit(code)
    return blocker.args[0]


def close(window: PackerWindow) -> None:
    window.close()
    assert window.printing.wait_stopped(45)


def panel_of(window: PackerWindow):
    from ui.printing.panel import PrintPanel

    return window.findChild(PrintPanel)


def test_the_panel_says_waiting_while_the_label_printer_is_off_then_printed_and_reprint_prints_again(
    qtbot, station: Station, receiver: RawReceiver
) -> None:
    receiver.close()
    settings = PrintSettings(printers=(parse_printer_spec("zebra", f"tcp:{receiver.address}"),), label_printer="zebra")
    window = open_window(qtbot, station, settings)
    try:
        for code in ["ORD-10001", *FULL]:
            scan(qtbot, window, code)
        assert scan(qtbot, window, "CMD:SEAL").headline == "SEALED"  # at once: no printer is waited for
        panel = panel_of(window)
        waiting = "WAITING: Shipping label for order 10001: waiting, printer not reachable (off, unplugged or off the network)"
        qtbot.waitUntil(lambda: any(t.startswith(waiting) for t in panel.texts()), timeout=15000)
        icon, word, text = next(row for row in panel.rows if row[2].text().startswith("Shipping label"))
        assert (icon.kind, icon.colour.name(), word.text()) == ("hourglass", "#9a6700", "WAITING")  # shape, amber, word
        assert "#9a6700" in word.styleSheet() and "#9a6700" in text.styleSheet()
        assert icon.isVisible() and word.isVisible() and text.isVisible()
        # No slip printer set: said in words, not an exception.
        assert any("Packing slip for order 10001: not printed, no printer is set for it" in t for t in panel.texts())
        receiver.open()
        qtbot.waitUntil(lambda: "PRINTED: Shipping label for order 10001: printed" in panel.texts(), timeout=20000)
        assert receiver.jobs == [LABEL_ZPL]
        qtbot.mouseClick(panel.reprint_button, Qt.MouseButton.LeftButton)
        assert window.verdict_panel.headline.text() == "REPRINTING"
        receiver.wait_for_jobs(2)
        assert receiver.jobs == [LABEL_ZPL, LABEL_ZPL]
    finally:
        close(window)


def test_an_order_without_a_label_prints_the_slip_alone_and_the_screen_says_so(
    qtbot, station: Station, cups: CupsServer, receiver: RawReceiver
) -> None:
    settings = PrintSettings(
        printers=(
            parse_printer_spec("office", f"cups:{PDF_QUEUE}@{cups.server}"),
            parse_printer_spec("zebra", f"tcp:{receiver.address}"),
        ),
        slip_printer="office",
        label_printer="zebra",
    )
    window = open_window(qtbot, station, settings)
    try:
        for code in ["ORD-20002", OTHER_UPC]:
            scan(qtbot, window, code)
        assert scan(qtbot, window, "CMD:SEAL").headline == "SEALED"
        panel = panel_of(window)
        qtbot.waitUntil(lambda: "PRINTED: Packing slip for order 20002: printed" in panel.texts(), timeout=30000)
        assert "NOTE: Order 20002 came without a shipping label: packing slip only" in panel.texts()
    finally:
        close(window)
    assert "Packing slip - order 20002" in pdf_text(cups.wait_for_pdfs(1)[0])
    assert receiver.jobs == []
    assert [j.document.value for j in PrintJobs(station.db, "T1").jobs()] == ["packing_slip"]


def test_without_printers_the_panel_says_printing_is_not_set_up(qtbot, station: Station) -> None:
    window = open_window(qtbot, station, PrintSettings())
    try:
        for code in ["ORD-10001", *FULL, "CMD:SEAL"]:
            scan(qtbot, window, code)
        panel = panel_of(window)
        qtbot.waitUntil(lambda: panel.isVisible(), timeout=10000)
        assert panel.texts()[0].startswith("NOTE: Printing is not set up")
    finally:
        close(window)


def test_the_settings_dialog_lists_the_cups_queues_prints_a_test_page_and_saves_the_printers(
    qtbot, station: Station, cups: CupsServer, receiver: RawReceiver
) -> None:
    window = open_window(qtbot, station, PrintSettings())
    try:
        dialog = SettingsDialog(window.station.settings, window.sources, window)
        qtbot.addWidget(dialog)
        group = dialog.printers_group
        group.target_combo.setEditText(f"@{cups.server}")
        group.queues_button.click()
        qtbot.waitUntil(lambda: group.target_combo.count() == 1, timeout=15000)
        assert group.target_combo.itemText(0) == f"{PDF_QUEUE}@{cups.server}"
        group.name_edit.setText("office")
        assert group.add_printer()
        assert group.slip_combo.currentData() == "office"  # the first PDF printer takes the slips
        group.printer_list.setCurrentRow(0)
        group.test_button.click()
        qtbot.waitUntil(lambda: group.message.text().startswith("Test page sent to office"), timeout=20000)
        assert "PackGate test page" in pdf_text(cups.wait_for_pdfs(1)[0])
        # A label printer that is off: the test says so in words.
        receiver.close()
        group.kind_combo.setCurrentIndex(group.kind_combo.findData("tcp"))
        group.target_combo.setEditText(receiver.address)
        group.name_edit.setText("zebra")
        group.status_box.setChecked(True)
        assert group.add_printer()
        assert group.printer_list.item(1).text() == f"zebra: tcp:{receiver.address} (ZPL, asks ~HS)"
        group.printer_list.setCurrentRow(1)
        group.test_button.click()
        qtbot.waitUntil(lambda: group.message.text().startswith("Test page not printed on zebra"), timeout=20000)
        assert "printer not reachable" in group.message.text()
        # A bad entry is refused with the reason, nothing added.
        group.target_combo.setEditText("host name with spaces")
        assert not group.add_printer()
        assert group.message.text().startswith("Printer not added:")
        assert group.printer_list.count() == 2
        dialog.save()
    finally:
        close(window)
    saved = Settings.load(station.settings.path).read(PrintSettings)
    assert [p.describe() for p in saved.printers] == [f"cups:{PDF_QUEUE}@{cups.server}", f"tcp:{receiver.address}"]
    assert (saved.slip_printer, saved.label_printer) == ("office", "zebra")
    assert [p.status_check for p in saved.printers] == [False, True]
