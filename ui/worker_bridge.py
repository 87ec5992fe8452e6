"""Qt bridge of a background loop (``station.background_loop.BackgroundLoop``): its status as a Qt signal.

The loop runs on its own ``threading.Thread``; this QObject subscribes to it and re-emits each status as
``status_changed(object)`` *on the thread the bridge lives in* (the GUI thread): the loop's thread emits a
private signal that is queued to this object's own slot, so even a ``DirectConnection`` slot of the screen
runs on the GUI thread and may touch widgets. The same pattern as the scanners' ``ScannerBridge``. QtCore
only: no widget is imported here.

    bridge = QtSyncWorker(create_worker(...))      # or QtPrintWorker(PrintWorker(...))
    bridge.status_changed.connect(status_bar._on_sync_status_changed)
    bridge.start()
    ...
    bridge.stop()                 # joins the thread (up to its timeout while I/O is in flight)
    bridge.stop_in_background()   # the window's close(): returns at once, the thread ends on its own
    bridge.wait_stopped(30)       # before the station's database closes
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from station.background_loop import BackgroundLoop

logger = logging.getLogger(__name__)


class WorkerBridge(QObject):
    """Signals: ``status_changed(status)`` after every cycle of the loop, on the bridge's thread."""

    status_changed = Signal(object)
    _status_from_worker = Signal(object)

    def __init__(self, worker: BackgroundLoop[Any], stop_timeout: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._stop_timeout = stop_timeout
        self._subscribed = False
        self._stopper: threading.Thread | None = None
        self._status_from_worker.connect(self._on_status_from_worker, Qt.ConnectionType.QueuedConnection)

    @property
    def status(self) -> Any:
        return self.worker.status

    def start(self) -> None:
        if not self._subscribed:
            self.worker.subscribe(self._on_worker_status)
            self._subscribed = True
        self.worker.start()

    def wake(self) -> None:
        """Run a cycle now, e.g. right after the screen recorded an incident or sealed a parcel."""
        self.worker.wake()

    def stop(self, timeout: float | None = None) -> None:
        """Unsubscribe first (no emit into a QObject being destroyed), then stop and join the thread."""
        self._unsubscribe()
        self.worker.stop(self._stop_timeout if timeout is None else timeout)

    def stop_in_background(self, timeout: float | None = None) -> None:
        """Like `stop`, but the join runs on a helper thread: the caller (the GUI thread closing the window)
        returns at once. `wait_stopped` blocks until the loop's thread has ended (or the timeout passed,
        which is logged). Idempotent."""
        if self._stopper is not None:
            return
        self._unsubscribe()
        limit = self._stop_timeout if timeout is None else timeout

        def stop() -> None:
            try:
                self.worker.stop(limit)
            except RuntimeError as exc:  # did not end within the timeout: the thread is a daemon
                logger.error("%s", exc)

        self._stopper = threading.Thread(target=stop, name=f"{self.worker.name}-stop", daemon=True)
        self._stopper.start()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Block until a `stop_in_background` has finished (itself bounded by its timeout), or `timeout`
        seconds; True when the loop is no longer running."""
        if self._stopper is not None:
            self._stopper.join(timeout)
        return not self.worker.running

    def _unsubscribe(self) -> None:
        if self._subscribed:
            self.worker.unsubscribe(self._on_worker_status)
            self._subscribed = False

    def _on_worker_status(self, status: object) -> None:
        # The loop's thread: only hand over; the queued connection carries it to our thread.
        self._status_from_worker.emit(status)

    @Slot(object)
    def _on_status_from_worker(self, status: object) -> None:
        if self._subscribed:  # a status still queued when stop() ran is dropped, not delivered late
            self.status_changed.emit(status)
