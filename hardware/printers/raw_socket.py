"""A raw TCP printer (port 9100): a Zebra-style label printer taking ZPL, or any JetDirect-style socket.

The protocol has no acknowledgement: the document counts as accepted when the printer took every byte and
the connection closed cleanly (``sendall``, then a half-close, then the printer's own close or a short
drain). A refused or unreachable port, a reset mid-send or a timeout is ``PrinterFault.UNREACHABLE``: the
job is retried, and a Zebra drops an incomplete ``^XA``...``^XZ`` format, so a broken send prints nothing.

With ``status_check`` the printer is asked first for its host status (ZPL ``~HS``: three lines between STX
and ETX); paper out, a paused printer and an open head are reported as such and nothing is sent, so the
label is not lost in a printer that cannot print it. Printers that do not answer ``~HS`` need it off.
"""

from __future__ import annotations

import logging
import socket

from hardware.printers import PrinterError, PrinterFault

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
STX, ETX = b"\x02", b"\x03"


class RawSocketPrinter:
    def __init__(self, host: str, port: int = 9100, timeout: float = DEFAULT_TIMEOUT_S, status_check: bool = False):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.status_check = status_check

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError as exc:
            raise PrinterError(
                PrinterFault.UNREACHABLE, f"{self.address}: no answer within {self.timeout:.0f} s"
            ) from exc
        except OSError as exc:
            raise PrinterError(PrinterFault.UNREACHABLE, f"{self.address}: {exc.strerror or exc}") from exc

    def send(self, data: bytes, title: str) -> str | None:
        """Send ``data`` whole; returns None (a raw printer has no job id)."""
        if self.status_check:
            check_status(self.host_status())
        conn = self._connect()
        try:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
            conn.settimeout(min(self.timeout, 2.0))
            try:
                while conn.recv(4096):  # the printer's close (or a few status bytes), whichever comes first
                    pass
            except TimeoutError:
                pass  # many printers keep the socket open: every byte was taken, which is all 9100 can say
        except OSError as exc:
            raise PrinterError(
                PrinterFault.UNREACHABLE, f"{self.address}: {exc.strerror or exc} while sending"
            ) from exc
        finally:
            conn.close()
        logger.info("raw printer %s took %r (%d bytes)", self.address, title, len(data))
        return None

    def host_status(self) -> list[list[str]]:
        """The printer's answer to ``~HS``: three lists of comma-separated fields."""
        conn = self._connect()
        try:
            conn.sendall(b"~HS\r\n")
            buffer = b""
            while buffer.count(ETX) < 3:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                buffer += chunk
        except TimeoutError as exc:
            raise PrinterError(
                PrinterFault.UNREACHABLE, f"{self.address}: no answer to the status query (~HS)"
            ) from exc
        except OSError as exc:
            raise PrinterError(PrinterFault.UNREACHABLE, f"{self.address}: {exc.strerror or exc}") from exc
        finally:
            conn.close()
        parts = [part.split(ETX)[0] for part in buffer.split(STX)[1:]]
        if len(parts) < 3:
            raise PrinterError(
                PrinterFault.UNREACHABLE, f"{self.address}: no host status answer (~HS); is it a ZPL printer?"
            )
        return [part.decode("latin-1").split(",") for part in parts[:3]]


def check_status(status: list[list[str]]) -> None:
    """Raise for a printer that cannot print now (string 1: field 2 paper out, field 3 paused; string 2:
    field 3 head open), per the ZPL programming guide's ``~HS`` layout."""
    first, second = status[0], status[1]
    if len(first) > 1 and first[1].strip() == "1":
        raise PrinterError(PrinterFault.OUT_OF_PAPER, "the label printer is out of paper")
    if len(second) > 2 and second[2].strip() == "1":
        raise PrinterError(PrinterFault.HEAD_OPEN, "the label printer's head is open")
    if len(first) > 2 and first[2].strip() == "1":
        raise PrinterError(PrinterFault.PAUSED, "the label printer is paused")
