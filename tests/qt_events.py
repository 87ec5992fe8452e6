"""Wait for what another thread already queued to the GUI thread, without a fixed sleep.

A signal emitted from a worker thread to a GUI-thread object arrives as a posted event. `drain_posted`
posts one more (a queued signal to a barrier object on the GUI thread) and waits until it has run: Qt
delivers a thread's posted events in order, so by then everything queued before the call has arrived too.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from pytestqt.qtbot import QtBot


class _Barrier(QObject):
    ping = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.reached = False
        self.ping.connect(self._on_ping, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _on_ping(self) -> None:
        self.reached = True


def drain_posted(qtbot: QtBot, timeout: int = 5000) -> None:
    """Return once every event posted to the GUI thread before this call has been delivered."""
    barrier = _Barrier()
    barrier.ping.emit()
    qtbot.waitUntil(lambda: barrier.reached, timeout=timeout)
