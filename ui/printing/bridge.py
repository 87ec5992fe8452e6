"""Qt bridge of the print worker: its status as a Qt signal on the GUI thread, and the test page off it.

A ``ui.worker_bridge.WorkerBridge`` (as the sync worker's ``QtSyncWorker``): ``status_changed(PrintStatus)``
arrives on the thread the bridge lives in (the GUI thread), so a slot may touch widgets. A stop waits up to
40 s: a send in flight ends within its adapter's timeout (lp 30 s, raw 10 s). ``test_page`` runs on a short-lived thread and
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
from ui.worker_bridge import WorkerBridge

logger = logging.getLogger(__name__)

PRINT_STOP_TIMEOUT_S = 40.0


class QtPrintWorker(WorkerBridge):
    """Signals: ``status_changed(PrintStatus)`` after every print cycle; ``test_done`` after a test page."""

    worker: PrintWorker
    test_done = Signal(str, bool, str, str)
    _test_from_thread = Signal(str, bool, str, str)

    def __init__(self, worker: PrintWorker, parent: QObject | None = None) -> None:
        super().__init__(worker, PRINT_STOP_TIMEOUT_S, parent)
        self._test_from_thread.connect(self._on_test_from_thread, Qt.ConnectionType.QueuedConnection)

    @property
    def status(self) -> PrintStatus | None:
        return self.worker.status

    @property
    def settings(self) -> PrintSettings:
        return self.worker.settings

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

    @Slot(str, bool, str, str)
    def _on_test_from_thread(self, name: str, ok: bool, failure: str, detail: str) -> None:
        self.test_done.emit(name, ok, failure, detail)
