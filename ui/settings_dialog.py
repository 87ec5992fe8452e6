"""Device settings: which scan sources run, the serial port and baud rate, the bench camera, sound; plus a
live scan test.

Saved in the station's settings file (sections "scanners", "camera" and "sound", written atomically by
`station.settings.Settings`). The dialog lists the serial ports present now (`hardware.ports`, which
uses `serial.tools.list_ports`) and can open the chosen port for a test: scans and state changes of
that test port, and any scan from the running sources while the dialog is open, are shown in the dialog
and are *not* judged against the order. "Save" applies the new sources at once, the camera options
with them (the camera is rebuilt with the new resolution, region, formats and dedupe window).

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
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hardware.ports import list_serial_ports
from hardware.qt import ScannerBridge
from hardware.scanning import Scan
from station.commands import Command
from station.settings import ScannerSettings, Settings, SoundSettings
from ui.scan_sources import CAMERA_SECTION, ScanSources, SourceSpecError, parse_spec
from ui.settings_access import authorize_settings, settings_directory
from ui.verdict_style import printable_code

logger = logging.getLogger(__name__)

BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
COMMANDS = (
    (Command.SEAL.barcode, "Seal the package"),
    (Command.UNDO.barcode, "Undo the last scan"),
    (Command.CANCEL.barcode, "Cancel the order"),
)


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
        self.mute_box.setChecked(settings.read(SoundSettings).muted)
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
        self.camera_group = CameraGroup(settings.section(CAMERA_SECTION), self._running_camera())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.camera_group)
        layout.addWidget(self.test_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        add_serial.clicked.connect(self.add_serial)
        add_wedge.clicked.connect(lambda: self.add_spec_text("wedge"))
        remove.clicked.connect(self.remove_selected)
        rescan.clicked.connect(self.refresh_ports)
        add_spec.clicked.connect(lambda: self.add_spec_text(self.spec_edit.text()))
        self.test_port_button.clicked.connect(self.test_port)
        self.camera_group.use_button.clicked.connect(self.use_camera)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        sources.bridge.scan_received.connect(self._on_scan_received)
        self.finished.connect(self._on_finished)

    @classmethod
    def edit(cls, window: Any, settings: Settings, sources: ScanSources) -> bool:
        """Modal edit from the packer window, after a supervisor or admin signed in; True when saved
        (sources already applied)."""
        user = authorize_settings(window)
        if user is False:
            return False
        dialog = cls(settings, sources, window)
        window.scan_interceptor = dialog.show_test_scan  # scans go to the test, not to the order
        saved = False
        try:
            saved = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            window.scan_interceptor = None
            if user is not None:
                directory = settings_directory(window)
                directory.record_event("settings.saved" if saved else "settings.closed", user.name)
                directory.record_logout(user, "done")
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

    def _running_camera(self) -> str | None:
        """The target of the camera source in use (e.g. from `--scanner camera:clip.mp4`), if any: the
        device field starts from it so saving does not silently switch to another camera."""
        return next((spec.target for spec in self.sources.specs if spec.kind == "camera"), None)

    def _camera_rows(self) -> list[int]:
        return [i for i in range(self.source_list.count()) if self.source_list.item(i).text().startswith("camera:")]

    @Slot()
    def use_camera(self) -> None:
        """Make the device field the (one) camera source in the list."""
        device = self.camera_group.device_edit.text().strip()
        if not device:
            self.message.setText("Type a camera device (0, 1, …), a video file or a stream URL first.")
            return
        for row in reversed(self._camera_rows()):
            self.source_list.takeItem(row)
        self.add_spec_text(f"camera:{device}")

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
        try:
            camera = self.camera_group.values()
        except ValueError as exc:
            self.message.setText(f"Camera: {exc}")
            return
        # The list's camera follows the device field, so editing the device changes the running camera.
        specs = [parse_spec(f"camera:{camera.device}") if s.kind == "camera" else s for s in specs]
        specs = list(dict.fromkeys(specs))
        for i, spec in enumerate(specs):
            if self.source_list.item(i).text() != spec.text:
                self.source_list.item(i).setText(spec.text)
        while self.source_list.count() > len(specs):
            self.source_list.takeItem(self.source_list.count() - 1)
        # `write` keeps keys we do not edit here (a newer version's, or hand-added ones).
        self.settings.write(ScannerSettings(sources=tuple(s.text for s in specs)))
        self.settings.write(camera)
        self.settings.write(SoundSettings(muted=self.mute_box.isChecked()))
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
            self._test_device = SerialScanner(
                port, self._test_bridge.listener, baudrate=int(self.baud_combo.currentData())
            )
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
        text = f"{scan.source}: {printable_code(scan.code)}{sym}"
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


class CameraGroup(QGroupBox):
    """The "Camera" box: device, resolution, frame rate, region of interest, dedupe window, frames needed and
    the enabled barcode formats. Starts from the saved section (read leniently, like the station does)."""

    def __init__(
        self, section: dict[str, Any], running_device: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Camera", parent)
        from hardware.decoding import FORMATS
        from ui.camera_settings import FORMAT_LABELS, MAX_DEDUPE_S, MAX_SIDE, STABLE_WINDOW, CameraSettings

        current = CameraSettings.from_section(section)
        self.device_edit = QLineEdit(running_device or current.device)
        self.device_edit.setPlaceholderText("0, 1, … or /path/clip.mp4 or rtsp://…")
        self.use_button = QPushButton("Use this camera")
        self.width_spin = self._side_spin(current.width, MAX_SIDE)
        self.height_spin = self._side_spin(current.height, MAX_SIDE)
        self.fps_spin = QSpinBox()
        self.fps_spin.setRange(0, 240)
        self.fps_spin.setSpecialValueText("driver default")  # shown at 0
        self.fps_spin.setValue(int(current.fps or 0))
        self.roi_box = QCheckBox("Only decode this region (x, y, width, height in pixels)")
        self.roi_spins = [QSpinBox() for _ in range(4)]
        for spin, value, low in zip(self.roi_spins, current.roi or (0, 0, 640, 480), (0, 0, 1, 1), strict=True):
            spin.setRange(low, MAX_SIDE)
            spin.setValue(value)
        self.roi_box.setChecked(current.roi is not None)
        self.roi_box.toggled.connect(self._on_roi_toggled)
        self._on_roi_toggled(self.roi_box.isChecked())
        self.dedupe_spin = QDoubleSpinBox()
        self.dedupe_spin.setRange(0.0, MAX_DEDUPE_S)
        self.dedupe_spin.setDecimals(1)
        self.dedupe_spin.setSingleStep(0.5)
        self.dedupe_spin.setSuffix(" s")
        self.dedupe_spin.setValue(current.dedupe_s)
        self.dedupe_spin.setToolTip(
            "How long an item must be out of view before showing it again counts a second unit."
        )
        self.seen_spin = QSpinBox()
        self.seen_spin.setRange(1, STABLE_WINDOW)
        self.seen_spin.setValue(current.seen_needed)
        self.seen_spin.setSuffix(f" of the last {STABLE_WINDOW} frames")
        self.format_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        names = list(FORMAT_LABELS) + [n for n in FORMATS if n not in FORMAT_LABELS]
        for i, name in enumerate(n for n in names if n in FORMATS):
            box = QCheckBox(FORMAT_LABELS.get(name, name))
            box.setChecked(name in current.formats)
            self.format_boxes[name] = box
            grid.addWidget(box, i // 3, i % 3)

        form = QFormLayout(self)
        drow = QHBoxLayout()
        drow.addWidget(self.device_edit, 1)
        drow.addWidget(self.use_button)
        form.addRow("Device", _wrap(drow))
        rrow = QHBoxLayout()
        rrow.addWidget(self.width_spin)
        rrow.addWidget(QLabel("×"))
        rrow.addWidget(self.height_spin)
        rrow.addWidget(QLabel("at"))
        rrow.addWidget(self.fps_spin)
        rrow.addWidget(QLabel("fps"))
        rrow.addStretch(1)
        form.addRow("Resolution", _wrap(rrow))
        form.addRow("", self.roi_box)
        roi_row = QHBoxLayout()
        for label, spin in zip(("x", "y", "w", "h"), self.roi_spins, strict=True):
            roi_row.addWidget(QLabel(label))
            roi_row.addWidget(spin)
        roi_row.addStretch(1)
        form.addRow("Region", _wrap(roi_row))
        form.addRow("Count again when out of view for", self.dedupe_spin)
        form.addRow("A code must be read in", self.seen_spin)
        form.addRow("Barcode formats", _wrap(grid))

    @staticmethod
    def _side_spin(value: int | None, maximum: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, maximum)
        spin.setSpecialValueText("default")  # 0: whatever the driver gives
        spin.setValue(value or 0)
        return spin

    @Slot(bool)
    def _on_roi_toggled(self, on: bool) -> None:
        for spin in self.roi_spins:
            spin.setEnabled(on)

    def values(self) -> Any:
        """The edited options as a `CameraSettings`; ValueError (a sentence) when they cannot be used."""
        from ui.camera_settings import CameraSettings

        formats = [name for name, box in self.format_boxes.items() if box.isChecked()]
        if not formats:
            raise ValueError("enable at least one barcode format")
        size = [self.width_spin.value(), self.height_spin.value()]
        if min(size) == 0 < max(size):
            raise ValueError("give both width and height, or neither (driver default)")
        return CameraSettings(
            device=self.device_edit.text().strip(),
            width=size[0] or None,
            height=size[1] or None,
            fps=float(self.fps_spin.value()) or None,
            roi=tuple(spin.value() for spin in self.roi_spins) if self.roi_box.isChecked() else None,
            dedupe_s=round(self.dedupe_spin.value(), 1),
            seen_needed=self.seen_spin.value(),
            formats=formats,
        )


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
