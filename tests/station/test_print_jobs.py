"""The print-job state machine on a real SQLite file with a frozen clock: backoff, give-up (permanent at
once, transient after GIVE_UP_AFTER), recovery after a crash, reprint (a waiting job is tried now rather than
queued twice; audited), and which jobs the bench lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from rules.labels import LabelFormat
from station.clock import FrozenClock
from station.db import Database
from station.order_files.specs import LabelSpec
from station.orders import import_orders
from station.orm import AuditRecord
from station.printing.jobs import GIVE_UP_AFTER, SHOWN_FOR, Document, JobStatus, PrintFailure, PrintJobs
from station.printing.settings import PrinterKind, PrinterLanguage, PrintSettings, parse_printer_spec
from station.service import StationService
from tests.station.conftest import GADGET_EAN, ORDERS, OTHER_UPC, PILLS_GTIN, WIDGET_EAN

FULL = [WIDGET_EAN] * 2 + [GADGET_EAN] * 12 + [PILLS_GTIN] * 2


@pytest.fixture
def labelled(db: Database, clock: FrozenClock) -> StationService:
    import_orders(db, [replace(ORDERS[0], label=LabelSpec(LabelFormat.ZPL, b"^XA^XZ")), ORDERS[1]], "S1", clock)
    svc = StationService(db, "S1", clock=clock)
    svc.set_packer("P1")
    return svc


def seal(svc: StationService, order: str = "ORD-10001", codes: list[str] = FULL) -> None:
    svc.load_order(order)
    for code in codes:
        svc.handle_scan(code)
    assert svc.handle_scan("CMD:SEAL").kind.value == "sealed"


def test_a_seal_queues_the_slip_and_the_label_and_an_order_without_label_only_the_slip(
    labelled: StationService, db: Database, clock: FrozenClock
) -> None:
    seal(labelled)
    seal(labelled, "ORD-20002", [OTHER_UPC])
    jobs = PrintJobs(db, "S1", clock)
    assert [(j.order_id, j.document, j.status) for j in reversed(jobs.jobs())] == [
        ("10001", Document.PACKING_SLIP, JobStatus.QUEUED),
        ("10001", Document.SHIPPING_LABEL, JobStatus.QUEUED),
        ("20002", Document.PACKING_SLIP, JobStatus.QUEUED),
    ]
    overview = jobs.overview()
    assert overview.last_order == "20002" and not overview.last_has_label


def test_transient_failures_back_off_then_give_up_permanent_ones_give_up_at_once(
    labelled: StationService, db: Database, clock: FrozenClock
) -> None:
    seal(labelled)
    jobs = PrintJobs(db, "S1", clock, backoff_s=(2.0, 5.0))
    slip, label = jobs.claim_due()
    assert jobs.claim_due() == []  # both are printing: nobody claims them twice
    assert jobs.failed(label.job_id, "tcp:h:9100", PrintFailure.UNREACHABLE, "refused") is JobStatus.RETRYING
    assert jobs.failed(slip.job_id, None, PrintFailure.NO_PRINTER, "none") is JobStatus.GIVEN_UP
    assert jobs.claim_due() == []
    clock.advance(seconds=1.9)
    assert jobs.claim_due() == []
    clock.advance(seconds=0.2)
    [again] = jobs.claim_due()
    assert again.job_id == label.job_id and again.attempts == 2
    jobs.failed(again.job_id, "tcp:h:9100", PrintFailure.UNREACHABLE, "refused")
    assert jobs.next_due() == clock.now() + timedelta(seconds=5)
    clock.advance(seconds=GIVE_UP_AFTER.total_seconds())
    [last] = jobs.claim_due()
    assert jobs.failed(last.job_id, "tcp:h:9100", PrintFailure.UNREACHABLE, "refused") is JobStatus.GIVEN_UP
    given_up = {j.document: j for j in jobs.jobs()}
    assert given_up[Document.SHIPPING_LABEL].failure is PrintFailure.UNREACHABLE
    assert given_up[Document.PACKING_SLIP].failure is PrintFailure.NO_PRINTER


def test_a_job_left_printing_by_a_crash_is_printed_again_after_the_restart(
    labelled: StationService, db: Database, clock: FrozenClock
) -> None:
    seal(labelled)
    jobs = PrintJobs(db, "S1", clock)
    claimed = jobs.claim_due()
    jobs.printed(claimed[0].job_id, "cups:Q", "Q-1")
    # ... the process dies while sending the second one
    restarted = PrintJobs(db, "S1", clock)
    assert restarted.recover() == 1
    assert [j.job_id for j in restarted.claim_due()] == [claimed[1].job_id]


def test_reprint_tries_a_waiting_job_now_queues_a_printed_one_again_and_is_audited(
    labelled: StationService, db: Database, clock: FrozenClock
) -> None:
    assert labelled.handle_scan("CMD:REPRINT").named_order is None  # nothing sealed here yet
    seal(labelled)
    jobs = PrintJobs(db, "S1", clock)
    slip, label = jobs.claim_due()
    jobs.printed(slip.job_id, "cups:Q", "Q-1")
    jobs.failed(label.job_id, "tcp:h:9100", PrintFailure.UNREACHABLE, "refused")  # waits 2 s
    verdict = labelled.handle_scan("cmd:reprint")
    assert verdict.kind.value == "reprinted" and verdict.detail == "packing_slip,shipping_label"
    due = jobs.claim_due()
    assert sorted((j.document.value, j.reason.value) for j in due) == [
        ("packing_slip", "reprint"),  # a new copy of the printed slip
        ("shipping_label", "seal"),  # the waiting label, now, not a second one behind it
    ]
    with db.sessions() as s:
        [row] = s.scalars(select(AuditRecord).where(AuditRecord.action == "paperwork.reprinted")).all()
    assert row.actor == "P1" and row.order_id == "10001" and '"retried_now":["shipping_label"]' in row.detail


def test_a_blocked_package_gets_no_job_and_reprint_while_blocked_is_the_last_sealed_one(
    labelled: StationService, db: Database, clock: FrozenClock
) -> None:
    seal(labelled, "ORD-20002", [OTHER_UPC])
    labelled.load_order("ORD-10001")
    assert labelled.handle_scan(OTHER_UPC).blocking
    assert labelled.handle_scan("CMD:SEAL").kind.value == "still_blocked"
    verdict = labelled.handle_scan("CMD:REPRINT")
    assert verdict.named_order == "20002" and verdict.state.value == "blocked"
    assert {j.order_id for j in PrintJobs(db, "S1", clock).jobs()} == {"20002"}


def test_the_bench_lists_a_given_up_job_until_it_printed_later_or_for_shown_for(
    labelled: StationService, db: Database, clock: FrozenClock
) -> None:
    seal(labelled, "ORD-20002", [OTHER_UPC])
    jobs = PrintJobs(db, "S1", clock)
    [slip] = jobs.claim_due()
    jobs.failed(slip.job_id, None, PrintFailure.NO_PRINTER, "none")
    assert [j.job_id for j in jobs.overview().given_up] == [slip.job_id]
    clock.advance(seconds=SHOWN_FOR.total_seconds() + 1)
    assert jobs.overview().given_up == ()
    clock.advance(seconds=-SHOWN_FOR.total_seconds() - 1)
    labelled.handle_scan("CMD:REPRINT")
    [again] = jobs.claim_due()
    jobs.printed(again.job_id, "cups:Q", None)
    assert jobs.overview().given_up == ()  # superseded by the reprint that printed


@pytest.mark.parametrize(
    ("spec", "kind", "target", "language", "server"),
    [
        ("cups:Office", PrinterKind.CUPS, "Office", PrinterLanguage.PDF, None),
        ("cups:Office@print.local:631", PrinterKind.CUPS, "Office", PrinterLanguage.PDF, "print.local:631"),
        ("cups-zpl:Zebra", PrinterKind.CUPS, "Zebra", PrinterLanguage.ZPL, None),
        ("tcp:10.0.4.21", PrinterKind.RAW9100, "10.0.4.21:9100", PrinterLanguage.ZPL, None),
        ("tcp:zebra.local:6101", PrinterKind.RAW9100, "zebra.local:6101", PrinterLanguage.ZPL, None),
    ],
)
def test_printer_specs_and_their_settings_round_trip(spec, kind, target, language, server) -> None:
    printer = parse_printer_spec("p", spec)
    assert (printer.kind, printer.target, printer.language, printer.server) == (kind, target, language, server)
    settings = PrintSettings(printers=(printer,), slip_printer="p")
    assert PrintSettings.from_section(settings.to_section()) == settings


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("Office", "write cups:QUEUE"),
        ("cups:Of fice", "is not a CUPS queue name"),
        ("tcp:host:99999", "out of range"),
        ("tcp:host:ab", "is not a number"),
        ("lpd:x", "unknown printer kind"),
    ],
)
def test_a_bad_printer_spec_says_why(spec: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_printer_spec("p", spec)


def test_a_hand_edited_bad_printer_is_left_out_and_a_bad_paper_is_a4() -> None:
    settings = PrintSettings.from_section(
        {"printers": [{"name": "x", "kind": "laser"}, {"name": "z", "kind": "raw9100", "host": "h"}], "paper": "A3"}
    )
    assert [p.describe() for p in settings.printers] == ["tcp:h:9100"]
    assert settings.paper.value == "a4"
