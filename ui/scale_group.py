"""The scale's box in the settings dialog: its serial port (the ports present now, or typed), baud rate and
protocol, and "Test this scale", which opens the port on its own reader and shows the live weight (and any
problem the scale reports) for as long as the dialog is open; and the site's weighing rules (tolerance,
default carton tare, products without a weight, how long to wait for a steady weight). Saved as the settings
sections "scale" and "weighing"; the packer screen swaps to the saved scale at once."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from hardware.ports import list_serial_ports
from hardware.scale import SerialScale
from hardware.scale_protocols import ScaleProtocol, ScaleReading
from hardware.scale_qt import ScaleBridge
from station.weighing import MAX_WEIGHT_G, UnknownWeight, WeighingSettings
from ui.bench_scale import ScaleSettings, ScaleSpec, ScaleSpecError, parse_scale_spec
from ui.scale_words import grams, reading_problem

logger = logging.getLogger(__name__)

BAUD_RATES = (2400, 4800, 9600, 19200, 38400)
PROTOCOL_NAMES = {
    ScaleProtocol.MTSICS: "Mettler Toledo MT-SICS (SI)",
    ScaleProtocol.SMA: "SMA scale protocol (W)",
    ScaleProtocol.CONTINUOUS: "Continuous output (ST,GS / US)",
}
NO_SCALE = "(no scale at this bench)"


class ScaleGroup(QGroupBox):
    def __init__(
        self,
        saved: ScaleSettings,
        running_port: str | None = None,
        parent: QWidget | None = None,
        weighing: WeighingSettings | None = None,
    ) -> None:
        super().__init__("Scale (weight check at seal)", parent)
        self.running_port = running_port
        self.port_combo = QComboBox()
        self.port_combo.setEditable(True)
        self.baud_combo = QComboBox()
        for baud in BAUD_RATES:
            self.baud_combo.addItem(str(baud), baud)
        self.protocol_combo = QComboBox()
        for protocol, name in PROTOCOL_NAMES.items():
            self.protocol_combo.addItem(name, protocol)
        self.test_button = QPushButton("Test this scale")
        self.refresh_button = QPushButton("Refresh ports")
        self.live_label = QLabel("")
        self.live_label.setWordWrap(True)
        form = QFormLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.port_combo, 1)
        row.addWidget(self.baud_combo)
        row.addWidget(self.refresh_button)
        holder = QWidget()
        holder.setLayout(row)
        form.addRow("Port", holder)
        form.addRow("Protocol", self.protocol_combo)
        form.addRow(self.test_button, self.live_label)
        self.weighing = weighing or WeighingSettings()
        self.tolerance_g = _spin(self.weighing.tolerance_g, 0, MAX_WEIGHT_G, " g")
        self.tolerance_pct = _spin(self.weighing.tolerance_pct, 0, 100, " %")
        self.tare_g = _spin(self.weighing.default_tare_g, 0, MAX_WEIGHT_G, " g")
        self.settle_s = _spin(self.weighing.settle_timeout_s, 0.5, 60, " s")
        self.unknown_combo = QComboBox()
        self.unknown_combo.addItem("seal with a note (checks it is not too light)", UnknownWeight.NOTE)
        self.unknown_combo.addItem("block for a supervisor", UnknownWeight.BLOCK)
        self.unknown_combo.setCurrentIndex(self.unknown_combo.findData(self.weighing.unknown_weight))
        tolerance = QHBoxLayout()
        tolerance.addWidget(self.tolerance_g)
        tolerance.addWidget(QLabel("plus"))
        tolerance.addWidget(self.tolerance_pct)
        tolerance.addWidget(QLabel("of the expected weight"))
        holder = QWidget()
        holder.setLayout(tolerance)
        form.addRow("Tolerance", holder)
        form.addRow("Carton tare (no carton scanned)", self.tare_g)
        form.addRow("Products without a weight", self.unknown_combo)
        form.addRow("Wait for a steady weight", self.settle_s)
        self.refresh_ports()
        self._show_saved(saved)
        self.test_readings: list[ScaleReading] = []
        self._bridge: ScaleBridge | None = None
        self._device: SerialScale | None = None
        self.test_button.clicked.connect(self.test_scale)
        self.refresh_button.clicked.connect(self.refresh_ports)

    def _show_saved(self, saved: ScaleSettings) -> None:
        spec = saved.parsed()
        self.baud_combo.setCurrentIndex(self.baud_combo.findData(9600))
        if spec is None or spec.kind != "serial":
            self.port_combo.setCurrentText(NO_SCALE if spec is None else spec.text)
            return
        self.port_combo.setCurrentText(spec.port)
        index = self.baud_combo.findData(spec.baudrate)
        if index < 0:
            self.baud_combo.addItem(str(spec.baudrate), spec.baudrate)
            index = self.baud_combo.count() - 1
        self.baud_combo.setCurrentIndex(index)
        self.protocol_combo.setCurrentIndex(self.protocol_combo.findData(spec.protocol))

    @Slot()
    def refresh_ports(self) -> None:
        current = self.port_combo.currentText()
        self.port_combo.clear()
        self.port_combo.addItem(NO_SCALE, "")
        for port in list_serial_ports():
            self.port_combo.addItem(port.label, port.device)
        self.port_combo.setCurrentText(current or NO_SCALE)

    def chosen_port(self) -> str:
        index = self.port_combo.currentIndex()
        text = self.port_combo.currentText().strip()
        if index >= 0 and self.port_combo.itemText(index) == text:
            data = self.port_combo.itemData(index)
            return str(data) if data is not None else text
        return "" if text == NO_SCALE else text

    def spec(self) -> ScaleSpec | None:
        """What the fields say (None: no scale); raises `ScaleSpecError` for a port that cannot be used."""
        port = self.chosen_port()
        if not port:
            return None
        if port.lower() in ("sim", "simulated"):
            return ScaleSpec("sim")
        protocol = self.protocol_combo.currentData()
        return parse_scale_spec(f"serial:{port}@{self.baud_combo.currentData()}:{ScaleProtocol(protocol).value}")

    def values(self) -> ScaleSettings:
        spec = self.spec()
        return ScaleSettings(spec=spec.text if spec is not None else "")

    def weighing_values(self) -> WeighingSettings:
        """The weighing rules as the fields say (the carton list, edited in the file, is kept)."""
        return WeighingSettings(
            tolerance_g=self.tolerance_g.value(),
            tolerance_pct=self.tolerance_pct.value(),
            default_tare_g=self.tare_g.value(),
            unknown_weight=UnknownWeight(self.unknown_combo.currentData()),
            settle_timeout_s=self.settle_s.value(),
            cartons=dict(self.weighing.cartons),
        )

    @Slot()
    def test_scale(self) -> None:
        """Read the chosen scale on its own thread and show its live weight until the dialog closes."""
        self.stop_test()
        try:
            spec = self.spec()
        except ScaleSpecError as exc:
            self.live_label.setText(str(exc))
            return
        if spec is None or spec.kind != "serial":
            self.live_label.setText("Choose or type the scale's serial port first.")
            return
        if spec.port == self.running_port:
            self.live_label.setText(f"{spec.port} is the bench's scale: its live weight is on the packer screen.")
            return
        self._bridge = ScaleBridge(self)
        self._bridge.reading_changed.connect(self._on_reading)
        self._bridge.state_changed.connect(self._on_state)
        self._device = SerialScale(spec.port, self._bridge.listener, spec.protocol, spec.baudrate)
        self.live_label.setText(f"Opening {spec.port}…")
        self._device.start()

    @Slot(object)
    def _on_reading(self, reading: ScaleReading) -> None:
        self.test_readings.append(reading)
        if reading.grams is not None:
            self.live_label.setText(f"{grams(reading.grams)} — {'stable' if reading.stable else 'settling…'}")
        else:
            self.live_label.setText(reading_problem(reading))

    @Slot(str, str, str)
    def _on_state(self, source: str, state: str, detail: str) -> None:
        if state != "connected":
            self.live_label.setText(f"{source}: {state} ({detail})")

    def stop_test(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            device.stop()

    def describe(self) -> Any:
        return self.live_label.text()


def _spin(value: float, low: float, high: float, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSuffix(suffix)
    box.setValue(value)
    return box
