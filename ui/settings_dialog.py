"""Device settings: which scan sources run, the serial port and baud rate, the bench camera, sound; plus a
live scan test.

Saved in the station's settings file (sections "scanners", "camera" and "sound", written atomically by
`station.settings.Settings`). The dialog lists the serial ports present now (`hardware.ports`, which
uses `serial.tools.list_ports`) and can open the chosen port for a test: scans and state changes of
that test port, and any scan from the running sources while the dialog is open, are shown in the dialog
and are *not* judged against the order. "Save" applies the new sources at once, the camera options
with them (the camera is rebuilt with the new resolution, region, formats and dedupe window).

The camera box is `ui.camera_group.CameraGroup`; the printable command sheet is `ui.command_sheet`.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont
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
from station.printing.settings import PrintSettings
from station.settings import LanguageSettings, ScannerSettings, Settings, SoundSettings
from station.weighing import WeighingSettings
from ui.bench_scale import ScaleSettings, ScaleSpecError
from ui.camera_group import CameraGroup, wrap_layout
from ui.i18n import LANGUAGES, choose_language, translate
from ui.printing.settings_page import PrintersGroup
from ui.scale_group import ScaleGroup
from ui.scan_sources import CAMERA_SECTION, ScanSources, SourceSpecError, parse_spec
from ui.settings_access import authorize_settings, settings_directory
from ui.verdict_style import printable_code

logger = logging.getLogger(__name__)

BAUD_RATES = (9600, 19200, 38400, 57600, 115200)


class SettingsDialog(QDialog):
    """Edit scan sources and sound. Use `SettingsDialog.edit(parent, settings, sources)`; tests drive an
    instance directly (it is an ordinary non-modal widget until `exec()`)."""

    def __init__(
        self,
        settings: Settings,
        sources: ScanSources,
        parent: QWidget | None = None,
        running_scale_port: str | None = None,
    ) -> None:
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
        self.language_combo = QComboBox()  # the screens' language (ui.i18n), from the next start
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(choose_language(settings.read(LanguageSettings).code).code))
        )
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
        form.addRow("", wrap_layout(row))
        prow = QHBoxLayout()
        prow.addWidget(self.port_combo, 1)
        prow.addWidget(self.baud_combo)
        prow.addWidget(rescan)
        form.addRow("Serial port", wrap_layout(prow))
        brow = QHBoxLayout()
        brow.addWidget(add_serial)
        brow.addWidget(self.test_port_button)
        form.addRow("", wrap_layout(brow))
        srow = QHBoxLayout()
        srow.addWidget(self.spec_edit, 1)
        srow.addWidget(add_spec)
        form.addRow("Other source", wrap_layout(srow))
        form.addRow("Sound", self.mute_box)
        form.addRow(translate("Settings", "Language (from the next start)"), self.language_combo)
        self.camera_group = CameraGroup(settings.section(CAMERA_SECTION), self._running_camera())
        self.printers_group = PrintersGroup(settings.read(PrintSettings))  # ui.printing.settings_page
        self.scale_group = ScaleGroup(
            settings.read(ScaleSettings), running_scale_port, weighing=settings.read(WeighingSettings)
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.camera_group)
        layout.addWidget(self.printers_group)
        layout.addWidget(self.scale_group)
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
        scale = getattr(window, "scale", None)
        dialog = cls(settings, sources, window, scale.spec.port if scale is not None else None)
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
            if hasattr(window, "replace_scale"):
                window.replace_scale(dialog.scale_group.spec())
            window.sound.muted = dialog.mute_box.isChecked()
            if getattr(window, "printing", None) is not None:
                window.printing.update_settings(dialog.printers_group.values())
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
        try:
            scale = self.scale_group.values()
        except ScaleSpecError as exc:
            self.message.setText(f"Scale: {exc}")
            return
        self.settings.write(camera)
        self.settings.write(scale)
        self.settings.write(self.scale_group.weighing_values())
        self.settings.write(SoundSettings(muted=self.mute_box.isChecked()))
        self.settings.write(LanguageSettings(code=str(self.language_combo.currentData())))
        self.settings.write(self.printers_group.values())
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
        self.scale_group.stop_test()
        try:
            self.sources.bridge.scan_received.disconnect(self._on_scan_received)
        except (RuntimeError, TypeError):
            pass
