"""`packgate print ...`: the printers and the print jobs from the command line.

    packgate print configure --slip cups:Office --label tcp:10.0.4.21:9100 --paper letter
    packgate print queues [--server HOST:PORT]     # the CUPS queues, as the settings dialog lists them
    packgate print test slip|label                  # a test page on the printer set for it
    packgate print jobs [--json] [--order ID]       # the print jobs, newest first
    packgate print run                              # print what is due now, once, and exit (no window)

Exit status: 0 done; 2 bad arguments; 4 a printer did not take the job (``print test``; ``print run`` when
a job failed), with the reason in words.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from hardware.printers import PrinterError
from hardware.printers.cups import list_queues
from station.printing.jobs import JobStatus, PrintFailed, PrintJobs
from station.printing.settings import PrintSettings
from ui.commands import CommandError
from ui.commands.common import open_station, write_json, write_line
from ui.printing.runner import PrintRunner, print_test_page
from ui.printing.setup import with_overrides
from ui.printing.words import document_words, failure_words

EXIT_NOT_PRINTED = 4


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    pr = sub.add_parser("print", help="printers and print jobs (packing slips, shipping labels)", parents=[common])
    psub = pr.add_subparsers(dest="print_command", metavar="ACTION", required=True)
    conf = psub.add_parser("configure", help="save the slip and label printers and the paper", parents=[common])
    conf.add_argument("--slip", metavar="SPEC", help="cups:QUEUE[@HOST:PORT]")
    conf.add_argument("--label", metavar="SPEC", help="tcp:HOST[:PORT], cups-zpl:QUEUE or cups:QUEUE")
    conf.add_argument("--paper", choices=("a4", "letter"))
    conf.set_defaults(func=cmd_configure)
    queues = psub.add_parser("queues", help="list the CUPS queues", parents=[common])
    queues.add_argument("--server", metavar="HOST:PORT", help="a CUPS server other than lp's default")
    queues.set_defaults(func=cmd_queues)
    test = psub.add_parser("test", help="print a test page on the slip or label printer", parents=[common])
    test.add_argument("document", choices=("slip", "label"))
    test.set_defaults(func=cmd_test)
    jobs = psub.add_parser("jobs", help="the print jobs, newest first", parents=[common])
    jobs.add_argument("--json", action="store_true")
    jobs.add_argument("--order", metavar="ID")
    jobs.add_argument("--limit", type=int, default=50)
    jobs.set_defaults(func=cmd_jobs)
    run = psub.add_parser("run", help="print the jobs that are due now, once", parents=[common])
    run.set_defaults(func=cmd_run)


def cmd_configure(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        settings = station.settings.read(PrintSettings)
        try:
            # The command line's one-word printers are saved under the names "slip" and "label".
            changed = with_overrides(PrintSettings(), args.slip, args.label, args.paper)
        except ValueError as exc:
            raise CommandError(str(exc), 2) from exc
        for printer in changed.printers:
            is_slip = printer.name == changed.slip_printer
            named = replace(printer, name="slip" if is_slip else "label")
            settings = settings.with_printer(named)
            if is_slip:
                settings = replace(settings, slip_printer=named.name)
            else:
                settings = replace(settings, label_printer=named.name)
        if args.paper:
            settings = replace(settings, paper=changed.paper)
        station.settings.write(settings)
        station.settings.save()
        for role, name in (("slip", settings.slip_printer), ("label", settings.label_printer)):
            chosen = settings.printer(name)
            write_line(f"{role}: {chosen.describe() if chosen else 'not set'}")
        write_line(f"paper: {settings.paper.value}")
    return 0


def cmd_queues(args: argparse.Namespace) -> int:
    try:
        queues = list_queues(args.server)
    except PrinterError as exc:
        raise CommandError(f"cannot list the CUPS queues: {exc.detail}", EXIT_NOT_PRINTED) from exc
    if not queues:
        write_line("no CUPS queues")
    for q in queues:
        flags = ("" if q.enabled else " (paused)") + ("" if q.accepting else " (not accepting jobs)")
        write_line(f"{q.name}: {q.state}{flags}")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        settings = station.settings.read(PrintSettings)
    printer = settings.printer(settings.slip_printer if args.document == "slip" else settings.label_printer)
    if printer is None:
        raise CommandError(f"no {args.document} printer is set: packgate print configure --{args.document} SPEC", 2)
    try:
        reference = print_test_page(printer, settings.paper)
    except PrintFailed as exc:
        raise CommandError(
            f"test page not printed on {printer.describe()}: {failure_words(exc.failure, exc.detail)} ({exc.detail})",
            EXIT_NOT_PRINTED,
        ) from exc
    write_line(f"test page sent to {printer.describe()}" + (f" ({reference})" if reference else ""))
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        jobs = PrintJobs(station.db, station.station_id, station.clock).jobs(args.limit, args.order)
    if args.json:
        write_json(
            [
                {
                    "id": j.job_id,
                    "order_id": j.order_id,
                    "document": j.document.value,
                    "reason": j.reason.value,
                    "status": j.status.value,
                    "attempts": j.attempts,
                    "failure": j.failure.value if j.failure else None,
                    "error": j.detail,
                    "printer": j.printer,
                    "printer_job": j.printer_job,
                    "created_at": j.created_at.isoformat(),
                    "printed_at": j.printed_at.isoformat() if j.printed_at else None,
                }
                for j in jobs
            ]
        )
        return 0
    if not jobs:
        write_line("no print jobs")
    for j in jobs:
        why = f": {failure_words(j.failure, j.detail)}" if j.failure and j.status is not JobStatus.PRINTED else ""
        write_line(
            f"{j.job_id} {j.order_id} {document_words(j.document)} ({j.reason.value}): {j.status.value}"
            f"{why} [{j.attempts} attempt(s){', ' + j.printer if j.printer else ''}]"
        )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        jobs = PrintJobs(station.db, station.station_id, station.clock)
        settings = station.settings.read(PrintSettings)
        outcomes = PrintRunner(jobs, lambda: settings).run_due()
    failed = 0
    for o in outcomes:
        what = f"{document_words(o.job.document)} for order {o.job.order_id}"
        if o.status is JobStatus.PRINTED:
            write_line(f"{what}: printed")
        else:
            failed += 1
            write_line(f"{what}: {o.status.value.replace('_', ' ')}, {failure_words(o.failure, o.detail)}")
    if not outcomes:
        write_line("nothing to print")
    return EXIT_NOT_PRINTED if failed else 0
