"""A barcode scanner on a serial port (USB-CDC or RS-232), read on its own thread.

The seams follow pyserial's `serial.threaded` (the transport owns the port; framing lives in a separate
object) and OctoPrint's comm layer (a named monitor thread, one method that changes state, a pure
module-level parser tested with captured lines, a port factory that takes a URL so `loop://` works in
tests). The code is our own.

Three layers, each testable alone:

* `parse_scanner_line(raw)` — pure: one framed line -> `Scan` or `Rejection` (with a short reason).
* `LineFramer` — pure: a byte stream -> raw lines (CR, LF or CRLF by default), bounded memory.
* `SerialScanner` — frame, parse, report, on the thread of a `hardware.serial_link.SerialLink` (open,
  read; on unplug report DISCONNECTED and reopen with exponential backoff + jitter until `stop()`), the
  link the scale (`hardware.scale`) runs on too.
Raw bytes are logged on the `wire.scanner` logger at DEBUG (off by default).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime

import serial

from hardware.code_text import DEFAULT_MAX_CODE_BYTES, text_problem
from hardware.flood import LogThrottle
from hardware.scanning import Scan, ScanListener, notify, utc_now
from hardware.serial_link import OnSerialLink, SerialLink

logger = logging.getLogger(__name__)
wire_logger = logging.getLogger("wire.scanner")

#: A line longer than this (without its terminator) is rejected (see `hardware.code_text`).
DEFAULT_MAX_LINE_BYTES = DEFAULT_MAX_CODE_BYTES

_CR, _LF = 0x0D, 0x0A

# AIM symbology identifier (ISO/IEC 15424): "]" + symbology letter + one modifier character.
_AIM_RE = re.compile(r"\][A-Za-z][0-9A-Za-z]")


@dataclass(frozen=True)
class Rejection:
    """A line that is not a usable code: `reason` is short and meant for the log and the status bar."""

    reason: str
    raw: bytes


def split_aim_prefix(text: str) -> tuple[str | None, str]:
    """Split a leading AIM identifier (`]C1`, `]E0`, `]d2`, ...) off `text`.

    Returns `(symbology, data)`; `symbology` is None when there is no well-formed prefix.
    """
    if _AIM_RE.match(text):
        return text[:3], text[3:]
    return None, text


def parse_scanner_line(
    raw: bytes,
    *,
    source: str = "serial",
    max_len: int = DEFAULT_MAX_LINE_BYTES,
    aim: bool = True,
    received_at: datetime | None = None,
) -> Scan | Rejection:
    """Turn one framed scanner line into a `Scan`, or a `Rejection` saying why not.

    - trailing (and a stray leading) CR/LF are the terminator and are stripped;
    - with `aim=True` a leading AIM identifier becomes `Scan.symbology`;
    - GS (0x1D) inside GS1 data is kept; any other control byte rejects the line;
    - invalid UTF-8, empty lines, bare terminators and lines over `max_len` bytes are rejected.
    """
    body = raw.strip(b"\r\n")
    if not body:
        return Rejection("bare terminator" if raw else "empty line", raw)
    if len(body) > max_len:
        return Rejection(f"overlong line (more than {max_len} bytes)", raw)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejection(f"invalid UTF-8 at byte {exc.start}", raw)
    problem = text_problem(text)
    if problem is not None:
        return Rejection(problem, raw)
    symbology: str | None = None
    if aim:
        if text.startswith("]") and not _AIM_RE.match(text):
            return Rejection("malformed AIM symbology prefix", raw)
        symbology, text = split_aim_prefix(text)
        if not text:
            return Rejection(f"AIM prefix {symbology} without data", raw)
    return Scan(
        code=text,
        symbology=symbology,
        source=source,
        received_at=received_at if received_at is not None else utc_now(),
    )


class LineFramer:
    """Split a byte stream into lines, keeping each line's terminator for the log.

    With `terminator=None` a line ends at CR, LF or CRLF (a CRLF split across two reads is still one
    end). With an explicit terminator (e.g. `b"\\t"` or `b"\\r\\n"`) only that sequence ends a line.
    A line is never kept beyond `max_len + 1` bytes: the excess is dropped and the parser then rejects
    the line as overlong, so memory stays bounded whatever arrives.
    """

    def __init__(self, terminator: bytes | None = None, max_len: int = DEFAULT_MAX_LINE_BYTES) -> None:
        if terminator is not None and not terminator:
            raise ValueError("terminator must be None (CR/LF/CRLF) or a non-empty byte string")
        self._terminator = terminator
        self._max_len = max_len
        self._buf = bytearray()
        self._skip_lf = False  # the previous byte was a CR ending a line: a following LF completes CRLF
        self._tail = b""  # last received bytes, to spot an explicit terminator even in an overlong line
        self._dropped = 0

    @property
    def dropped_bytes(self) -> int:
        """Bytes discarded from overlong lines since the framer was created."""
        return self._dropped

    def _append(self, byte: int) -> None:
        if len(self._buf) <= self._max_len:
            self._buf.append(byte)
        else:
            self._dropped += 1

    def _take(self, ending: bytes) -> bytes:
        line = bytes(self._buf) + ending
        self._buf.clear()
        return line

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the lines they completed, terminators included."""
        lines: list[bytes] = []
        if self._terminator is None:
            for byte in data:
                if self._skip_lf:
                    self._skip_lf = False
                    if byte == _LF:
                        continue
                if byte in (_CR, _LF):
                    lines.append(self._take(bytes((byte,))))
                    self._skip_lf = byte == _CR
                else:
                    self._append(byte)
            return lines
        term = self._terminator
        for byte in data:
            # The terminator is matched on the last bytes *received*, not on the buffer: once a line
            # overflows, the buffer stops growing but the line must still end at the terminator.
            self._tail = (self._tail + bytes((byte,)))[-len(term) :]
            overflowing = len(self._buf) > self._max_len
            self._append(byte)
            if self._tail == term:
                if not overflowing:
                    del self._buf[-len(term) :]
                lines.append(self._take(term))
                self._tail = b""
        return lines

    def flush(self) -> bytes:
        """Return and forget an unterminated partial line (e.g. at unplug)."""
        partial = bytes(self._buf)
        self._buf.clear()
        self._skip_lf = False
        self._tail = b""
        return partial


class SerialScanner(OnSerialLink):
    """A scanner on a serial port, read on a named worker thread, reconnecting after unplug.

    `port` is a device path (`/dev/ttyACM0`, `COM3`, a stable `/dev/serial/by-id/...` link) or any
    pyserial URL (`loop://`, `spy://...`, `rfc2217://host:port`). Every scan, rejection and state change
    goes to `listener` from the worker thread; wrap it in `hardware.qt.ScannerBridge` to get Qt signals
    on the GUI thread. The thread, the states and the reconnect are `hardware.serial_link.SerialLink`'s.
    """

    def __init__(
        self,
        port: str,
        listener: ScanListener,
        baudrate: int = 9600,
        terminator: bytes | None = None,
        reconnect_initial_s: float = 0.2,
        reconnect_max_s: float = 5.0,
        *,
        aim: bool = True,
        max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
        read_timeout_s: float = 0.1,
        exclusive: bool = True,
    ) -> None:
        if not port:
            raise ValueError("serial scanner needs a port (e.g. /dev/ttyACM0, COM3 or loop://)")
        self.port = port
        self.source = f"serial:{port}"
        self._listener = listener
        self._terminator = terminator
        self._aim = aim
        self._max_line_bytes = max_line_bytes
        self._log_throttle = LogThrottle()
        self._framer = LineFramer(terminator, max_line_bytes)
        self._link = SerialLink(
            port,
            self,
            self._report_state,
            thread_name=f"scanner-{self.source}",
            log_name=self.source,
            baudrate=baudrate,
            reconnect_initial_s=reconnect_initial_s,
            reconnect_max_s=reconnect_max_s,
            read_timeout_s=read_timeout_s,
            exclusive=exclusive,
            wire_logger=wire_logger,
        )

    # -- reporting (state, start and stop: OnSerialLink) --------------------------------------------

    def _reject(self, reason: str, raw: bytes) -> None:
        # A flood of garbage must not become a flood of log lines: at most 10 in 10 s, then a count.
        log_it, held = self._log_throttle.admit(time.monotonic())
        if log_it:
            logger.warning(
                "%s: rejected input: %s (%r)%s",
                self.source,
                reason,
                raw[:80],
                f"; {held} more rejected lines not logged" if held else "",
            )
        notify(self.source, self._listener.scan_rejected, self.source, reason, raw)

    def _deliver(self, line: bytes) -> None:
        result = parse_scanner_line(line, source=self.source, max_len=self._max_line_bytes, aim=self._aim)
        if isinstance(result, Rejection):
            self._reject(result.reason, result.raw)
        else:
            logger.debug("%s: scan %r symbology=%s", self.source, result.code, result.symbology)
            notify(self.source, self._listener.scan_received, result)

    # -- the link's handler (called on the reader thread) -----------------------------------------

    def opened(self, port: serial.SerialBase) -> None:
        self._framer = LineFramer(self._terminator, self._max_line_bytes)

    def received(self, data: bytes) -> None:
        for line in self._framer.feed(data):
            self._deliver(line)

    def idle(self, port: serial.SerialBase) -> None:
        """A scanner only listens."""

    def closed(self, lost: str | None) -> None:
        partial = self._framer.flush()
        if partial:
            why = "device disconnected" if lost else "scanner stopped"
            self._reject(f"partial line discarded: {why}", partial)
