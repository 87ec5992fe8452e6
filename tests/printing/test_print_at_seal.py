"""Print at seal through real print paths: a real cupsd with a cups-pdf printer (the slip as a PDF file) and a
raw 9100 receiver (the label's ZPL bytes). The printer down during a seal, then back: one copy of each."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from station.clock import SystemClock
from station.db import Database
from station.printing.jobs import Document, JobStatus, PrintFailure, PrintJobs
from station.printing.settings import PrinterConfig, PrinterKind, PrinterLanguage, PrintSettings, parse_printer_spec
from station.service import StationService
from tests.printing.conftest import LABEL_ZPL, pack_and_seal, pdf_text
from tests.printing.cups_server import PDF_QUEUE, CupsServer
from tests.printing.raw_receiver import PAPER_OUT, READY, RawReceiver
from tests.station.conftest import GADGET_EAN, OTHER_UPC, PILLS_GTIN, WIDGET_EAN
from ui.printing.worker import PrintStatus, PrintWorker

FAST = (0.2, 0.3, 0.5)  # the retry backoff in these tests (the real one starts at 2 s)


def settings_for(cups: CupsServer | None, receiver: RawReceiver | None, **raw: object) -> PrintSettings:
    printers = []
    if cups is not None:
        printers.append(parse_printer_spec("office", f"cups:{PDF_QUEUE}@{cups.server}"))
    if receiver is not None:
        host, port = receiver.address.split(":")
        printers.append(
            PrinterConfig(
                "zebra",
                PrinterKind.RAW9100,
                f"{host}:{port}",
                PrinterLanguage.ZPL,
                status_check=bool(raw.get("status_check")),
            )
        )
    return PrintSettings(
        printers=tuple(printers),
        slip_printer="office" if cups else None,
        label_printer="zebra" if receiver else None,
    )


class Cycles:
    """Counts the worker's published cycles, to wait for "a few more cycles" instead of a fixed sleep."""

    def __init__(self, worker: PrintWorker) -> None:
        self.count = 0
        self.last: PrintStatus | None = None
        self._lock = threading.Lock()
        worker.subscribe(self._on)

    def _on(self, status: PrintStatus) -> None:
        with self._lock:
            self.count += 1
            self.last = status

    def wait_more(self, n: int, timeout: float = 20.0) -> None:
        target = self.count + n
        wait_until(lambda: self.count >= target, timeout, f"{n} more print cycles")


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@contextmanager
def running_worker(db: Database, settings: PrintSettings) -> Iterator[tuple[PrintWorker, PrintJobs, Cycles]]:
    jobs = PrintJobs(db, "S1", SystemClock(), backoff_s=FAST)
    worker = PrintWorker(jobs, settings, poll_s=0.1)
    cycles = Cycles(worker)
    worker.start()
    try:
        yield worker, jobs, cycles
    finally:
        worker.stop()


def statuses(jobs: PrintJobs) -> dict[Document, JobStatus]:
    return {j.document: j.status for j in reversed(jobs.jobs())}


def test_the_seal_prints_the_slip_as_a_pdf_through_cups_and_the_label_as_zpl_on_9100(
    service: StationService, db: Database, cups: CupsServer, receiver: RawReceiver
) -> None:
    pack_and_seal(service)
    with running_worker(db, settings_for(cups, receiver)) as (_worker, jobs, _cycles):
        wait_until(lambda: set(statuses(jobs).values()) == {JobStatus.PRINTED}, 60, "both documents printed")
        printed = jobs.jobs()
    [pdf] = cups.wait_for_pdfs(1)
    text = pdf_text(pdf)
    for words in (
        "Packing slip - order 10001",
        "Ada Lovelace, 1 Analytical St",
        "Carrier: DHL",
        "W-1",
        "Widget",
        "G-6",
    ):
        assert words in text, (words, text)
    assert "16 of 16 units packed" in text
    assert "SHORT" not in text
    assert receiver.jobs == [LABEL_ZPL]  # the label exactly as the order brought it, once
    slip = next(j for j in printed if j.document is Document.PACKING_SLIP)
    assert (
        slip.printer == f"cups:{PDF_QUEUE}@{cups.server}"
        and slip.printer_job
        and slip.printer_job.startswith(PDF_QUEUE)
    )


def test_a_blocked_package_gets_no_paperwork_and_the_short_shipped_slip_names_the_remedy(
    service: StationService, db: Database, cups: CupsServer, receiver: RawReceiver
) -> None:
    service.load_order("ORD-10001")
    for code in [WIDGET_EAN] * 2 + [GADGET_EAN] * 11 + [PILLS_GTIN]:
        service.handle_scan(code)
    assert service.handle_scan(OTHER_UPC).kind.value == "wrong_item"  # blocked
    assert service.handle_scan("CMD:SEAL").kind.value == "still_blocked"
    jobs = PrintJobs(db, "S1")
    assert jobs.jobs() == []  # a blocked package never gets a label
    [wrong] = service.open_incidents()
    service.clear(wrong.id, "S1", "took the wrong item out", "item_swapped")
    assert service.handle_scan("CMD:SEAL").kind.value == "short"  # blocked again: short
    assert jobs.jobs() == []
    [short] = service.open_incidents()
    verdict = service.clear(short.id, "S1", "gadget out of stock, backorder 4711", "short_shipped")
    assert verdict.state.value == "sealed"
    with running_worker(db, settings_for(cups, receiver)) as (_worker, jobs, _cycles):
        wait_until(lambda: set(statuses(jobs).values()) == {JobStatus.PRINTED}, 60, "both documents printed")
    text = pdf_text(cups.wait_for_pdfs(1)[0])
    assert "SHORT: 1 not in this package" in text  # the gadget line (11 of 12)
    assert "Shipped short by supervisor S1: gadget out of stock, backorder 4711" in text
    assert "14 of 16 units packed" in text
    assert receiver.jobs == [LABEL_ZPL]


def test_printer_down_during_the_seal_then_back_prints_exactly_one_copy_of_each(
    service: StationService, db: Database, cups: CupsServer, receiver: RawReceiver
) -> None:
    cups.stop()  # the print server is down: lp cannot connect
    receiver.close()  # the label printer is off: connection refused
    settings = settings_for(cups, receiver)
    with running_worker(db, settings) as (_worker, jobs, cycles):
        started = time.monotonic()
        pack_and_seal(service)
        seal_took = time.monotonic() - started
        wait_until(
            lambda: (
                all(j.status is JobStatus.RETRYING and j.attempts >= 2 for j in jobs.jobs()) and len(jobs.jobs()) == 2
            ),
            30,
            "both jobs retried at least twice",
        )
        assert {j.failure for j in jobs.jobs()} == {PrintFailure.UNREACHABLE}
        assert service.state.value == "sealed"  # the seal stands: printing never undoes it
        cups.start()
        receiver.open()
        wait_until(lambda: set(statuses(jobs).values()) == {JobStatus.PRINTED}, 60, "both documents printed")
        cycles.wait_more(5)  # and nothing prints again in the cycles after
    assert seal_took < 2.0  # the seal did not wait for a printer (the worker prints on its own thread)
    assert len(cups.wait_for_pdfs(1)) == 1
    assert receiver.jobs == [LABEL_ZPL]
    assert [j.status for j in jobs.jobs()] == [JobStatus.PRINTED, JobStatus.PRINTED]


def test_a_queue_that_rejects_jobs_is_retried_and_prints_once_accepted(
    service: StationService, db: Database, cups: CupsServer
) -> None:
    cups.reject(PDF_QUEUE)
    with running_worker(db, settings_for(cups, None)) as (_worker, jobs, cycles):
        pack_and_seal(service)
        wait_until(lambda: any(j.failure is PrintFailure.NOT_ACCEPTING for j in jobs.jobs()), 30, "not accepting")
        cups.accept(PDF_QUEUE)
        wait_until(lambda: statuses(jobs).get(Document.PACKING_SLIP) is JobStatus.PRINTED, 60, "slip printed")
        cycles.wait_more(3)
    assert len(cups.wait_for_pdfs(1)) == 1


def test_a_label_printer_out_of_paper_gets_nothing_until_paper_is_back(
    service: StationService, db: Database, receiver: RawReceiver
) -> None:
    receiver.status = PAPER_OUT
    with running_worker(db, settings_for(None, receiver, status_check=True)) as (_worker, jobs, cycles):
        pack_and_seal(service)
        wait_until(lambda: any(j.failure is PrintFailure.OUT_OF_PAPER for j in jobs.jobs()), 30, "out of paper")
        assert receiver.jobs == []
        receiver.status = READY
        wait_until(lambda: statuses(jobs).get(Document.SHIPPING_LABEL) is JobStatus.PRINTED, 30, "label printed")
        cycles.wait_more(3)
    assert receiver.jobs == [LABEL_ZPL]
    slip = next(j for j in jobs.jobs() if j.document is Document.PACKING_SLIP)
    assert slip.status is JobStatus.GIVEN_UP and slip.failure is PrintFailure.NO_PRINTER  # no slip printer set


def test_reprint_prints_another_copy_and_is_audited(
    service: StationService, db: Database, receiver: RawReceiver
) -> None:
    from sqlalchemy import select

    from station.orm import AuditRecord, OutboxRecord

    with running_worker(db, settings_for(None, receiver)) as (_worker, jobs, _cycles):
        pack_and_seal(service)
        receiver.wait_for_jobs(1)
        verdict = service.handle_scan("CMD:REPRINT")
        assert verdict.kind.value == "reprinted" and verdict.named_order == "10001"
        receiver.wait_for_jobs(2)
    assert receiver.jobs == [LABEL_ZPL, LABEL_ZPL]
    with db.sessions() as s:
        audit = s.scalars(select(AuditRecord).where(AuditRecord.action == "paperwork.reprinted")).all()
        events = s.scalars(select(OutboxRecord).where(OutboxRecord.type == "audit.recorded")).all()
    assert len(audit) == 1 and audit[0].order_id == "10001" and audit[0].actor == "P1"
    assert any(e.payload.get("action") == "paperwork.reprinted" for e in events)
