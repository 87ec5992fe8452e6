"""A document the printer set for it cannot print is given up at once with the reason, nothing sent: a PDF
label on a ZPL label printer, the slip (PDF) on a ZPL printer."""

from __future__ import annotations

from dataclasses import replace

from rules.labels import LabelFormat
from station.clock import SystemClock
from station.db import Database
from station.order_files.specs import LabelSpec
from station.orders import import_orders
from station.printing.jobs import Document, JobStatus, PrintFailure, PrintJobs
from station.printing.settings import PrintSettings, parse_printer_spec
from station.service import StationService
from tests.printing.conftest import pack_and_seal
from tests.printing.raw_receiver import RawReceiver
from tests.station.conftest import ORDERS
from ui.printing.runner import PrintRunner
from ui.printing.words import job_line


def test_a_pdf_label_and_the_slip_on_a_zpl_printer_are_given_up_with_the_reason(
    db: Database, receiver: RawReceiver
) -> None:
    clock = SystemClock()
    import_orders(db, [replace(ORDERS[0], label=LabelSpec(LabelFormat.PDF, b"%PDF-1.4\n%%EOF\n"))], "S1", clock)
    service = StationService(db, "S1", clock=clock)
    service.set_packer("P1")
    pack_and_seal(service)
    zebra = parse_printer_spec("zebra", f"tcp:{receiver.address}")
    settings = PrintSettings(printers=(zebra,), slip_printer="zebra", label_printer="zebra")
    jobs = PrintJobs(db, "S1", clock)
    outcomes = PrintRunner(jobs, lambda: settings).run_due()
    assert [(o.job.document, o.status, o.failure) for o in outcomes] == [
        (Document.PACKING_SLIP, JobStatus.GIVEN_UP, PrintFailure.WRONG_LANGUAGE),
        (Document.SHIPPING_LABEL, JobStatus.GIVEN_UP, PrintFailure.WRONG_LANGUAGE),
    ]
    assert outcomes[1].detail == "the shipping_label is PDF; zebra takes ZPL"
    assert receiver.jobs == []
    label = next(j for j in jobs.jobs() if j.document is Document.SHIPPING_LABEL)
    assert job_line(label, clock.now()).text == (
        "Shipping label for order 10001: not printed, the printer set for it cannot print this kind of document. "
        "Scan CMD:REPRINT or press Reprint once fixed."
    )
