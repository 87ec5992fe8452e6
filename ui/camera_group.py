"""The "Camera" box of the settings dialog (`CameraGroup`): the bench camera's device, resolution, frame
rate, region of interest, dedupe window, frames needed and barcode formats, as a `CameraSettings`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)


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
        form.addRow("Device", wrap_layout(drow))
        rrow = QHBoxLayout()
        rrow.addWidget(self.width_spin)
        rrow.addWidget(QLabel("×"))
        rrow.addWidget(self.height_spin)
        rrow.addWidget(QLabel("at"))
        rrow.addWidget(self.fps_spin)
        rrow.addWidget(QLabel("fps"))
        rrow.addStretch(1)
        form.addRow("Resolution", wrap_layout(rrow))
        form.addRow("", self.roi_box)
        roi_row = QHBoxLayout()
        for label, spin in zip(("x", "y", "w", "h"), self.roi_spins, strict=True):
            roi_row.addWidget(QLabel(label))
            roi_row.addWidget(spin)
        roi_row.addStretch(1)
        form.addRow("Region", wrap_layout(roi_row))
        form.addRow("Count again when out of view for", self.dedupe_spin)
        form.addRow("A code must be read in", self.seen_spin)
        form.addRow("Barcode formats", wrap_layout(grid))

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
        roi: tuple[int, int, int, int] | None = None
        if self.roi_box.isChecked():
            x, y, w, h = (spin.value() for spin in self.roi_spins)
            roi = (x, y, w, h)
        return CameraSettings(
            device=self.device_edit.text().strip(),
            width=size[0] or None,
            height=size[1] or None,
            fps=float(self.fps_spin.value()) or None,
            roi=roi,
            dedupe_s=round(self.dedupe_spin.value(), 1),
            seen_needed=self.seen_spin.value(),
            formats=frozenset(formats),
        )


def wrap_layout(layout: Any) -> QWidget:
    """`layout` in a widget of its own, without margins (a form row of several widgets)."""
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w
