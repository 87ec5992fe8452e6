"""Device settings: which scan sources run, the serial port and baud rate, sound; plus a live scan test.

Saved in the station's settings file (sections "scanners" and "sound", written atomically by
`station.settings.Settings`). The dialog lists the serial ports present now (`hardware.ports`, which
uses `serial.tools.list_ports`) and can open the chosen port for a test: scans and state changes of
that test port, and any scan from the running sources while the dialog is open, are shown in the dialog
and are *not* judged against the order. "Save" applies the new sources at once.

Also here: `write_command_sheet()`, the printable sheet of command barcodes (CMD:SEAL / UNDO / CANCEL as
Code 128) so a packer can run the whole flow from the scanner alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRect, Qt, Slot
from PySide6.QtGui import QFont, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hardware.ports import list_serial_ports
from hardware.qt import ScannerBridge
from hardware.scanning import Scan
from station.settings import Settings
from ui.scan_sources import SETTINGS_SECTION, ScanSources, SourceSpecError, parse_spec

logger = logging.getLogger(__name__)

BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
COMMANDS = (("CMD:SEAL", "Seal the package"), ("CMD:UNDO", "Undo the last scan"),
            ("CMD:CANCEL", "Cancel the order"))


class SettingsDialog(QDialog):
    """Edit scan sources and sound. Use `SettingsDialog.edit(parent, settings, sources)`; tests drive an
    instance directly (it is an ordinary non-modal widget until `exec()`)."""

    def __init__(self, settings: Settings, sources: ScanSources, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PackGate — devices")
        self.settings = settings
        self.sources = sources
        self._test_bridge: ScannerBridge | None = None
        self._test_device: Any = None
        self.test_log: list[str] = []

        self.source_list = QListWidget()
        for spec in sources.specs:
            self.source_list.addItem(spec.text)
        self.port_combo = QComboBox()
        self.port_combo.setEditable(True)  # a port not listed (rfc2217://, a pty) can be typed
        self.refresh_ports()
        self.baud_combo = QComboBox()
        for b in BAUD_RATES:
            self.baud_combo.addItem(str(b), b)
        add_serial = QPushButton("Add serial scanner")
        add_wedge = QPushButton("Add keyboard wedge")
        remove = QPushButton("Remove selected")
        rescan = QPushButton("Refresh ports")
        self.test_port_button = QPushButton("Test this port")
        self.spec_edit = QLineEdit()
        self.spec_edit.setPlaceholderText("or a spec: file:codes.txt, camera:0, serial:COM3@115200")
        add_spec = QPushButton("Add")
        self.mute_box = QCheckBox("Mute verdict sounds")
        self.mute_box.setChecked(bool(settings.section("sound").get("muted", False)))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.test_label = QLabel("Scan something to test: the code appears here and is not counted.")
        self.test_label.setWordWrap(True)
        f = QFont(self.test_label.font())
        f.setPixelSize(20)
        self.test_label.setFont(f)

        form = QFormLayout()
        form.addRow("Scan sources", self.source_list)
        row = QHBoxLayout()
        row.addWidget(remove)
        row.addWidget(add_wedge)
        form.addRow("", _wrap(row))
        prow = QHBoxLayout()
        prow.addWidget(self.port_combo, 1)
        prow.addWidget(self.baud_combo)
        prow.addWidget(rescan)
        form.addRow("Serial port", _wrap(prow))
        brow = QHBoxLayout()
        brow.addWidget(add_serial)
        brow.addWidget(self.test_port_button)
        form.addRow("", _wrap(brow))
        srow = QHBoxLayout()
        srow.addWidget(self.spec_edit, 1)
        srow.addWidget(add_spec)
        form.addRow("Other source", _wrap(srow))
        form.addRow("Sound", self.mute_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        add_serial.clicked.connect(self.add_serial)
        add_wedge.clicked.connect(lambda: self.add_spec_text("wedge"))
        remove.clicked.connect(self.remove_selected)
        rescan.clicked.connect(self.refresh_ports)
        add_spec.clicked.connect(lambda: self.add_spec_text(self.spec_edit.text()))
        self.test_port_button.clicked.connect(self.test_port)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        sources.bridge.scan_received.connect(self._on_scan_received)
        self.finished.connect(self._on_finished)

    @classmethod
    def edit(cls, window: Any, settings: Settings, sources: ScanSources) -> bool:
        """Modal edit from the packer window; True when saved (sources already applied)."""
        dialog = cls(settings, sources, window)
        window.scan_interceptor = dialog.show_test_scan  # scans go to the test, not to the order
        try:
            saved = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            window.scan_interceptor = None
        if saved:
            window.replace_sources(dialog.specs())
            window.sound.muted = dialog.mute_box.isChecked()
        return saved

    # ------------------------------------------------------------------ editing
    def specs(self) -> list[Any]:
        return [parse_spec(self.source_list.item(i).text()) for i in range(self.source_list.count())]

    @Slot()
    def refresh_ports(self) -> None:
        current = self.port_combo.currentText()
        self.port_combo.clear()
        for port in list_serial_ports():
            self.port_combo.addItem(port.label, port.device)
        if not self.port_combo.count():
            self.port_combo.setPlaceholderText("no serial ports found: type a path")
        if current:
            self.port_combo.setEditText(current)

    def chosen_port(self) -> str:
        index = self.port_combo.currentIndex()
        if index >= 0 and self.port_combo.itemText(index) == self.port_combo.currentText():
            return str(self.port_combo.itemData(index))
        return self.port_combo.currentText().strip()

    @Slot()
    def add_serial(self) -> None:
        port = self.chosen_port()
        if not port:
            self.message.setText("Choose or type a serial port first.")
            return
        self.add_spec_text(f"serial:{port}@{self.baud_combo.currentData()}")

    def add_spec_text(self, text: str) -> bool:
        try:
            spec = parse_spec(text)
        except SourceSpecError as exc:
            self.message.setText(str(exc))
            return False
        existing = {self.source_list.item(i).text() for i in range(self.source_list.count())}
        if spec.text in existing:
            self.message.setText(f"{spec.text} is already in the list.")
            return False
        self.source_list.addItem(spec.text)
        self.message.setText("")
        return True

    @Slot()
    def remove_selected(self) -> None:
        for item in self.source_list.selectedItems():
            self.source_list.takeItem(self.source_list.row(item))

    @Slot()
    def save(self) -> None:
        try:
            specs = self.specs()
        except SourceSpecError as exc:
            self.message.setText(str(exc))
            return
        section = self.settings.section(SETTINGS_SECTION)
        section["sources"] = [s.text for s in specs]
        self.settings.set_section(SETTINGS_SECTION, section)
        sound = self.settings.section("sound")
        sound["muted"] = self.mute_box.isChecked()
        self.settings.set_section("sound", sound)
        try:
            self.settings.save()
        except OSError as exc:
            self.message.setText(f"Settings not saved: {exc}")
            return
        self.accept()

    # ------------------------------------------------------------------ test scans
    @Slot()
    def test_port(self) -> None:
        """Open the chosen port on its own reader for as long as the dialog is open."""
        from hardware.serial_scanner import SerialScanner

        self._stop_test()
        port = self.chosen_port()
        if not port:
            self.message.setText("Choose or type a serial port first.")
            return
        running = {getattr(d, "port", None) for d in self.sources.devices.values()}
        if port in running:
            self.message.setText(f"{port} is already in use by the station: scan now to test it.")
            return
        self._test_bridge = ScannerBridge(self)
        self._test_bridge.scan_received.connect(self._on_scan_received)
        self._test_bridge.state_changed.connect(self._on_test_state_changed)
        try:
            self._test_device = SerialScanner(port, self._test_bridge.listener, baudrate=int(self.baud_combo.currentData()))
            self._test_device.start()
        except ValueError as exc:
            self.message.setText(str(exc))
            self._test_device = None

    @Slot(str, str, str)
    def _on_test_state_changed(self, source: str, state: str, detail: str) -> None:
        self.message.setText(f"{source}: {state} ({detail})")

    @Slot(object)
    def _on_scan_received(self, scan: Scan) -> None:
        self.show_test_scan(scan)

    def show_test_scan(self, scan: Scan) -> None:
        sym = f" [{scan.symbology}]" if scan.symbology else ""
        text = f"{scan.source}: {scan.code.replace(chr(29), '<GS>')}{sym}"
        if not self.test_log or self.test_log[-1] != text:
            self.test_log.append(text)
        self.test_label.setText(f"Test scan OK — {text}")

    def _stop_test(self) -> None:
        if self._test_device is not None:
            self._test_device.stop()
            self._test_device = None

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self._stop_test()
        try:
            self.sources.bridge.scan_received.disconnect(self._on_scan_received)
        except (RuntimeError, TypeError):
            pass


def _wrap(layout: Any) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w


# ---------------------------------------------------------------------- command sheet
def _barcode_image(text: str) -> QImage:
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    pixels = barcode.to_image(scale=4, add_hrt=False, add_quiet_zones=True)
    import numpy as np

    arr = np.ascontiguousarray(np.asarray(pixels, dtype=np.uint8))
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def _paint_sheet(p: QPainter, width: int, height: int) -> None:
    title = QFont("Sans")
    title.setPixelSize(max(24, width // 25))
    title.setBold(True)
    label = QFont("Sans")
    label.setPixelSize(max(18, width // 40))
    p.fillRect(QRect(0, 0, width, height), Qt.GlobalColor.white)
    p.setFont(title)
    p.drawText(QRect(0, height // 30, width, height // 12), Qt.AlignmentFlag.AlignCenter, "PackGate command barcodes")
    slot = (height - height // 8) // len(COMMANDS)
    for i, (code, what) in enumerate(COMMANDS):
        top = height // 8 + i * slot
        img = _barcode_image(code)
        bw = int(width * 0.7)
        bh = int(slot * 0.5)
        p.drawImage(QRect((width - bw) // 2, top, bw, bh), img)
        p.setFont(label)
        p.drawText(QRect(0, top + bh + 8, width, slot // 5), Qt.AlignmentFlag.AlignCenter, f"{code}  —  {what}")


def write_command_sheet(path: Path) -> Path:
    """Save the command-barcode sheet as PNG (150 dpi A4) or PDF (by the file's suffix)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15))
        writer.setResolution(150)
        p = QPainter(writer)
        try:
            _paint_sheet(p, writer.width(), writer.height())
        finally:
            p.end()
    elif suffix == ".png":
        image = QImage(1240, 1754, QImage.Format.Format_RGB32)
        p = QPainter(image)
        try:
            _paint_sheet(p, image.width(), image.height())
        finally:
            p.end()
        if not image.save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
    else:
        raise ValueError(f"save the sheet as .png or .pdf, not {suffix or 'no extension'}")
    logger.info("command sheet saved", extra={"path": str(path)})
    return path
