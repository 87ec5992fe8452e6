"""The scale on the packer screen: the live weight against what the package should weigh so far
(`ScalePanel`), and the seal that waits for a stable reading (`WeighAndSeal`).

SEAL at a bench with a scale, from any source (the SEAL barcode, the button, the keyboard): a complete
package is sealed on the first stable reading that is fresh (at most `FRESH_S` old) and was read after the
package last changed (a reading from before the last count weighed a box without that item); until one comes the
panel says WEIGHING, and after the site's `settle_timeout_s` without one nothing is sealed and the packer is
told why. A scale that is unplugged or silent seals nothing either. The weight itself is judged by the
domain (`StationService.seal(weight_g=...)`, `station.weighing`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from hardware.scale_protocols import ReadingKind, ScaleReading
from station.commands import COMMAND_PREFIX, Command, is_command_text
from station.model import BenchState, OrderView, Verdict
from station.service import StationService, StorageError
from station.weighing import WeighingSettings, expected_weight
from ui import scale_words as sw
from ui.bench_scale import BenchScale
from ui.i18n import translate
from ui.verdict_tone import TONE_COLOURS, VerdictStyle

logger = logging.getLogger(__name__)

__all__ = ["FRESH_S", "ScalePanel", "WeighAndSeal", "is_seal_code"]

#: A reading older than this is not what is on the scale now (the scale stopped talking).
FRESH_S = 1.5


def is_seal_code(code: str) -> bool:
    return is_command_text(code) and Command.from_word(code[len(COMMAND_PREFIX) :].strip()) is Command.SEAL


def is_fresh(reading: ScaleReading | None, now: float) -> bool:
    return reading is not None and now - reading.at <= FRESH_S


class ScalePanel(QFrame):
    """One line under the order header: icon, weight, and words (colour never alone)."""

    def __init__(
        self, scale: BenchScale, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scalePanel")
        self.scale = scale
        self._clock = clock
        self._order: OrderView | None = None
        self.icon_label = QLabel("⚠")
        self.weight_label = QLabel("–")
        self.text_label = QLabel(translate("PackerWindow", "No reading from the scale"))
        self.text_label.setWordWrap(True)
        for label, size in ((self.icon_label, 22), (self.weight_label, 22), (self.text_label, 14)):
            font = label.font()
            font.setPointSize(size)
            font.setBold(label is not self.text_label)
            label.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 2, 12, 2)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.weight_label)
        layout.addWidget(self.text_label, 1)
        self.weight_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.weight_label.setMinimumWidth(180)
        scale.bridge.reading_changed.connect(self._on_reading)
        scale.bridge.state_changed.connect(self._on_state)
        self._stale = QTimer(self)  # repaint when the scale falls silent
        self._stale.setInterval(int(FRESH_S * 1000))
        self._stale.timeout.connect(self.paint)
        self._stale.start()
        self.words = sw.live_words(None, None, 0, 0, False)
        self.paint()

    def expected(self) -> tuple[float | None, float, int]:
        """(expected so far with the carton, tolerance, products without a weight); None without an order."""
        order = self._order
        if order is None or not order.lines:
            return None, 0.0, 0
        weighing = self.scale.weighing
        total, unweighed = expected_weight(order, weighing.tare_for(order.tare_g))
        return total, weighing.tolerance_for(total), len(unweighed)

    def set_order(self, order: OrderView | None) -> None:
        self._order = order
        self.paint()

    @Slot(object)
    def _on_reading(self, _reading: ScaleReading) -> None:
        self.paint()

    @Slot(str, str, str)
    def _on_state(self, _source: str, _state: str, _detail: str) -> None:
        self.paint()

    def paint(self) -> None:
        state = self.scale.bridge.state
        reading = self.scale.bridge.latest
        expected, tolerance, unweighed = self.expected()
        fresh = is_fresh(reading, self._clock())
        if state is not None and state[1] != "connected" and not fresh:
            self.words = sw.LiveWords("–", f"Scale {state[1]}: {state[2]}", sw.Tone.WAIT, "⚠")
        else:
            self.words = sw.live_words(reading, expected, tolerance, unweighed, fresh)
        background, foreground = TONE_COLOURS[self.words.tone]
        self.setStyleSheet(f"#scalePanel {{ background: {background}; }} #scalePanel QLabel {{ color: {foreground}; }}")
        self.icon_label.setText(self.words.icon)
        self.weight_label.setText(self.words.weight)
        self.text_label.setText(self.words.text)


class WeighAndSeal(QObject):
    """Seals through the service once the scale gives a stable, fresh reading (bounded wait)."""

    def __init__(
        self,
        scale: BenchScale,
        service: StationService,
        show_verdict: Callable[[Verdict], Any],
        show_style: Callable[[VerdictStyle], Any],
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.scale = scale
        self.service = service
        self._show_verdict = show_verdict
        self._show_style = show_style
        self._clock = clock
        self._source: str | None = None  # waiting for a stable reading to seal, asked by this source
        self._asked_at = 0.0
        self.stable_at: float | None = None  # the `at` of the reading the last seal was judged on
        # When the package last changed (a count, an undo, a carton): a reading from before is not of it.
        self.changed_at = clock()
        self._package: tuple[object, ...] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._give_up)
        scale.bridge.reading_changed.connect(self._on_reading)

    @property
    def waiting(self) -> bool:
        return self._source is not None

    @property
    def weighing(self) -> WeighingSettings:
        return self.scale.weighing

    def package_changed(self, order: OrderView | None) -> None:
        """Called after every verdict: when what is in the box changed, older readings no longer count."""
        package = (
            None
            if order is None
            else (order.order_id, order.tare_g, tuple((ln.line_id, ln.scanned) for ln in order.lines))
        )
        if package != self._package:
            self._package = package
            self.changed_at = self._clock()

    def _usable(self, reading: ScaleReading | None) -> bool:
        """A stable weight of the package as it is now: fresh, and read after its last change."""
        return (
            reading is not None
            and reading.kind is ReadingKind.STABLE
            and is_fresh(reading, self._clock())
            and reading.at >= self.changed_at
        )

    def request(self, source: str) -> None:
        """SEAL asked for. Only a complete package is weighed (anything else the service answers at once)."""
        if self.service.state is not BenchState.COMPLETE:
            self._seal(source, None)
            return
        if self.waiting:
            return  # the second SEAL of an impatient packer: still waiting for the first
        latest = self.scale.bridge.latest
        if self._usable(latest):
            self._seal(source, latest)
            return
        state = self.scale.bridge.state
        if state is not None and state[1] in ("disconnected", "stopped") and not is_fresh(latest, self._clock()):
            self._show_style(
                sw.style_for_no_scale(
                    translate("Scale", "the scale is {state} ({detail})").format(state=state[1], detail=state[2])
                )
            )
            return
        self._source, self._asked_at = source, self._clock()
        self._timer.start(int(self.weighing.settle_timeout_s * 1000))
        self._show_style(sw.style_for_weighing())

    @Slot(object)
    def _on_reading(self, reading: ScaleReading) -> None:
        if self._source is None:
            return
        if self._usable(reading):
            source, self._source = self._source, None
            self._timer.stop()
            self._seal(source, reading)

    @Slot()
    def _give_up(self) -> None:
        if self._source is None:
            return
        self._source = None
        latest = self.scale.bridge.latest
        if latest is None or not is_fresh(latest, self._clock()):
            self._show_style(sw.style_for_no_scale(translate("Scale", "no weight came from the scale")))
        elif not latest.has_weight:
            self._show_style(sw.style_for_no_scale(sw.reading_problem(latest).lower()))
        else:
            self._show_style(sw.style_for_not_settled(self.weighing.settle_timeout_s))
        logger.warning("seal not done: no stable weight", extra={"reading": latest.kind.value if latest else None})

    def cancel(self) -> None:
        self._source = None
        self._timer.stop()

    def _seal(self, source: str, reading: ScaleReading | None) -> None:
        weight = reading.grams if reading is not None else None
        self.stable_at = reading.at if reading is not None else None
        try:
            verdict = self.service.seal(source=source, weight_g=weight)
        except StorageError as exc:
            from ui import verdict_style as vs

            self._show_style(vs.style_for_storage_error(exc))
            return
        self._show_verdict(verdict)
