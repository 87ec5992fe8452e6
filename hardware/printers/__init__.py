"""Printers: a CUPS queue (through the ``lp`` and ``lpstat`` commands) and a raw TCP socket (port 9100, the
Zebra-style label printer's and HP JetDirect's). Each adapter has one method, ``send(data, title)``, which
returns once the printer or its queue has accepted the whole document (the CUPS request id, when there is
one) or raises :class:`PrinterError` with a :class:`PrinterFault` and a detail; it never prints a word for
a person (the UI does that) and never blocks longer than its timeout.

Neither adapter keeps a connection or a thread: the print worker (``ui.printing.worker``) calls them from its
own thread, one job at a time.
"""

from __future__ import annotations

import enum


class PrinterFault(enum.StrEnum):
    """What went wrong at the printer (the values are ``station.printing.jobs.PrintFailure``'s)."""

    UNREACHABLE = "unreachable"
    NOT_ACCEPTING = "not_accepting"
    NO_SUCH_QUEUE = "no_such_queue"
    OUT_OF_PAPER = "out_of_paper"
    HEAD_OPEN = "head_open"
    PAUSED = "paused"
    REFUSED = "refused"


class PrinterError(Exception):
    def __init__(self, fault: PrinterFault, detail: str) -> None:
        super().__init__(f"{fault.value}: {detail}")
        self.fault = fault
        self.detail = detail


__all__ = ["PrinterError", "PrinterFault"]
