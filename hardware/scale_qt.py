"""The Qt side of the scale: `ScaleBridge` carries readings and device states from the scale's thread to
the GUI thread, the way `hardware.qt.ScannerBridge` carries scans.

A scale speaks several times a second and only its latest word matters, so at most one reading waits for
the GUI thread: a newer one replaces it (`readings_replaced`), like the camera's frames. States are never
dropped (they are rare and each one matters). QtCore only.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from PySide6.QtCore import QObject, Qt, Signal, Slot

from hardware.scale import ScaleListener
from hardware.scale_protocols import ScaleReading
from hardware.scanning import DeviceState

logger = logging.getLogger(__name__)

__all__ = ["ScaleBridge"]


class _BridgeListener:
    def __init__(self, bridge: ScaleBridge) -> None:
        self._bridge = bridge

    def reading_received(self, reading: ScaleReading) -> None:
        self._bridge._offer_reading(reading)

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None:
        self._bridge._offer_state(source, state.value, detail)


class ScaleBridge(QObject):
    """Signals (emitted on the thread the bridge lives in, create it on the GUI thread):

    reading_changed(object): the newest `hardware.scale_protocols.ScaleReading`; also kept in `latest`.
    state_changed(str, str, str): `(source, state, detail)` as `ScannerBridge.state_changed`; the last
        one is kept in `state`.
    """

    reading_changed = Signal(object)
    state_changed = Signal(str, str, str)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listener: ScaleListener = _BridgeListener(self)
        self.latest: ScaleReading | None = None
        self.state: tuple[str, str, str] | None = None
        self.readings_replaced = 0
        self._lock = threading.Lock()
        self._reading: ScaleReading | None = None
        self._states: deque[tuple[str, str, str]] = deque()
        self._posted = False
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)

    def _offer_reading(self, reading: ScaleReading) -> None:
        with self._lock:
            if self._reading is not None:
                self.readings_replaced += 1
            self._reading = reading
            post, self._posted = not self._posted, True
        if post:
            self._wake.emit()

    def _offer_state(self, source: str, state: str, detail: str) -> None:
        with self._lock:
            self._states.append((source, state, detail))
            post, self._posted = not self._posted, True
        if post:
            self._wake.emit()

    @Slot()
    def _on_wake(self) -> None:
        with self._lock:
            states = list(self._states)
            self._states.clear()
            reading, self._reading = self._reading, None
            self._posted = False
        for source, state, detail in states:  # a state first: a reading after a reconnect is the new one
            self.state = (source, state, detail)
            self.state_changed.emit(source, state, detail)
        if reading is not None:
            self.latest = reading
            self.reading_changed.emit(reading)
