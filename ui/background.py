"""Run a slow call (an argon2 check, a thread join) off the GUI thread and get its outcome back on it.

    call = BackgroundCall(lambda: directory.authenticate_badge(badge, pin), parent=dialog)
    call.finished.connect(dialog._on_checked)   # (result, exception): exactly one of them is not None
    call.start()

The call runs on `QThreadPool.globalInstance()`; `finished` is emitted from the pool thread and, because
the `BackgroundCall` lives on the GUI thread, reaches GUI-thread slots through a queued connection: the
slot may touch widgets. The runnable keeps the `BackgroundCall` alive until it has emitted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)


class BackgroundCall(QObject):
    """Signals: ``finished(object result, object exception)`` once, on the thread this object lives in."""

    finished = Signal(object, object)

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Runnable(self))

    def _run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # handed to the GUI thread, which decides what the user sees
            self.finished.emit(None, exc)
        else:
            self.finished.emit(result, None)


class _Runnable(QRunnable):
    def __init__(self, call: BackgroundCall) -> None:
        super().__init__()
        self._call = call  # keeps the call (and its Python wrapper) alive until it has emitted
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            self._call._run()
        except RuntimeError as exc:  # the receiver (a dialog) was destroyed while the call ran
            logger.debug("background call outcome dropped: %s", exc)
