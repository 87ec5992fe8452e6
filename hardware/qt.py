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
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Final, Literal

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from hardware.flood import Admission, FloodGuard
from hardware.scanning import DeviceState, Scan, ScanListener

logger = logging.getLogger(__name__)


class _BridgeListener:
    """The `ScanListener` a device is given; hands everything to the bridge's bounded queue.

    A separate object because a QObject cannot have a method and a signal of the same name, and the
    bridge's signals are named like the listener methods (`scan_received`, `state_changed`).
    """

    def __init__(self, bridge: ScannerBridge) -> None:
        self._bridge = bridge

    def scan_received(self, scan: Scan) -> None:
        self._bridge._offer(scan.source, (_SCAN, scan))

    def scan_rejected(self, source: str, reason: str, raw: bytes) -> None:
        self._bridge._offer(source, (_REJECTED, source, reason))

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None:
        self._bridge._offer(source, (_STATE, source, state.value, detail), always=True)


_SCAN: Final = "scan"
_REJECTED: Final = "rejected"
_STATE: Final = "state"
# What waits for the GUI thread: a scan, a rejection (source, reason) or a state (source, state, detail).
_Item = tuple[Literal["scan"], Scan] | tuple[Literal["rejected"], str, str] | tuple[Literal["state"], str, str, str]

#: Lines waiting for the GUI thread, at most. A person's scans are judged in milliseconds: more than this
#: waiting means the screen is far behind, and what arrives next is dropped as a flood.
DEFAULT_MAX_PENDING = 256


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
        flood_changed(str, bool, int): `(source, flooding, dropped)`: a source started or stopped flooding
            (see `hardware.flood`), and how many of its lines were dropped so far in this flood; while it
            floods, repeated a few times a second with the growing count. Every flood ends with one
            `flooding=False` carrying its total. `floods` holds the current ones.

    All are emitted on the thread the bridge lives in (create it on the GUI thread), in the order the
    devices reported them. Between the devices and the GUI thread sits one bounded queue: a flooding
    source's lines are dropped on the device's thread (counted, never delivered), so a flood costs the GUI
    thread nothing and at most `max_pending` lines wait at any time. Lines typed in the Code box
    (`unlimited_sources`) are never taken for a flood, only dropped if the queue is full.
    """

    scan_received = Signal(object)
    scan_rejected = Signal(str, str)
    state_changed = Signal(str, str, str)
    flood_changed = Signal(str, bool, int)

    # Private hops: emitted on a device thread, delivered queued to this object's thread.
    _wake = Signal()
    _flood_in = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        guard: FloodGuard | None = None,
        max_pending: int = DEFAULT_MAX_PENDING,
        unlimited_sources: tuple[str, ...] = ("manual",),
        clock: Callable[[], float] = time.monotonic,
        flood_poll_ms: int = 200,
    ) -> None:
        super().__init__(parent)
        self.listener: ScanListener = _BridgeListener(self)
        self.states: dict[str, tuple[str, str]] = {}
        self.floods: dict[str, int] = {}
        self.guard = guard or FloodGuard()
        self.max_pending = max_pending
        self._unlimited = frozenset(unlimited_sources)
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: deque[_Item] = deque()
        self._wake_posted = False
        self._flood_timer = QTimer(self)
        self._flood_timer.setInterval(flood_poll_ms)
        self._flood_timer.timeout.connect(self._sync_floods)
        queued = Qt.ConnectionType.QueuedConnection
        self._wake.connect(self._on_wake, queued)
        self._flood_in.connect(self._sync_floods, queued)

    @property
    def pending_count(self) -> int:
        with self._lock:
            return len(self._pending)

    # -- any thread ---------------------------------------------------------------------------------

    def _offer(self, source: str, item: _Item, always: bool = False) -> None:
        started = False
        wake = False
        with self._lock:
            admission = Admission.PASS
            if not always:
                now = self._clock()
                if source not in self._unlimited:
                    admission = self.guard.offer(source, now)
                if admission is Admission.PASS and len(self._pending) >= self.max_pending:
                    admission = self.guard.overflow(source, now)
                if admission is Admission.FLOOD_STARTED:
                    started = True
                    self.guard.add_dropped(source, self._purge(source))
            if admission is Admission.PASS:
                self._pending.append(item)
                wake, self._wake_posted = not self._wake_posted, True
        if started:
            self._flood_in.emit()
        if wake:
            self._wake.emit()

    def _purge(self, source: str) -> int:
        """Drop the lines of `source` still waiting (they are the start of its flood); keep its states."""
        kept = deque(it for it in self._pending if it[0] == _STATE or _item_source(it) != source)
        purged = len(self._pending) - len(kept)
        self._pending = kept
        return purged

    # -- GUI thread ---------------------------------------------------------------------------------

    @Slot()
    def _on_wake(self) -> None:
        # One item per event, then a fresh event for the next: a quit, a repaint or a key press waiting in
        # the event queue gets its turn between two scans.
        with self._lock:
            item = self._pending.popleft() if self._pending else None
            more = bool(self._pending)
            self._wake_posted = more
        if more:
            self._wake.emit()
        if item is None:
            return
        if item[0] == _SCAN:
            self.scan_received.emit(item[1])
        elif item[0] == _REJECTED:
            self.scan_rejected.emit(item[1], item[2])
        else:
            _kind, source, state, detail = item
            self.states[source] = (state, detail)
            self.state_changed.emit(source, state, detail)

    @Slot()
    def _sync_floods(self) -> None:
        """Bring `floods` up to date with the guard: log and signal each start and end once, and the
        growing count while a flood lasts; the timer runs while anything floods."""
        with self._lock:
            ended = self.guard.poll(self._clock())
            current = self.guard.flooding()
        for flood in ended:
            if self.floods.pop(flood.source, None) is None:  # began and ended between two looks
                self._log_start(flood.source)
                self.flood_changed.emit(flood.source, True, flood.dropped)
            logger.warning(
                "%s stopped flooding: %d lines dropped in %.1f s",
                flood.source,
                flood.dropped,
                flood.duration_s,
                extra={"source": flood.source, "flood": "ended", "dropped": flood.dropped},
            )
            self.flood_changed.emit(flood.source, False, flood.dropped)
        for source, dropped in current.items():
            if source not in self.floods:
                self._log_start(source)
            elif self.floods[source] == dropped:
                continue
            self.floods[source] = dropped
            self.flood_changed.emit(source, True, dropped)
        if self.floods and not self._flood_timer.isActive():
            self._flood_timer.start()
        elif not self.floods:
            self._flood_timer.stop()

    def _log_start(self, source: str) -> None:
        logger.warning(
            "%s is flooding: dropping its lines until it is quiet for %.1f s",
            source,
            self.guard.quiet_s,
            extra={"source": source, "flood": "started"},
        )


def _item_source(item: _Item) -> str:
    return item[1].source if item[0] == _SCAN else item[1]


class FrameBridge(QObject):
    """Carries camera frames to the live preview on the GUI thread, as `QImage`s.

    Give `bridge.frame_listener` to `hardware.camera.CameraScanner(frame_listener=...)`. The conversion to a
    QImage happens on the camera's decode thread (QImage, unlike QPixmap, may be built off the GUI thread),
    and frames are thinned to `max_fps`, so the GUI thread only ever paints. At most one frame waits for
    the GUI thread: a newer one replaces it (`frames_replaced`), so a busy screen never piles up pictures
    (2.7 MB each at 1280x720).

    Signals:
        frame_ready(QImage, object): the picture, and the list of `hardware.decoding.DecodedCode` found in
            it (their polygons are in the QImage's pixel coordinates).
    """

    frame_ready = Signal(QImage, object)
    _wake = Signal()

    def __init__(self, max_fps: float = 15.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._min_interval = 1.0 / max_fps if max_fps > 0 else 0.0
        self._last = 0.0
        self.frames_forwarded = 0
        self.frames_replaced = 0
        self._lock = threading.Lock()
        self._waiting: tuple[QImage, list[object]] | None = None
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)

    def frame_listener(self, frame: object, codes: list[object]) -> None:
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
        with self._lock:
            replaced = self._waiting is not None
            self._waiting = (image, list(codes))
            if replaced:
                self.frames_replaced += 1
        if not replaced:
            self._wake.emit()

    @Slot()
    def _on_wake(self) -> None:
        with self._lock:
            waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.frame_ready.emit(*waiting)
