"""A station's background loop: one named thread that runs cycles and tells its listeners how it went.

The sync worker (``sync.worker.SyncWorker``: drain the outbox, pull orders) and the print worker
(``ui.printing.worker.PrintWorker``: print what the seals queued) are both this: a daemon thread that runs
a cycle, publishes a status to its listeners, then sleeps on an ``Event`` -- the delay the cycle asked for --
so that ``wake()`` (the bench just wrote something) and ``stop()`` cut the sleep short. Neither holds state
that matters (the database says what is left to do), so a killed and restarted station carries on.

A subclass says what one cycle does (``_cycle``: returns how long to sleep) and what a cycle that raised
leaves on screen (``_cycle_failed``). The status is replaced under a lock and handed to the listeners
outside it, on the loop's thread; the Qt side (``ui.worker_bridge.WorkerBridge``) queues it to the GUI thread.
No Qt here, so the loop is tested without an event loop and the headless CLI can run it too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

StatusT = TypeVar("StatusT")


class BackgroundLoop(Generic[StatusT]):
    """See the module docstring. ``name`` names the thread (it shows in logs and in ``py-spy dump``)."""

    def __init__(self, name: str, status: StatusT) -> None:
        self._name = name
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._listeners: list[Callable[[StatusT], None]] = []
        self._status = status

    # ------------------------------------------------------------------------------------------ what a loop does

    def _cycle(self, cycle: int) -> float:
        """One round of work; publishes what it found; returns the seconds to sleep before the next."""
        raise NotImplementedError

    def _cycle_failed(self, exc: Exception) -> float:
        """A cycle raised (the database went away, say): show it; returns the seconds to sleep."""
        raise NotImplementedError

    def _before_first_cycle(self) -> None:
        """Runs once on the loop's thread before the first cycle (e.g. put back work a killed process left)."""

    def _started(self) -> None:
        logger.info("%s started", self._name)

    def _stopped(self) -> None:
        logger.info("%s stopped", self._name)

    @property
    def name(self) -> str:
        return self._name

    # ------------------------------------------------------------------------------------------ listeners

    def subscribe(self, listener: Callable[[StatusT], None]) -> None:
        """Call ``listener(status)`` from the loop's thread after every cycle."""
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[StatusT], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def status(self) -> StatusT:
        with self._lock:
            return self._status

    def _publish(self, change: Callable[[StatusT], StatusT]) -> tuple[StatusT, StatusT]:
        """Replace the status with ``change(old)`` under the lock, then tell the listeners (outside it, so a
        listener may read ``status``). Returns (old, new). A listener that raises is logged, never fatal."""
        with self._lock:
            old = self._status
            new = change(old)
            self._status = new
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(new)
            except Exception:
                logger.exception("%s: status listener failed", self._name)
        return old, new

    # ------------------------------------------------------------------------------------------ control

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        self._started()

    def wake(self) -> None:
        """Run a cycle now instead of at the end of the sleep."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the loop and join its thread; a cycle in flight ends within its own I/O timeouts.
        Raises ``RuntimeError`` when the thread is still alive after ``timeout`` (it is a daemon)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"{self._name} did not stop within {timeout} s")
            self._thread = None
        self._stopped()

    def _run(self) -> None:
        try:
            self._before_first_cycle()
        except Exception:
            logger.exception("%s: start-up step failed", self._name)
        cycle = 0
        while not self._stop.is_set():
            # Cleared before the cycle: a wake() that arrives while it runs gives one more cycle at once.
            self._wake.clear()
            try:
                delay = self._cycle(cycle)
            except Exception as exc:
                logger.exception("%s: cycle failed", self._name)
                delay = self._cycle_failed(exc)
            cycle += 1
            self._wake.wait(delay)
