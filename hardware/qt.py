"""The Qt side of every scan source: a bridge from a device's `ScanListener` calls to Qt signals.

Devices call their listener from their own worker thread; the GUI must only be touched from the GUI
thread. `ScannerBridge` hops threads once, inside itself, through queued connections to its own slots,
and then emits its public signals from the thread it lives in. So any slot connected to those signals —
a bound method, a lambda, a function — runs on the GUI thread, whatever connection type the caller
chose and however PySide decides to treat a receiver-less callable.

QtCore only: `hardware` must not import QtWidgets (import-linter contract).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage

from hardware.scanning import DeviceState, Scan, ScanListener

logger = logging.getLogger(__name__)


class _BridgeListener:
    """The `ScanListener` a device is given; forwards into the bridge's private queued signals.

    A separate object because a QObject cannot have a method and a signal of the same name, and the
    bridge's signals are named like the listener methods (`scan_received`, `state_changed`).
    """

    def __init__(self, bridge: ScannerBridge) -> None:
        self._bridge = bridge

    def scan_received(self, scan: Scan) -> None:
        self._bridge._scan_in.emit(scan)

    def scan_rejected(self, source: str, reason: str, raw: bytes) -> None:
        self._bridge._rejected_in.emit(source, reason)

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None:
        self._bridge._state_in.emit(source, state.value, detail)


class ScannerBridge(QObject):
    """Carries scans, rejections and device states from any number of devices to the GUI thread.

    Give `bridge.listener` to each device (serial, wedge, scripted, manual, camera); connect to:

    Signals:
        scan_received(object): a `hardware.scanning.Scan`.
        scan_rejected(str, str): `(source, reason)` for input that was not a usable code; the reason is
            short and fit for a status bar ("invalid UTF-8 at byte 3", "overlong line ...").
        state_changed(str, str, str): `(source, state, detail)` where `state` is a `DeviceState`
            value ("connecting", "connected", "disconnected", "stopped") and `detail` says why
            ("lost /dev/ttyACM0: ..."). The bridge also remembers the last state per source in
            `states` so a status widget created later can paint the current picture.

    All three are emitted on the thread the bridge lives in (create it on the GUI thread).
    """

    scan_received = Signal(object)
    scan_rejected = Signal(str, str)
    state_changed = Signal(str, str, str)

    # Private hop: emitted on a device thread, delivered queued to this object's thread.
    _scan_in = Signal(object)
    _rejected_in = Signal(str, str)
    _state_in = Signal(str, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listener: ScanListener = _BridgeListener(self)
        self.states: dict[str, tuple[str, str]] = {}
        self._connect_signals()

    def _connect_signals(self) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        self._scan_in.connect(self._on_scan_in, queued)
        self._rejected_in.connect(self._on_rejected_in, queued)
        self._state_in.connect(self._on_state_in, queued)

    @Slot(object)
    def _on_scan_in(self, scan: Scan) -> None:
        self.scan_received.emit(scan)

    @Slot(str, str)
    def _on_rejected_in(self, source: str, reason: str) -> None:
        self.scan_rejected.emit(source, reason)

    @Slot(str, str, str)
    def _on_state_in(self, source: str, state: str, detail: str) -> None:
        self.states[source] = (state, detail)
        self.state_changed.emit(source, state, detail)


class FrameBridge(QObject):
    """Carries camera frames to the live preview on the GUI thread, as `QImage`s.

    Give `bridge.frame_listener` to `hardware.camera.CameraScanner(frame_listener=...)`. The conversion to a
    QImage happens on the camera's decode thread (QImage, unlike QPixmap, may be built off the GUI thread),
    and frames are thinned to `max_fps`, so the GUI thread only ever paints.

    Signals:
        frame_ready(QImage, object): the picture, and the list of `hardware.decoding.DecodedCode` found in
            it (their polygons are in the QImage's pixel coordinates).
    """

    frame_ready = Signal(QImage, object)

    def __init__(self, max_fps: float = 15.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._min_interval = 1.0 / max_fps if max_fps > 0 else 0.0
        self._last = 0.0
        self.frames_forwarded = 0

    def frame_listener(self, frame: object, codes: list[object]) -> None:
        import time

        import numpy as np

        now = time.monotonic()
        # Always forward a frame with codes in it (the outline must not lag the verdict); thin the rest.
        if not codes and now - self._last < self._min_interval:
            return
        self._last = now
        array = np.asarray(frame)
        if array.ndim == 2:
            rgb = np.ascontiguousarray(np.repeat(array[:, :, None], 3, axis=2))
        else:
            rgb = np.ascontiguousarray(array[:, :, ::-1])  # BGR -> RGB
        height, width = rgb.shape[:2]
        image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
        self.frames_forwarded += 1
        self.frame_ready.emit(image, list(codes))
