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
from ui import plural
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.verdict_tone import Tone, VerdictStyle

DOCUMENT_WORDS = {
    Document.PACKING_SLIP: QT_TRANSLATE_NOOP("Printing", "packing slip"),
    Document.SHIPPING_LABEL: QT_TRANSLATE_NOOP("Printing", "shipping label"),
}

FAILURE_WORDS = {
    PrintFailure.UNREACHABLE: QT_TRANSLATE_NOOP(
        "Printing", "printer not reachable (off, unplugged or off the network)"
    ),
    PrintFailure.NOT_ACCEPTING: QT_TRANSLATE_NOOP("Printing", "the print queue is not accepting jobs"),
    PrintFailure.NO_SUCH_QUEUE: QT_TRANSLATE_NOOP("Printing", "no such print queue on the print server"),
    PrintFailure.OUT_OF_PAPER: QT_TRANSLATE_NOOP("Printing", "printer out of paper"),
    PrintFailure.HEAD_OPEN: QT_TRANSLATE_NOOP("Printing", "printer head open"),
    PrintFailure.PAUSED: QT_TRANSLATE_NOOP("Printing", "printer paused"),
    PrintFailure.REFUSED: QT_TRANSLATE_NOOP("Printing", "the printer refused the job"),
    PrintFailure.NO_PRINTER: QT_TRANSLATE_NOOP("Printing", "no printer is set for it (Settings, Printers)"),
    PrintFailure.WRONG_LANGUAGE: QT_TRANSLATE_NOOP(
        "Printing", "the printer set for it cannot print this kind of document"
    ),
    PrintFailure.NO_LABEL: QT_TRANSLATE_NOOP("Printing", "the order's label is gone"),
    PrintFailure.NO_ORDER: QT_TRANSLATE_NOOP("Printing", "the order is gone"),
    PrintFailure.UNPRINTABLE: QT_TRANSLATE_NOOP("Printing", "the document could not be made"),
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
    PrintTone.PRINTED: (QT_TRANSLATE_NOOP("Printing", "PRINTED"), "#1b7f3b", "check"),
    PrintTone.WAITING: (QT_TRANSLATE_NOOP("Printing", "WAITING"), "#9a6700", "hourglass"),
    PrintTone.FAILED: (QT_TRANSLATE_NOOP("Printing", "NOT PRINTED"), "#b3261e", "cross"),
    PrintTone.NOTE: (QT_TRANSLATE_NOOP("Printing", "NOTE"), "#555555", "info"),
}


def tone_headline(tone: PrintTone) -> str:
    """The panel line's headline word in the current language."""
    return translate("Printing", TONE_LOOK[tone][0])


@dataclass(frozen=True)
class PrintLine:
    tone: PrintTone
    text: str


def document_words(document: Document) -> str:
    return translate("Printing", DOCUMENT_WORDS[document])


def failure_words(failure: PrintFailure | None, detail: str | None = None) -> str:
    if failure is None:
        return ""
    words = translate("Printing", FAILURE_WORDS[failure])
    return f"{words}: {detail}" if detail and failure in (PrintFailure.REFUSED, PrintFailure.UNPRINTABLE) else words


def _what(job: JobView) -> str:
    if job.document is Document.SHIPPING_LABEL:
        return translate("Printing", "Shipping label for order {order}").format(order=job.order_id)
    return translate("Printing", "Packing slip for order {order}").format(order=job.order_id)


def job_line(job: JobView, now: datetime) -> PrintLine:
    """One job in one line: what, for which order, where it stands."""
    what = _what(job)
    if job.status is JobStatus.PRINTED:
        return PrintLine(PrintTone.PRINTED, translate("Printing", "{what}: printed").format(what=what))
    if job.status is JobStatus.GIVEN_UP:
        return PrintLine(
            PrintTone.FAILED,
            translate("Printing", "{what}: not printed, {why}. Scan CMD:REPRINT or press Reprint once fixed.").format(
                what=what, why=failure_words(job.failure, job.detail)
            ),
        )
    if job.status is JobStatus.RETRYING and job.failure is not None:
        why = failure_words(job.failure, job.detail)
        seconds = None
        if job.next_attempt_at is not None:
            seconds = max(0, round((job.next_attempt_at - now).total_seconds()))
        if seconds is None:
            text = translate("Printing", "{what}: waiting, {why}")
        elif seconds:
            text = plural.translate("Printing", "{what}: waiting, {why}, trying again in %n s", None, 0)(seconds)
        else:
            text = translate("Printing", "{what}: waiting, {why}, trying again now")
        return PrintLine(PrintTone.WAITING, text.format(what=what, why=why))
    return PrintLine(PrintTone.WAITING, translate("Printing", "{what}: printing").format(what=what))


def panel_lines(overview: PrintOverview, configured: bool, now: datetime) -> list[PrintLine]:
    """The bench's print panel, most important first: failures, then waiting jobs, then the last seal."""
    if not configured and overview.last_order is None:
        return []
    if not configured:  # one line, not one per document: a bench without printers is a choice
        return [
            PrintLine(
                PrintTone.NOTE,
                translate("Printing", "Printing is not set up: slips and labels are not printed (Settings, Printers)"),
            )
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
            PrintLine(
                PrintTone.NOTE,
                translate("Printing", "Order {order} came without a shipping label: packing slip only").format(
                    order=overview.last_order
                ),
            )
        )
    return lines[:6]


def reprint_style(verdict: Verdict) -> VerdictStyle:
    """The verdict panel after ``CMD:REPRINT``."""
    if not verdict.named_order:
        return VerdictStyle(
            translate("Printing", "NOTHING TO REPRINT"),
            translate("Printing", "No package has been sealed at this bench yet"),
            Tone.WAIT,
        )
    documents = {Document(value) for value in verdict.detail.split(",") if value}
    if documents == {Document.PACKING_SLIP, Document.SHIPPING_LABEL}:
        text = translate("Printing", "Printing the packing slip and shipping label for order {order} again")
    elif documents == {Document.SHIPPING_LABEL}:
        text = translate("Printing", "Printing the shipping label for order {order} again")
    elif documents == {Document.PACKING_SLIP}:
        text = translate("Printing", "Printing the packing slip for order {order} again")
    else:
        text = translate("Printing", "Printing the paperwork for order {order} again")
    return VerdictStyle(translate("Printing", "REPRINTING"), text.format(order=verdict.named_order), Tone.INFO)
