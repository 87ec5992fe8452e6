"""A CUPS queue, driven through the ``lp`` and ``lpstat`` commands (Debian's ``cups-client``).

Why the commands rather than pycups: they are what an administrator types to check a queue, they need no C
extension built against libcups, and they take the same ``-h host:port`` to reach another CUPS server. A job
counts as accepted when ``lp`` exits 0 with ``request id is QUEUE-N``: from then on it is CUPS's (spooled on
disk, kept across a CUPS restart, printed when the printer comes back). ``lp`` failing (the server is down,
the queue rejects jobs or does not exist) raises :class:`~hardware.printers.PrinterError` with the fault.

PDF goes to the queue as it is (CUPS's filters render it for the printer); ZPL goes with ``-o raw`` to a raw
queue in front of a label printer.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from dataclasses import dataclass

from hardware.printers import PrinterError, PrinterFault

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 30.0
_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class QueueInfo:
    """One CUPS queue as ``lpstat`` reports it."""

    name: str
    enabled: bool
    accepting: bool
    state: str  # lpstat's own words: "is idle", "now printing PDF-3", "disabled since ..."


def _server_args(server: str | None) -> list[str]:
    return ["-h", server] if server else []


def _run(argv: list[str], data: bytes | None, timeout: float) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # lp's messages in English, which _fault reads
    try:
        return subprocess.run(argv, input=data, capture_output=True, timeout=timeout, env=env, check=False)
    except FileNotFoundError as exc:
        raise PrinterError(
            PrinterFault.UNREACHABLE, f"the {argv[0]} command is not installed (Debian: apt-get install cups-client)"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise PrinterError(PrinterFault.UNREACHABLE, f"{argv[0]} did not answer within {timeout:.0f} s") from exc


def _fault(message: str) -> PrinterFault:
    text = message.lower()
    if "unable to connect" in text or "connection refused" in text or "bad file descriptor" in text:
        return PrinterFault.UNREACHABLE
    if "scheduler is not running" in text or "no route" in text or "timed out" in text:
        return PrinterFault.UNREACHABLE
    if "does not exist" in text or "not found" in text or "no such" in text:
        return PrinterFault.NO_SUCH_QUEUE
    if "not accepting" in text:
        return PrinterFault.NOT_ACCEPTING
    return PrinterFault.REFUSED


class CupsQueue:
    """``send`` a document to one queue (on ``server``, or lp's default server)."""

    def __init__(self, queue: str, server: str | None = None, raw: bool = False, timeout: float = DEFAULT_TIMEOUT_S):
        self.queue = queue
        self.server = server
        self.raw = raw
        self.timeout = timeout

    def scheduler_running(self) -> bool:
        return scheduler_running(self.server, min(self.timeout, 10.0))

    def send(self, data: bytes, title: str) -> str | None:
        """Submit ``data`` as one job titled ``title``; the CUPS request id once the queue accepted it."""
        argv = ["lp", *_server_args(self.server), "-d", self.queue, "-t", title[:200]]
        if self.raw:
            argv += ["-o", "raw"]
        argv.append("-")
        result = _run(argv, data, self.timeout)
        out = result.stdout.decode("utf-8", "replace")
        err = result.stderr.decode("utf-8", "replace").strip()
        if result.returncode != 0:
            message = err or out.strip() or f"lp exited with status {result.returncode}"
            fault = _fault(message)
            if fault is PrinterFault.NO_SUCH_QUEUE and not self.scheduler_running():
                # lp says "The printer or class does not exist" when it cannot reach the server at all.
                where = self.server or "the local CUPS server"
                raise PrinterError(PrinterFault.UNREACHABLE, f"{where} is not running or not reachable")
            raise PrinterError(fault, message.removeprefix("lp: "))
        found = _REQUEST_ID.search(out)
        logger.info("CUPS queue %s accepted %r as %s", self.queue, title, found.group(1) if found else "?")
        return found.group(1) if found else None


def scheduler_running(server: str | None = None, timeout: float = 10.0) -> bool:
    """True when the CUPS server answers (``lpstat -r``)."""
    try:
        result = _run(["lpstat", *_server_args(server), "-r"], None, timeout)
    except PrinterError:
        return False
    return result.stdout.decode("utf-8", "replace").strip() == "scheduler is running"


def list_queues(server: str | None = None, timeout: float = 10.0) -> list[QueueInfo]:
    """The queues of ``server`` (lp's default when None), for the settings dialog; raises ``PrinterError``."""
    result = _run(["lpstat", *_server_args(server), "-p", "-a"], None, timeout)
    out = result.stdout.decode("utf-8", "replace")
    err_lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    err = err_lines[0] if err_lines else ""  # lpstat repeats its error once per option
    if result.returncode != 0 and not out.strip():
        if "no destinations" in err.lower():
            return []
        raise PrinterError(
            _fault(err or "lpstat failed"), (err or f"lpstat exited {result.returncode}").removeprefix("lpstat: ")
        )
    states: dict[str, tuple[bool, str]] = {}
    accepting: dict[str, bool] = {}
    for line in out.splitlines():
        if line.startswith("printer "):
            parts = line.split(maxsplit=2)
            if len(parts) >= 3:
                rest = parts[2].rstrip(".")
                states[parts[1]] = ("disabled" not in rest, rest)
        elif " accepting requests" in line:
            name = line.split()[0]
            accepting[name] = " not accepting requests" not in line
    return [
        QueueInfo(name=name, enabled=enabled, accepting=accepting.get(name, True), state=state)
        for name, (enabled, state) in sorted(states.items())
    ]
