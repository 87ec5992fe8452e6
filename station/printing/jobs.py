"""Durable print jobs: the paperwork of every seal, and the state machine each job goes through.

    queued --claim--> printing --accepted by the printer/queue--> printed
                         |
                         +--failed, transient--> retrying (backoff) --claim--> printing ...
                         +--failed, permanent, or retrying past GIVE_UP_AFTER--> given_up (typed reason)

* **Written with the seal.** :func:`queue_seal_paperwork` runs inside the seal's own transaction (called by
  ``station.bench_writes.BenchWriter.seal``, for a packer's seal and a supervisor's short-ship alike): the
  package's slip, and its label when the order brought one, exist exactly when the seal does. A kill -9 right
  after the seal is on screen loses no job; a blocked package (no seal row) never gets one.
* **Printed only once accepted.** A job is claimed (``printing``, committed) before it is sent and marked
  ``printed`` only after the printer or its CUPS queue accepted it (``lp`` answered with a request id, the
  raw socket took every byte and closed cleanly). At start-up (:meth:`PrintJobs.recover`) a job still
  ``printing`` is retried: the process died while sending. That window (between the printer taking the data
  and the commit of ``printed``, a few milliseconds) is the one place a document can come out twice; no
  raw 9100 printer acknowledges a job, and CUPS has no idempotent submit, so no code can close it.
* **A print never holds up or undoes a seal.** Jobs are printed by a worker thread off the seal path
  (``ui.printing``); every failure is recorded on the job with a typed :class:`PrintFailure`.

No words here: the UI turns statuses and failures into what the packer reads (``ui.printing.words``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from rules.labels import LabelFormat
from station.audited import record_action
from station.clock import Clock, SystemClock, as_utc
from station.db import Database, write
from station.orm import OrderLabel, PrintJobRecord
from station.printing.labels import stored_label
from station.printing.model import (
    PENDING,
    Document,
    JobReason,
    JobStatus,
    JobView,
    PrintFailed,
    PrintFailure,
    PrintOverview,
    job_view,
)
from station.printing.slip_data import SlipData, slip_data

logger = logging.getLogger(__name__)

__all__ = [  # the vocabulary is station.printing.model's; callers may take it from here
    "BACKOFF_S",
    "GIVE_UP_AFTER",
    "PENDING",
    "SHOWN_FOR",
    "Document",
    "JobReason",
    "JobStatus",
    "JobView",
    "PrintFailed",
    "PrintFailure",
    "PrintJobs",
    "PrintOverview",
    "Reprint",
    "backoff",
    "queue_seal_paperwork",
]

#: Retry delays (seconds) after the 1st, 2nd, ... failure; the last repeats.
BACKOFF_S = (2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
#: A job still failing this long after it was queued is given up (the bench shows it; a reprint starts over).
GIVE_UP_AFTER = timedelta(hours=2)
#: How long a given-up job stays on the bench's list (unless the same document printed since).
SHOWN_FOR = timedelta(hours=12)


def queue_seal_paperwork(s: Session, now: datetime, station_id: str, order_id: str, packer_id: str | None) -> None:
    """In the seal's transaction: the packing slip's job, and the label's when the order brought one."""
    documents = [Document.PACKING_SLIP]
    if s.get(OrderLabel, order_id) is not None:
        documents.append(Document.SHIPPING_LABEL)
    for document in documents:
        s.add(_new_job(station_id, order_id, document, JobReason.SEAL, packer_id, now))


def _new_job(
    station_id: str, order_id: str, document: Document, reason: JobReason, actor: str | None, now: datetime
) -> PrintJobRecord:
    return PrintJobRecord(
        station_id=station_id,
        order_id=order_id,
        document=document.value,
        reason=reason.value,
        status=JobStatus.QUEUED.value,
        attempts=0,
        next_attempt_at=None,
        requested_by=actor,
        created_at=now,
    )


def backoff(attempts: int, delays: Sequence[float] = BACKOFF_S) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return timedelta(seconds=delays[min(max(attempts, 1), len(delays)) - 1])


@dataclass(frozen=True)
class Reprint:
    order_id: str
    documents: tuple[Document, ...]


class PrintJobs:
    """The print jobs of one station: claim, record the outcome, reprint, and the overview for the bench."""

    def __init__(
        self, db: Database, station_id: str, clock: Clock | None = None, backoff_s: Sequence[float] = BACKOFF_S
    ) -> None:
        self.db = db
        self.station_id = station_id
        self.clock = clock or SystemClock()
        self.backoff_s = tuple(backoff_s) or BACKOFF_S

    def recover(self) -> int:
        """At start-up: a job left ``printing`` (the process died while sending) is retried now."""
        now = self.clock.now()
        with write(self.db.sessions) as s:
            ids = s.scalars(
                update(PrintJobRecord)
                .where(PrintJobRecord.station_id == self.station_id, PrintJobRecord.status == JobStatus.PRINTING.value)
                .values(status=JobStatus.RETRYING.value, next_attempt_at=now)
                .returning(PrintJobRecord.id)
            ).all()
        if ids:
            logger.warning("print jobs interrupted by a restart, printing again: %s", sorted(ids))
        return len(ids)

    def claim_due(self, limit: int = 10) -> list[JobView]:
        """The jobs due now, oldest first, marked ``printing`` (committed) before anything is sent."""
        now = self.clock.now()
        due = select(PrintJobRecord).where(
            PrintJobRecord.station_id == self.station_id,
            PrintJobRecord.status.in_((JobStatus.QUEUED.value, JobStatus.RETRYING.value)),
            (PrintJobRecord.next_attempt_at.is_(None)) | (PrintJobRecord.next_attempt_at <= now),
        )
        with self.db.sessions() as s:  # a read first: the worker polls, and the scan path needs the write lock
            if s.scalar(due.with_only_columns(PrintJobRecord.id).limit(1)) is None:
                return []
        with write(self.db.sessions) as s:
            rows = list(s.scalars(due.order_by(PrintJobRecord.id).limit(limit)))
            for row in rows:
                row.status = JobStatus.PRINTING.value
                row.attempts += 1
            s.flush()
            return [job_view(row) for row in rows]

    def next_due(self) -> datetime | None:
        """When the next retry is due (None: nothing waits for a retry)."""
        with self.db.sessions() as s:
            due = s.scalar(
                select(func.min(PrintJobRecord.next_attempt_at)).where(
                    PrintJobRecord.station_id == self.station_id,
                    PrintJobRecord.status == JobStatus.RETRYING.value,
                )
            )
            return as_utc(due) if due is not None else None

    def printed(self, job_id: int, printer: str, printer_job: str | None) -> None:
        now = self.clock.now()
        with write(self.db.sessions) as s:
            s.execute(
                update(PrintJobRecord)
                .where(PrintJobRecord.id == job_id)
                .values(
                    status=JobStatus.PRINTED.value,
                    printed_at=now,
                    printer=printer[:200],
                    printer_job=(printer_job or None) and printer_job[:100],
                    failure=None,
                    last_error=None,
                    next_attempt_at=None,
                )
            )
        logger.info("print job %d printed on %s (%s)", job_id, printer, printer_job or "no job id")

    def failed(self, job_id: int, printer: str | None, failure: PrintFailure, detail: str) -> JobStatus:
        """Record a failed attempt: retried after its backoff, or given up (permanent, or past GIVE_UP_AFTER)."""
        now = self.clock.now()
        with write(self.db.sessions) as s:
            row = s.get(PrintJobRecord, job_id)
            if row is None:
                return JobStatus.GIVEN_UP
            give_up = failure.permanent or now - as_utc(row.created_at) >= GIVE_UP_AFTER
            status = JobStatus.GIVEN_UP if give_up else JobStatus.RETRYING
            row.status = status.value
            row.failure = failure.value
            row.last_error = detail[:2000]
            row.printer = printer[:200] if printer else row.printer
            row.next_attempt_at = None if give_up else now + backoff(row.attempts, self.backoff_s)
        log = logger.error if give_up else logger.warning
        log("print job %d %s: %s: %s", job_id, status.value, failure.value, detail)
        return status

    def reprint_last(self, actor: str | None, source: str) -> Reprint | None:
        """Queue the last sealed package's paperwork again (audited); None when nothing was sealed here."""
        now = self.clock.now()
        with write(self.db.sessions) as s:
            order_id = s.scalar(
                select(PrintJobRecord.order_id)
                .where(PrintJobRecord.station_id == self.station_id, PrintJobRecord.reason == JobReason.SEAL.value)
                .order_by(PrintJobRecord.id.desc())
                .limit(1)
            )
            if order_id is None:
                return None
            documents = [Document.PACKING_SLIP]
            if s.get(OrderLabel, order_id) is not None:
                documents.append(Document.SHIPPING_LABEL)
            retried: list[str] = []
            for document in documents:
                # Still waiting (the printer is off): try it now rather than queue a second copy behind it.
                waiting = s.scalars(
                    update(PrintJobRecord)
                    .where(
                        PrintJobRecord.station_id == self.station_id,
                        PrintJobRecord.order_id == order_id,
                        PrintJobRecord.document == document.value,
                        PrintJobRecord.status.in_((JobStatus.QUEUED.value, JobStatus.RETRYING.value)),
                    )
                    .values(next_attempt_at=now)
                    .returning(PrintJobRecord.id)
                ).all()
                if waiting:
                    retried.append(document.value)
                else:
                    s.add(_new_job(self.station_id, order_id, document, JobReason.REPRINT, actor, now))
            record_action(
                s,
                now,
                self.station_id,
                "paperwork.reprinted",
                actor,
                {"documents": [d.value for d in documents], "retried_now": retried, "source": source},
                order_id=order_id,
            )
        logger.info("reprint of order %s queued: %s", order_id, ", ".join(d.value for d in documents))
        return Reprint(order_id, tuple(documents))

    def overview(self) -> PrintOverview:
        now = self.clock.now()
        with self.db.sessions() as s:
            mine = PrintJobRecord.station_id == self.station_id
            pending = s.scalars(
                select(PrintJobRecord)
                .where(mine, PrintJobRecord.status.in_([p.value for p in PENDING]))
                .order_by(PrintJobRecord.id)
                .limit(50)
            ).all()
            later = PrintJobRecord.__table__.alias("later")
            superseded = exists().where(
                later.c.order_id == PrintJobRecord.order_id,
                later.c.document == PrintJobRecord.document,
                later.c.id > PrintJobRecord.id,
            )
            given_up = s.scalars(
                select(PrintJobRecord)
                .where(
                    mine,
                    PrintJobRecord.status == JobStatus.GIVEN_UP.value,
                    PrintJobRecord.created_at >= now - SHOWN_FOR,
                    ~superseded,
                )
                .order_by(PrintJobRecord.id.desc())
                .limit(20)
            ).all()
            last_order = s.scalar(
                select(PrintJobRecord.order_id).where(mine).order_by(PrintJobRecord.id.desc()).limit(1)
            )
            last_jobs: list[PrintJobRecord] = []
            has_label = False
            if last_order is not None:
                newest: dict[str, PrintJobRecord] = {}
                for row in s.scalars(
                    select(PrintJobRecord)
                    .where(mine, PrintJobRecord.order_id == last_order)
                    .order_by(PrintJobRecord.id.desc())
                    .limit(20)
                ):
                    newest.setdefault(row.document, row)
                last_jobs = sorted(newest.values(), key=lambda row: row.document != Document.PACKING_SLIP.value)
                has_label = s.get(OrderLabel, last_order) is not None
            return PrintOverview(
                pending=tuple(job_view(r) for r in pending),
                given_up=tuple(job_view(r) for r in given_up),
                last_order=last_order,
                last_jobs=tuple(job_view(r) for r in last_jobs),
                last_has_label=has_label,
            )

    def slip(self, order_id: str) -> SlipData | None:
        """What the packing slip of ``order_id`` says (None: no such order)."""
        with self.db.sessions() as s:
            return slip_data(s, order_id, self.station_id)

    def label(self, order_id: str) -> tuple[LabelFormat, bytes] | None:
        """The shipping label ``order_id`` came with, as received."""
        with self.db.sessions() as s:
            return stored_label(s, order_id)

    def jobs(self, limit: int = 50, order_id: str | None = None) -> list[JobView]:
        """The newest jobs first (``packgate print jobs``)."""
        with self.db.sessions() as s:
            query = select(PrintJobRecord).where(PrintJobRecord.station_id == self.station_id)
            if order_id is not None:
                query = query.where(PrintJobRecord.order_id == order_id)
            return [job_view(r) for r in s.scalars(query.order_by(PrintJobRecord.id.desc()).limit(limit))]
