"""Building the print worker for a station: the ``"printing"`` settings, with the command line's overrides.

``packgate --slip-printer cups:Office --label-printer tcp:10.0.4.21 --paper letter`` prints this run's
documents there without touching the saved settings (``packgate print configure`` saves them).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from station.printing.jobs import PrintJobs
from station.printing.settings import PaperSize, PrintSettings, parse_printer_spec
from ui.printing.bridge import QtPrintWorker
from ui.printing.worker import PrintWorker

logger = logging.getLogger(__name__)

SLIP_FROM_FLAG = "slip (command line)"
LABEL_FROM_FLAG = "label (command line)"


def with_overrides(
    settings: PrintSettings, slip: str | None = None, label: str | None = None, paper: str | None = None
) -> PrintSettings:
    """``settings`` with the command line's printers; raises ``ValueError`` for a bad spec or paper."""
    if slip:
        settings = replace(settings.with_printer(parse_printer_spec(SLIP_FROM_FLAG, slip)), slip_printer=SLIP_FROM_FLAG)
    if label:
        settings = replace(
            settings.with_printer(parse_printer_spec(LABEL_FROM_FLAG, label)), label_printer=LABEL_FROM_FLAG
        )
    if paper:
        try:
            settings = replace(settings, paper=PaperSize(paper.lower()))
        except ValueError:
            raise ValueError(f"--paper {paper!r}: a4 or letter") from None
    return settings


def create_print_worker(station: Any, settings: PrintSettings, parent: Any = None) -> QtPrintWorker:
    """A (not yet started) print worker for ``station`` (a ``ui.bootstrap.Station``)."""
    jobs = PrintJobs(station.db, station.station_id, station.clock)
    return QtPrintWorker(PrintWorker(jobs, settings, clock=station.clock), parent)
