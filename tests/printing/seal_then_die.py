"""A station process for test_kill9.py, which kill -9s it: it seals an order with a label, says SEALED, and
then either waits to be killed (``seal``) or first tries to print on a printer that is off until a job is
waiting for its retry, says RETRYING, and waits (``retry HOST:PORT``).

Usage: python -m tests.printing.seal_then_die DB_PATH seal|retry [HOST:PORT]
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from station.clock import SystemClock
from station.db import Database
from station.orders import import_orders
from station.printing.jobs import JobStatus, PrintJobs
from station.printing.settings import PrintSettings, parse_printer_spec
from station.service import StationService
from tests.printing.conftest import labelled_orders, pack_and_seal
from ui.printing.worker import PrintWorker


def say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def main(db_path: str, mode: str, printer: str | None = None) -> None:
    db = Database.open(Path(db_path))
    clock = SystemClock()
    import_orders(db, labelled_orders(), "S1", clock)
    service = StationService(db, "S1", clock=clock)
    service.set_packer("P1")
    jobs = PrintJobs(db, "S1", clock, backoff_s=(0.2,))
    worker = None
    if mode == "retry":
        assert printer is not None
        settings = PrintSettings(printers=(parse_printer_spec("zebra", f"tcp:{printer}"),), label_printer="zebra")
        worker = PrintWorker(jobs, settings, poll_s=0.1)
        worker.start()
    pack_and_seal(service)
    say("SEALED")
    if worker is not None:
        while not any(j.status is JobStatus.RETRYING and j.attempts >= 1 for j in jobs.jobs()):
            time.sleep(0.01)
        say("RETRYING")
    threading.Event().wait()  # until kill -9


if __name__ == "__main__":
    main(*sys.argv[1:])
