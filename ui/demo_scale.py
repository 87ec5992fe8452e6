"""The simulated scale of `packgate --demo`: it weighs what was scanned (the item master's unit weights, the
carton's tare), so a full pack seals on a matching weight; its buttons make it wrong (an item dropped in
without a scan, one taken out) or never settle, to try the weight check's blocks and messages."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton

from hardware.scale_sim import SimulatedScale
from station.weighing import expected_weight

logger = logging.getLogger(__name__)

#: What a product without a known weight really weighs on the simulated pan.
UNLISTED_G = 230.0
EXTRA_ITEM_G = 180.0


class DemoScale(QGroupBox):
    def __init__(self, window: Any, sim: SimulatedScale) -> None:
        super().__init__("Demo scale")
        self.window_ = window
        self.sim = sim
        layout = QGridLayout(self)  # two by two: the side panel keeps its room for the incidents
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        self.buttons: dict[str, QPushButton] = {}
        for n, (label, action) in enumerate(
            (
                (f"+{EXTRA_ITEM_G:g} g unscanned item", lambda: self._wrong(EXTRA_ITEM_G)),
                (f"−{EXTRA_ITEM_G:g} g item missing", lambda: self._wrong(-EXTRA_ITEM_G)),
                ("Right weight", lambda: self._wrong(0.0)),
                ("Never settles (toggle)", self._toggle_settle),
            )
        ):
            button = QPushButton(label)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action)
            layout.addWidget(button, n // 2, n % 2)
            self.buttons[label] = button
        window.verdict_shown.connect(self._follow)
        self._follow(None)

    def _wrong(self, grams: float) -> None:
        self.sim.error_g = grams
        self._follow(None)

    def _toggle_settle(self) -> None:
        self.sim.never_settles = not self.sim.never_settles

    @Slot(object)
    def _follow(self, _style: object) -> None:
        """Put on the pan what the bench's package holds as counted."""
        order = self.window_.service.order
        if order is None:
            self.sim.place(0.0)
            return
        weighing = self.window_.scale.weighing
        known, unweighed = expected_weight(order, weighing.tare_for(order.tare_g))
        unlisted = sum(line.scanned for line in order.lines if line.sku in unweighed) * UNLISTED_G
        if abs(self.sim.load_g - (known + unlisted)) > 0.001:
            self.sim.place(known + unlisted)
