"""One pass of the print worker: claim the due jobs, make each document, send it, record the outcome.

The composition of the three parts: the durable jobs (``station.printing.jobs``), the documents (the slip
from ``ui.printing.slip_pdf``, the label as the order brought it) and the printers (``hardware.printers``).
No Qt and no thread here (``ui.printing.worker`` runs this on its own thread); every failure ends up on
its job as a typed ``PrintFailure``, never as an exception out of :meth:`PrintRunner.run_due`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hardware.printers import PrinterError
from hardware.printers.cups import CupsQueue
from hardware.printers.raw_socket import RawSocketPrinter
from rules.labels import LabelFormat
from station.printing.jobs import Document, JobStatus, JobView, PrintFailed, PrintFailure, PrintJobs
from station.printing.settings import PaperSize, PrinterConfig, PrinterKind, PrinterLanguage, PrintSettings
from ui.printing.slip_pdf import packing_slip_pdf, sample_label_zpl, sample_page_pdf

logger = logging.getLogger(__name__)


class PrinterPort(Protocol):
    def send(self, data: bytes, title: str) -> str | None: ...


def make_printer(config: PrinterConfig) -> PrinterPort:
    """The hardware adapter for one configured printer."""
    if config.kind is PrinterKind.CUPS:
        return CupsQueue(config.target, server=config.server, raw=config.language is PrinterLanguage.ZPL)
    host, port = config.host_port
    return RawSocketPrinter(host, port, status_check=config.status_check)


def send(printer: PrinterPort, data: bytes, title: str) -> str | None:
    """``printer.send``, its fault turned into the domain's ``PrintFailed``."""
    try:
        return printer.send(data, title)
    except PrinterError as exc:
        raise PrintFailed(PrintFailure(exc.fault.value), exc.detail) from exc


@dataclass(frozen=True)
class Outcome:
    job: JobView
    status: JobStatus
    failure: PrintFailure | None = None
    detail: str | None = None


class PrintRunner:
    def __init__(
        self,
        jobs: PrintJobs,
        settings: Callable[[], PrintSettings],
        printers: Callable[[PrinterConfig], PrinterPort] = make_printer,
    ) -> None:
        self.jobs = jobs
        self.settings = settings
        self.printers = printers

    def run_due(self) -> list[Outcome]:
        """Print what is due now, one job after the other; returns what happened to each."""
        outcomes: list[Outcome] = []
        settings = self.settings()
        for job in self.jobs.claim_due():
            config = settings.printer(
                settings.slip_printer if job.document is Document.PACKING_SLIP else settings.label_printer
            )
            try:
                if config is None:
                    raise PrintFailed(PrintFailure.NO_PRINTER, f"no printer is set for the {job.document.value}")
                data, language = self.document(job, settings)
                if language is not config.language:
                    raise PrintFailed(
                        PrintFailure.WRONG_LANGUAGE,
                        f"the {job.document.value} is {language.value.upper()}; {config.name} takes "
                        f"{config.language.value.upper()}",
                    )
                title = f"PackGate {job.order_id} {job.document.value} job {job.job_id}"
                reference = send(self.printers(config), data, title)
            except PrintFailed as exc:
                status = self.jobs.failed(job.job_id, config.describe() if config else None, exc.failure, exc.detail)
                outcomes.append(Outcome(job, status, exc.failure, exc.detail))
                continue
            except Exception as exc:  # a bug in a document maker or adapter: recorded, never out of the worker
                logger.exception("print job %d failed unexpectedly", job.job_id)
                status = self.jobs.failed(
                    job.job_id, config.describe() if config else None, PrintFailure.UNPRINTABLE, repr(exc)
                )
                outcomes.append(Outcome(job, status, PrintFailure.UNPRINTABLE, repr(exc)))
                continue
            self.jobs.printed(job.job_id, config.describe(), reference)
            outcomes.append(Outcome(job, JobStatus.PRINTED))
        return outcomes

    def document(self, job: JobView, settings: PrintSettings) -> tuple[bytes, PrinterLanguage]:
        """The job's bytes and the printer language they need; raises ``PrintFailed`` when it cannot be made."""
        if job.document is Document.PACKING_SLIP:
            slip = self.jobs.slip(job.order_id)
            if slip is None:
                raise PrintFailed(PrintFailure.NO_ORDER, f"order {job.order_id} is no longer in the database")
            return packing_slip_pdf(slip, settings.paper), PrinterLanguage.PDF
        label = self.jobs.label(job.order_id)
        if label is None:
            raise PrintFailed(PrintFailure.NO_LABEL, f"order {job.order_id} has no shipping label any more")
        fmt, content = label
        return content, PrinterLanguage.ZPL if fmt is LabelFormat.ZPL else PrinterLanguage.PDF


def print_test_page(
    config: PrinterConfig,
    paper: PaperSize = PaperSize.A4,
    printers: Callable[[PrinterConfig], PrinterPort] = make_printer,
) -> str | None:
    """Print a test page (PDF) or test label (ZPL) on ``config`` now; the queue's job id. Raises
    ``PrintFailed`` (typed) when the printer did not take it. Blocking: call it off the GUI thread."""
    data = (
        sample_page_pdf(config.name, paper) if config.language is PrinterLanguage.PDF else sample_label_zpl(config.name)
    )
    return send(printers(config), data, f"PackGate test page {config.name}")
