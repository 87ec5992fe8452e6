"""How the packer screen is laid out (`lay_out`): the order header, the verdict panel, the order lines
with the side boxes (open incidents, who is packing, the camera preview slot), the code entry with the
command buttons, and the status bar. The window keeps the widgets as attributes; it decides what shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from ui.bench_side_boxes import IncidentsBox, PackerPicker
from ui.bench_status import BenchStatus
from ui.fonts import pixel_font
from ui.i18n import translate
from ui.order_header import OrderHeader
from ui.order_lines import OrderLinesTable
from ui.packer_menus import SHORTCUTS
from ui.verdict_panel import VerdictPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as _WindowBase
else:
    _WindowBase = object


class PackerWidgets(_WindowBase):
    """The widgets `lay_out` gives the window, declared once for the window and its parts (no behaviour)."""

    bench_frame: QFrame  # the central widget (framed red while blocked)
    bench_layout: QVBoxLayout  # its layout
    header: OrderHeader
    order_label: QLabel
    ship_label: QLabel
    carrier_label: QLabel
    progress: Any
    progress_label: QLabel
    verdict_panel: VerdictPanel
    lines_table: OrderLinesTable
    side_layout: QVBoxLayout
    incidents_box: IncidentsBox
    incidents_list: Any
    clear_hint: QLabel
    supervisor_button: QPushButton
    packer_box: PackerPicker
    packer_combo: Any
    packer_start: QPushButton
    preview_slot: QWidget
    preview_layout: QVBoxLayout  # the layout of `preview_slot`
    entry: QLineEdit
    seal_button: QPushButton
    undo_button: QPushButton
    cancel_button: QPushButton
    status: BenchStatus
    _packer_label: QLabel
    _sync_label: QLabel


def lay_out(window: Any) -> None:
    """Build the widgets of `window` (a `PackerWindow` with `users`, `station` and `bridge` set)."""
    central = window.bench_frame = QFrame(window)
    central.setObjectName("benchFrame")
    window.setCentralWidget(central)
    outer = window.bench_layout = QVBoxLayout(central)
    outer.setContentsMargins(12, 8, 12, 8)
    outer.setSpacing(8)

    window.header = OrderHeader()  # order id, ship-to, carrier, progress
    window.order_label, window.ship_label = window.header.order_label, window.header.ship_label
    window.carrier_label, window.progress = window.header.carrier_label, window.header.progress
    window.progress_label = window.header.progress_label
    outer.addWidget(window.header)

    window.verdict_panel = VerdictPanel()  # at least 230 px high, more when its lines need it
    outer.addWidget(window.verdict_panel)

    split = QSplitter(Qt.Orientation.Horizontal)
    window.lines_table = OrderLinesTable()
    split.addWidget(window.lines_table)

    side = QWidget()
    window.side_layout = QVBoxLayout(side)
    window.side_layout.setContentsMargins(0, 0, 0, 0)
    # Incidents (visible while blocked).
    window.incidents_box = IncidentsBox(
        translate("PackerWindow", "Supervisor: clear") + f"  [{SHORTCUTS['supervisor']}]"
    )
    window.incidents_list = window.incidents_box.incidents_list
    window.clear_hint, window.supervisor_button = (
        window.incidents_box.clear_hint,
        window.incidents_box.supervisor_button,
    )
    window.side_layout.addWidget(window.incidents_box, 1)
    # Packer picker (visible while asking who packs).
    window.packer_box = PackerPicker(window.users)
    window.packer_combo, window.packer_start = window.packer_box.packer_combo, window.packer_box.packer_start
    # No stretch: after a restart with a blocked package both boxes show, and the incidents get the room.
    window.side_layout.addWidget(window.packer_box, 0)
    # Where the live camera preview goes (issue 5): an empty container until someone fills it.
    window.preview_slot = QWidget()
    window.preview_slot.setObjectName("cameraPreviewSlot")
    window.preview_layout = QVBoxLayout()
    window.preview_slot.setLayout(window.preview_layout)
    window.preview_layout.setContentsMargins(0, 0, 0, 0)
    window.preview_slot.setVisible(False)
    window.side_layout.addWidget(window.preview_slot, 1)
    split.addWidget(side)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    split.setSizes([800, 460])  # the order lines get the room; the side panel is secondary
    outer.addWidget(split, 1)

    # Manual entry + command buttons.
    bottom = QHBoxLayout()
    window.entry = QLineEdit()
    window.entry.setObjectName("manualEntry")
    window.entry.setPlaceholderText(translate("PackerWindow", "Type or scan a code, then Enter"))
    window.entry.setClearButtonEnabled(True)
    ef = pixel_font(window.entry, 22)
    window.entry.setFont(ef)
    window.entry.setMaxLength(512)
    bottom.addWidget(QLabel(translate("PackerWindow", "Code:")))
    bottom.addWidget(window.entry, 1)
    window.seal_button = QPushButton(translate("PackerWindow", "Seal") + f"  [{SHORTCUTS['seal']}]")
    window.undo_button = QPushButton(translate("PackerWindow", "Undo") + f"  [{SHORTCUTS['undo']}]")
    window.cancel_button = QPushButton(translate("PackerWindow", "Cancel order") + f"  [{SHORTCUTS['cancel']}]")
    for b in (window.seal_button, window.undo_button, window.cancel_button):
        b.setFont(ef)
        b.setMinimumHeight(48)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not steal the wedge's focus
        bottom.addWidget(b)
    outer.addLayout(bottom)

    # Status bar: packer, station, device states, sync.
    window.status = BenchStatus(window.statusBar(), window.station.station_id, window.bridge.states)
    window._packer_label, window._sync_label = window.status.packer_label, window.status.sync_label
