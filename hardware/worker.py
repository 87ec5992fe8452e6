"""The thread a device reads on: one named thread per device, a stop event its loop waits on, and a
bounded join, so stopping a device can never hang the screen that closes it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


def sleeper(stop_event: threading.Event) -> Callable[[float], None]:
    """A `sleep` for tenacity's retry loops that wakes at once when `stop_event` is set."""

    def sleep(seconds: float) -> None:
        stop_event.wait(seconds)

    return sleep


class DeviceThread:
    """Runs `target` on a daemon thread named `name`; `target` loops until `stop_event` is set."""

    def __init__(self, name: str, target: Callable[[], None]) -> None:
        self.name = name
        self._target = target
        self.stop_event = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        """Start the thread; False (and nothing done) when it is already running."""
        if self.is_running:
            return False
        self.stop_event.clear()
        self._thread = threading.Thread(target=self._target, name=self.name, daemon=True)
        self._thread.start()
        return True

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the loop to end and wait up to `timeout` s; True when the thread has ended."""
        self.stop_event.set()
        thread = self._thread
        if thread is None:
            return True
        if thread is not threading.current_thread():
            thread.join(timeout)
        if thread.is_alive():
            logger.warning("%s: thread did not end within %.1f s", self.name, timeout)
            return False
        self._thread = None
        return True
