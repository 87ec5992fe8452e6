"""A scale without hardware, for demo mode and tests of the screen: it weighs what it is told is on it.

`place(grams)` / `add(grams)` put a load on it; for `settle_s` it reports the load in motion (a small
wobble), then stable. It can be told to be wrong: `error_g` is added to every reading (a dropped-in extra
item, a missing one), and `never_settles` keeps it in motion for ever (a fan blowing on the pan).
It reports through the same `ScaleListener` as `hardware.scale.SerialScale`, from its own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from hardware.scale import ScaleListener
from hardware.scale_protocols import ReadingKind, ScaleReading
from hardware.scanning import DeviceState, notify
from hardware.worker import DeviceThread

logger = logging.getLogger(__name__)

__all__ = ["SimulatedScale"]

#: How far the simulated pan wobbles while it settles (grams, alternately up and down).
WOBBLE_G = 3.0


class SimulatedScale:
    source = "scale:simulated"

    def __init__(
        self,
        listener: ScaleListener,
        *,
        interval_s: float = 0.1,
        settle_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if interval_s <= 0 or settle_s < 0:
            raise ValueError("interval_s must be positive and settle_s not negative")
        self._listener = listener
        self._interval_s = interval_s
        self._settle_s = settle_s
        self._clock = clock
        self._lock = threading.Lock()
        self._load_g = 0.0
        self._settled_at = 0.0
        self._tick = 0
        self.error_g = 0.0
        self.never_settles = False
        self._worker = DeviceThread("scale-simulated", self._run)

    @property
    def load_g(self) -> float:
        with self._lock:
            return self._load_g

    def place(self, grams: float) -> None:
        """What is on the pan now (the reading moves, then settles on it)."""
        with self._lock:
            self._load_g = float(grams)
            self._settled_at = self._clock() + self._settle_s

    def add(self, grams: float) -> None:
        self.place(self.load_g + grams)

    def clear(self) -> None:
        self.place(0.0)

    def reading(self) -> ScaleReading:
        """What the scale says now."""
        with self._lock:
            now = self._clock()
            self._tick += 1
            weight = self._load_g + self.error_g
            if self.never_settles or now < self._settled_at:
                wobble = WOBBLE_G if self._tick % 2 else -WOBBLE_G
                return ScaleReading(ReadingKind.MOTION, round(weight + wobble, 3), source=self.source, at=now)
            return ScaleReading(ReadingKind.STABLE, round(weight, 3), source=self.source, at=now)

    def start(self) -> None:
        if self._worker.start():
            notify(self.source, self._listener.state_changed, self.source, DeviceState.CONNECTED, "simulated")

    def stop(self, timeout: float = 2.0) -> bool:
        return self._worker.stop(timeout)

    def _run(self) -> None:
        try:
            while not self._worker.stop_event.wait(self._interval_s):
                notify(self.source, self._listener.reading_received, self.reading())
        finally:
            notify(self.source, self._listener.state_changed, self.source, DeviceState.STOPPED, "stopped")
