"""The print worker: one named thread (``packgate-print``) that prints what the seals queued.

A ``station.background_loop.BackgroundLoop``: at start it puts back jobs a killed process left ``printing``
(``PrintJobs.recover``), then loops: print what is due (``PrintRunner.run_due``), publish a
:class:`PrintStatus` to its listeners, sleep until the next retry is due or ``poll_s`` passed -- or until
``wake()`` (the bench just sealed or reprinted) or ``stop()``. The jobs table says what is left to print, so
a killed and restarted station carries on. No Qt here: ``ui.printing.bridge.QtPrintWorker`` re-emits the
status as a signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from station.background_loop import BackgroundLoop
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


class PrintWorker(BackgroundLoop[PrintStatus | None]):
    """The loop of the module docstring; ``status`` is None until the first cycle has run."""

    def __init__(
        self,
        jobs: PrintJobs,
        settings: PrintSettings,
        printers: Callable[[PrinterConfig], PrinterPort] = make_printer,
        poll_s: float = DEFAULT_POLL_S,
        clock: Clock | None = None,
        name: str = "packgate-print",
    ) -> None:
        super().__init__(name, None)
        self.jobs = jobs
        self._settings = settings
        self.runner = PrintRunner(jobs, lambda: self._settings, printers)
        self.poll_s = poll_s
        self._clock = clock or SystemClock()

    @property
    def settings(self) -> PrintSettings:
        return self._settings

    def update_settings(self, settings: PrintSettings) -> None:
        """New printers or routes (the settings dialog): used from the next job on, and tried now."""
        self._settings = settings
        self.wake()

    def stop(self, timeout: float = 40.0) -> None:
        """Stop and join; a send in flight ends within its adapter's timeout (lp 30 s, raw 10 s)."""
        super().stop(timeout)

    def run_cycle(self) -> float:
        """Print what is due, publish the status; returns how long to sleep."""
        outcomes = self.runner.run_due()
        status = PrintStatus(self.jobs.overview(), self._settings.configured, tuple(outcomes))
        self._publish(lambda _old: status)
        due = self.jobs.next_due()
        if due is None:
            return self.poll_s
        return max(0.05, min(self.poll_s, (due - self._clock.now()).total_seconds()))

    def _cycle(self, cycle: int) -> float:
        return self.run_cycle()

    def _cycle_failed(self, exc: Exception) -> float:
        # The database, say: logged and shown; the jobs stay where they are.
        configured, error = self._settings.configured, f"{type(exc).__name__}: {exc}"

        def failed(old: PrintStatus | None) -> PrintStatus:
            overview = old.overview if old else PrintOverview((), (), None, (), False)
            return PrintStatus(overview, configured, (), error)

        self._publish(failed)
        return max(self.poll_s, 5.0)

    def _before_first_cycle(self) -> None:
        try:
            self.jobs.recover()
        except Exception:
            logger.exception("could not put back interrupted print jobs")

    def _started(self) -> None:
        logger.info("print worker started (%s)", "printers set" if self._settings.configured else "no printer set")

    def _stopped(self) -> None:
        logger.info("print worker stopped")
