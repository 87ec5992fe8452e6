"""Every word the packer reads about printing: a job's state, a failure's reason, the panel's lines.

The domain hands over ``JobStatus`` / ``PrintFailure`` values (``station.printing.jobs``); this module turns
them into words, and each line of the bench's print panel into a tone (colour + icon + headline word, as
the verdict panel does: never colour alone).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from station.model import Verdict
from station.printing.jobs import Document, JobStatus, JobView, PrintFailure, PrintOverview
from ui.verdict_tone import Tone, VerdictStyle

DOCUMENT_WORDS = {Document.PACKING_SLIP: "packing slip", Document.SHIPPING_LABEL: "shipping label"}

FAILURE_WORDS = {
    PrintFailure.UNREACHABLE: "printer not reachable (off, unplugged or off the network)",
    PrintFailure.NOT_ACCEPTING: "the print queue is not accepting jobs",
    PrintFailure.NO_SUCH_QUEUE: "no such print queue on the print server",
    PrintFailure.OUT_OF_PAPER: "printer out of paper",
    PrintFailure.HEAD_OPEN: "printer head open",
    PrintFailure.PAUSED: "printer paused",
    PrintFailure.REFUSED: "the printer refused the job",
    PrintFailure.NO_PRINTER: "no printer is set for it (Settings, Printers)",
    PrintFailure.WRONG_LANGUAGE: "the printer set for it cannot print this kind of document",
    PrintFailure.NO_LABEL: "the order's label is gone",
    PrintFailure.NO_ORDER: "the order is gone",
    PrintFailure.UNPRINTABLE: "the document could not be made",
}


class PrintTone(enum.Enum):
    """The panel line's look: PRINTED (green, check), WAITING (amber, hourglass), FAILED (red, cross),
    NOTE (grey, info)."""

    PRINTED = "printed"
    WAITING = "waiting"
    FAILED = "failed"
    NOTE = "note"


#: headline word, colour and icon shape (``ui.verdict_panel.VerdictIcon``'s kinds) per tone
TONE_LOOK = {
    PrintTone.PRINTED: ("PRINTED", "#1b7f3b", "check"),
    PrintTone.WAITING: ("WAITING", "#9a6700", "hourglass"),
    PrintTone.FAILED: ("NOT PRINTED", "#b3261e", "cross"),
    PrintTone.NOTE: ("NOTE", "#555555", "info"),
}


@dataclass(frozen=True)
class PrintLine:
    tone: PrintTone
    text: str


def document_words(document: Document) -> str:
    return DOCUMENT_WORDS[document]


def failure_words(failure: PrintFailure | None, detail: str | None = None) -> str:
    if failure is None:
        return ""
    words = FAILURE_WORDS[failure]
    return f"{words}: {detail}" if detail and failure in (PrintFailure.REFUSED, PrintFailure.UNPRINTABLE) else words


def job_line(job: JobView, now: datetime) -> PrintLine:
    """One job in one line: what, for which order, where it stands."""
    what = f"{document_words(job.document).capitalize()} for order {job.order_id}"
    if job.status is JobStatus.PRINTED:
        return PrintLine(PrintTone.PRINTED, f"{what}: printed")
    if job.status is JobStatus.GIVEN_UP:
        return PrintLine(
            PrintTone.FAILED,
            f"{what}: not printed, {failure_words(job.failure, job.detail)}. Scan CMD:REPRINT or press Reprint once fixed.",
        )
    if job.status is JobStatus.RETRYING and job.failure is not None:
        wait = ""
        if job.next_attempt_at is not None:
            seconds = max(0, round((job.next_attempt_at - now).total_seconds()))
            wait = f", trying again in {seconds} s" if seconds else ", trying again now"
        return PrintLine(PrintTone.WAITING, f"{what}: waiting, {failure_words(job.failure, job.detail)}{wait}")
    return PrintLine(PrintTone.WAITING, f"{what}: printing")


def panel_lines(overview: PrintOverview, configured: bool, now: datetime) -> list[PrintLine]:
    """The bench's print panel, most important first: failures, then waiting jobs, then the last seal."""
    if not configured and overview.last_order is None:
        return []
    if not configured:  # one line, not one per document: a bench without printers is a choice
        return [
            PrintLine(PrintTone.NOTE, "Printing is not set up: slips and labels are not printed (Settings, Printers)")
        ]
    lines: list[PrintLine] = []
    shown: set[int] = set()
    for job in overview.given_up:
        lines.append(job_line(job, now))
        shown.add(job.job_id)
    for job in overview.pending:
        if job.order_id != overview.last_order:
            lines.append(job_line(job, now))
            shown.add(job.job_id)
    for job in overview.last_jobs:
        if job.job_id not in shown:
            lines.append(job_line(job, now))
    if overview.last_order is not None and not overview.last_has_label:
        lines.append(
            PrintLine(PrintTone.NOTE, f"Order {overview.last_order} came without a shipping label: packing slip only")
        )
    return lines[:6]


def reprint_style(verdict: Verdict) -> VerdictStyle:
    """The verdict panel after ``CMD:REPRINT``."""
    if not verdict.named_order:
        return VerdictStyle("NOTHING TO REPRINT", "No package has been sealed at this bench yet", Tone.WAIT)
    documents = [DOCUMENT_WORDS[Document(value)] for value in verdict.detail.split(",") if value]
    what = " and ".join(documents) or "paperwork"
    return VerdictStyle("REPRINTING", f"Printing the {what} for order {verdict.named_order} again", Tone.INFO)
