"""The packer screen's flood warning: "Scanner flooding: 12,345 lines dropped", in red, while a scanner floods.

A scanner sending far more lines than a person can scan (see `hardware.flood`) has its lines dropped before
they reach the station: none counts, none unblocks, none becomes an incident. The packer must still see that
the scanner is out of order, or they would think their scans are being ignored. The label is in the status
bar (it stays visible in kiosk mode, where the menu bar is hidden) and disappears when the flood stops.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from hardware.qt import ScannerBridge
from ui import plural


def flood_text(floods: dict[str, int]) -> str:
    """The words for the current floods (source -> lines dropped so far); empty when there is none."""
    parts = []
    for source, dropped in sorted(floods.items()):
        parts.append(
            plural.translate(
                "PackerWindow",
                "Scanner flooding: %Ln line(s) dropped ({source}). Check the scanner's settings.",
                None,
                0,
            )(dropped).format(source=source)
        )
    return "   ".join(parts)


class FloodStatus(QLabel):
    """Shows `bridge.floods`; hidden while nothing floods."""

    def __init__(self, bridge: ScannerBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("floodStatus")
        self.setStyleSheet("#floodStatus { background: #b3261e; color: white; font-weight: bold; padding: 2px 8px; }")
        self._bridge = bridge
        bridge.flood_changed.connect(self._on_flood_changed)
        self._paint()

    @Slot(str, bool, int)
    def _on_flood_changed(self, _source: str, _flooding: bool, _dropped: int) -> None:
        self._paint()

    def _paint(self) -> None:
        text = flood_text(self._bridge.floods)
        self.setText(text)
        self.setVisible(bool(text))
