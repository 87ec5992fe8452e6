"""Qt bridge of the print worker: its status as a Qt signal on the GUI thread, and the test page off it.

Like ``sync.qt.QtSyncWorker`` and the scanners' ``ScannerBridge``: the worker thread emits a private signal
queued to this object's own slot, which re-emits ``status_changed(PrintStatus)`` on the thread the bridge
lives in (the GUI thread), so a slot may touch widgets. ``test_page`` runs on a short-lived thread and
answers with ``test_done(printer name, ok, failure value or "", detail)``. QtCore only.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from station.printing.jobs import PrintFailed
from station.printing.settings import PaperSize, PrinterConfig, PrintSettings
from ui.printing.runner import print_test_page
from ui.printing.worker import PrintStatus, PrintWorker

logger = logging.getLogger(__name__)


class QtPrintWorker(QObject):
    status_changed = Signal(object)
    test_done = Signal(str, bool, str, str)
    _status_from_worker = Signal(object)
    _test_from_thread = Signal(str, bool, str, str)

    def __init__(self, worker: PrintWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._subscribed = False
        self._stopper: threading.Thread | None = None
        self._status_from_worker.connect(self._on_status_from_worker, Qt.ConnectionType.QueuedConnection)
        self._test_from_thread.connect(self._on_test_from_thread, Qt.ConnectionType.QueuedConnection)

    @property
    def status(self) -> PrintStatus | None:
        return self.worker.status

    @property
    def settings(self) -> PrintSettings:
        return self.worker.settings

    def start(self) -> None:
        if not self._subscribed:
            self.worker.subscribe(self._on_worker_status)
            self._subscribed = True
        self.worker.start()

    def wake(self) -> None:
        self.worker.wake()

    def update_settings(self, settings: PrintSettings) -> None:
        self.worker.update_settings(settings)

    def test_page(self, config: PrinterConfig, paper: PaperSize) -> None:
        """Print a test page on ``config`` off the GUI thread; ``test_done`` says how it went."""

        def run() -> None:
            try:
                reference = print_test_page(config, paper, self.worker.runner.printers)
            except PrintFailed as exc:
                self._test_from_thread.emit(config.name, False, exc.failure.value, exc.detail)
            except Exception as exc:  # never out of the thread: a clear message instead
                logger.exception("test page on %s failed", config.name)
                self._test_from_thread.emit(config.name, False, "unprintable", repr(exc))
            else:
                self._test_from_thread.emit(config.name, True, "", reference or "")

        threading.Thread(target=run, name="packgate-print-test", daemon=True).start()

    def stop(self, timeout: float = 40.0) -> None:
        self._unsubscribe()
        self.worker.stop(timeout)

    def stop_in_background(self, timeout: float = 40.0) -> None:
        """Stop without blocking the GUI thread (a send may take its timeout); idempotent."""
        if self._stopper is not None:
            return
        self._unsubscribe()

        def stop() -> None:
            try:
                self.worker.stop(timeout)
            except RuntimeError as exc:
                logger.error("%s", exc)

        self._stopper = threading.Thread(target=stop, name="print-stop", daemon=True)
        self._stopper.start()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        if self._stopper is not None:
            self._stopper.join(timeout)
        return not self.worker.running

    def _unsubscribe(self) -> None:
        if self._subscribed:
            self.worker.unsubscribe(self._on_worker_status)
            self._subscribed = False

    def _on_worker_status(self, status: PrintStatus) -> None:
        self._status_from_worker.emit(status)

    @Slot(object)
    def _on_status_from_worker(self, status: PrintStatus) -> None:
        if self._subscribed:
            self.status_changed.emit(status)

    @Slot(str, bool, str, str)
    def _on_test_from_thread(self, name: str, ok: bool, failure: str, detail: str) -> None:
        self.test_done.emit(name, ok, failure, detail)
