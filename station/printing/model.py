"""The print jobs' vocabulary: documents, reasons, statuses, the typed failures, and the read-only views the
bench, the CLI and the worker get (``station.printing.jobs`` keeps the jobs and their state machine)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from station.clock import as_utc
from station.orm import PrintJobRecord


class Document(enum.StrEnum):
    PACKING_SLIP = "packing_slip"
    SHIPPING_LABEL = "shipping_label"


class JobReason(enum.StrEnum):
    SEAL = "seal"
    REPRINT = "reprint"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    RETRYING = "retrying"
    GIVEN_UP = "given_up"


PENDING = (JobStatus.QUEUED, JobStatus.PRINTING, JobStatus.RETRYING)


class PrintFailure(enum.StrEnum):
    """Why a job did not print (the printer adapters' fault kinds have the same values)."""

    # transient: retried with backoff
    UNREACHABLE = "unreachable"  # connection refused, no route, timed out; the CUPS server is down
    NOT_ACCEPTING = "not_accepting"  # the queue refuses new jobs (rejecting, disabled)
    NO_SUCH_QUEUE = "no_such_queue"  # the CUPS server has no queue of that name (yet)
    OUT_OF_PAPER = "out_of_paper"
    HEAD_OPEN = "head_open"
    PAUSED = "paused"
    REFUSED = "refused"  # the queue or printer said no, for another reason
    # permanent: given up at once (a reprint after fixing the settings starts a new job)
    NO_PRINTER = "no_printer"  # no printer is set for this document
    WRONG_LANGUAGE = "wrong_language"  # e.g. a PDF to a ZPL-only label printer
    NO_LABEL = "no_label"  # the order's label is gone
    NO_ORDER = "no_order"  # the order is gone
    UNPRINTABLE = "unprintable"  # the document could not be made

    @property
    def permanent(self) -> bool:
        return self in _PERMANENT


_PERMANENT = frozenset(
    {
        PrintFailure.NO_PRINTER,
        PrintFailure.WRONG_LANGUAGE,
        PrintFailure.NO_LABEL,
        PrintFailure.NO_ORDER,
        PrintFailure.UNPRINTABLE,
    }
)


class PrintFailed(Exception):
    """Raised by a printer port (and the document makers): the job did not print, and why."""

    def __init__(self, failure: PrintFailure, detail: str) -> None:
        super().__init__(f"{failure.value}: {detail}")
        self.failure = failure
        self.detail = detail


@dataclass(frozen=True)
class JobView:
    """One print job as the bench, the CLI and the worker see it."""

    job_id: int
    order_id: str
    document: Document
    reason: JobReason
    status: JobStatus
    attempts: int
    failure: PrintFailure | None
    detail: str | None
    printer: str | None
    printer_job: str | None
    created_at: datetime
    printed_at: datetime | None
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class PrintOverview:
    """What the bench's print panel shows: jobs not printed yet, given-up ones, and the last seal's paperwork."""

    pending: tuple[JobView, ...]
    given_up: tuple[JobView, ...]
    last_order: str | None  # the order of the newest seal or reprint on this station
    last_jobs: tuple[JobView, ...]  # that order's newest job per document
    last_has_label: bool


def job_view(row: PrintJobRecord) -> JobView:
    return JobView(
        job_id=row.id,
        order_id=row.order_id,
        document=Document(row.document),
        reason=JobReason(row.reason),
        status=JobStatus(row.status),
        attempts=row.attempts,
        failure=PrintFailure(row.failure) if row.failure else None,
        detail=row.last_error,
        printer=row.printer,
        printer_job=row.printer_job,
        created_at=as_utc(row.created_at),
        printed_at=as_utc(row.printed_at) if row.printed_at else None,
        next_attempt_at=as_utc(row.next_attempt_at) if row.next_attempt_at else None,
    )
