"""The print worker: one named thread (``packgate-print``) that prints what the seals queued.

At start it puts back jobs a killed process left ``printing`` (``PrintJobs.recover``), then loops: print
what is due (``PrintRunner.run_due``), publish a :class:`PrintStatus` to its listeners, sleep until the next
retry is due or ``poll_s`` passed -- or until ``wake()`` (the bench just sealed or reprinted) or ``stop()``.
It holds no state that matters: the jobs table says what is left to print, so a killed and restarted
station carries on. No Qt here: ``ui.printing.bridge.QtPrintWorker`` re-emits the status as a signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from station.clock import Clock, SystemClock
from station.printing.jobs import PrintJobs, PrintOverview
from station.printing.settings import PrinterConfig, PrintSettings
from ui.printing.runner import Outcome, PrinterPort, PrintRunner, make_printer

logger = logging.getLogger(__name__)

DEFAULT_POLL_S = 2.0


@dataclass(frozen=True)
class PrintStatus:
    """What the bench's print panel shows (words: ``ui.printing.words``)."""

    overview: PrintOverview
    configured: bool
    outcomes: tuple[Outcome, ...] = ()
    error: str | None = None  # the worker could not read its jobs (the database), in a log-style line


StatusListener = Callable[[PrintStatus], None]


class PrintWorker:
    def __init__(
        self,
        jobs: PrintJobs,
        settings: PrintSettings,
        printers: Callable[[PrinterConfig], PrinterPort] = make_printer,
        poll_s: float = DEFAULT_POLL_S,
        clock: Clock | None = None,
        name: str = "packgate-print",
    ) -> None:
        self.jobs = jobs
        self._settings = settings
        self.runner = PrintRunner(jobs, lambda: self._settings, printers)
        self.poll_s = poll_s
        self._clock = clock or SystemClock()
        self._name = name
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._listeners: list[StatusListener] = []
        self._status: PrintStatus | None = None

    @property
    def settings(self) -> PrintSettings:
        return self._settings

    def update_settings(self, settings: PrintSettings) -> None:
        """New printers or routes (the settings dialog): used from the next job on, and tried now."""
        self._settings = settings
        self.wake()

    def subscribe(self, listener: StatusListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: StatusListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def status(self) -> PrintStatus | None:
        with self._lock:
            return self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        logger.info("print worker started (%s)", "printers set" if self._settings.configured else "no printer set")

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 40.0) -> None:
        """Stop and join; a send in flight ends within its adapter's timeout (lp 30 s, raw 10 s)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"print worker did not stop within {timeout} s")
            self._thread = None
        logger.info("print worker stopped")

    def run_cycle(self) -> float:
        """Print what is due, publish the status; returns how long to sleep."""
        outcomes = self.runner.run_due()
        self._publish(PrintStatus(self.jobs.overview(), self._settings.configured, tuple(outcomes)))
        due = self.jobs.next_due()
        if due is None:
            return self.poll_s
        return max(0.05, min(self.poll_s, (due - self._clock.now()).total_seconds()))

    def _run(self) -> None:
        try:
            self.jobs.recover()
        except Exception:
            logger.exception("could not put back interrupted print jobs")
        while not self._stop.is_set():
            self._wake.clear()
            try:
                delay = self.run_cycle()
            except Exception as exc:  # the database, say: logged and shown; the jobs stay where they are
                logger.exception("print cycle failed")
                old = self.status
                overview = old.overview if old else PrintOverview((), (), None, (), False)
                self._publish(PrintStatus(overview, self._settings.configured, (), f"{type(exc).__name__}: {exc}"))
                delay = max(self.poll_s, 5.0)
            self._wake.wait(delay)

    def _publish(self, status: PrintStatus) -> None:
        with self._lock:
            self._status = status
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                logger.exception("print status listener failed")
