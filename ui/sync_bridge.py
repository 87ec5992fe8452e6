"""Qt bridge of the sync worker: its status as a Qt signal, for the packer screen's status bar.

``sync.worker.SyncWorker`` runs on its own thread with no Qt; ``ui.worker_bridge.WorkerBridge`` carries each
``SyncStatus`` to the GUI thread as ``status_changed(SyncStatus)``. A stop waits up to 30 s: an in-flight
request ends within the client's timeout.

    bridge = QtSyncWorker(create_worker(station.db, station.station_id, section, station.paths.root))
    bridge.status_changed.connect(status_bar._on_sync_status_changed)
    bridge.start()
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from sync.worker import SyncStatus, SyncWorker
from ui.worker_bridge import WorkerBridge

SYNC_STOP_TIMEOUT_S = 30.0


class QtSyncWorker(WorkerBridge):
    """Signals: ``status_changed(SyncStatus)`` after every sync cycle."""

    worker: SyncWorker

    def __init__(self, worker: SyncWorker, parent: QObject | None = None) -> None:
        super().__init__(worker, SYNC_STOP_TIMEOUT_S, parent)

    @property
    def status(self) -> SyncStatus:
        return self.worker.status
