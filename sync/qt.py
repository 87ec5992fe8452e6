"""Qt bridge of the sync worker: its status as a Qt signal, for the packer screen's status bar.

The worker runs on its own ``threading.Thread`` (QtCore-free, see ``sync.worker``); this QObject
subscribes to it and re-emits each ``SyncStatus`` as ``status_changed(object)`` *on the thread the
bridge lives in* (the GUI thread): the worker thread emits a private signal that is queued to this
object's own slot, so even a ``DirectConnection`` slot of the screen runs on the GUI thread and may
touch widgets. QtCore only: no widget is imported here.

    bridge = QtSyncWorker(create_worker(station.db, station.station_id, section, station.paths.root))
    bridge.status_changed.connect(status_bar._on_sync_status_changed)
    bridge.start()
    ...
    bridge.stop()   # joins the thread (up to 30 s while a request is in flight)
    bridge.stop_in_background()   # the window's close(): returns at once, the thread ends on its own
    bridge.wait_stopped(30)       # before the station's database closes
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from sync.worker import SyncStatus, SyncWorker

logger = logging.getLogger(__name__)


class QtSyncWorker(QObject):
    """Signals: ``status_changed(SyncStatus)`` after every sync cycle, emitted from the worker thread."""

    status_changed = Signal(object)
    _status_from_worker = Signal(object)

    def __init__(self, worker: SyncWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._subscribed = False
        self._stopper: threading.Thread | None = None
        self._status_from_worker.connect(self._on_status_from_worker, Qt.ConnectionType.QueuedConnection)

    @property
    def status(self) -> SyncStatus:
        return self.worker.status

    def start(self) -> None:
        if not self._subscribed:
            self.worker.subscribe(self._on_worker_status)
            self._subscribed = True
        self.worker.start()

    def wake(self) -> None:
        """Sync now, e.g. right after the screen recorded an incident."""
        self.worker.wake()

    def stop(self, timeout: float = 30.0) -> None:
        """Unsubscribe first (no emit into a QObject being destroyed), then stop and join the thread."""
        self._unsubscribe()
        self.worker.stop(timeout)

    def stop_in_background(self, timeout: float = 30.0) -> None:
        """Like `stop`, but the join runs on a helper thread: the caller (the GUI thread closing the window)
        returns at once. `wait_stopped` blocks until the worker thread has ended (or the timeout passed,
        which is logged). Idempotent."""
        if self._stopper is not None:
            return
        self._unsubscribe()

        def stop() -> None:
            try:
                self.worker.stop(timeout)
            except RuntimeError as exc:  # did not end within the timeout: the thread is a daemon
                logger.error("%s", exc)

        self._stopper = threading.Thread(target=stop, name="sync-stop", daemon=True)
        self._stopper.start()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Block until a `stop_in_background` has finished (itself bounded by its timeout), or `timeout`
        seconds; True when the worker is no longer running."""
        if self._stopper is not None:
            self._stopper.join(timeout)
        return not self.worker.running

    def _unsubscribe(self) -> None:
        if self._subscribed:
            self.worker.unsubscribe(self._on_worker_status)
            self._subscribed = False

    def _on_worker_status(self, status: SyncStatus) -> None:
        # Worker thread: only hand over; the queued connection carries it to our thread.
        self._status_from_worker.emit(status)

    @Slot(object)
    def _on_status_from_worker(self, status: SyncStatus) -> None:
        if self._subscribed:  # a status still queued when stop() ran is dropped, not delivered late
            self.status_changed.emit(status)
