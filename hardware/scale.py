"""A bench scale on a serial port, read on its own thread: the sibling of `hardware.serial_scanner`.

Same shape: the thread, its states and the reconnect after unplug are a `hardware.serial_link.SerialLink`;
bytes are framed by the scanner's `LineFramer` (CR, LF or CRLF); each line goes through the pure parser of
the chosen protocol (`hardware.scale_protocols`); what comes out goes to a `ScaleListener`, which
`hardware.scale_qt.ScaleBridge` turns into Qt signals on the GUI thread.

For the request/answer protocols (MT-SICS, SMA) the reader sends the protocol's request every
`poll_interval_s` (sooner when an answer arrived: one request waits for its answer, at most `answer_timeout_s`).
When nothing usable was heard for `silence_s` the listener gets one SILENT reading (a scale that is plugged
in but set to another protocol or baud rate), repeated only after the scale spoke again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

import serial

from hardware.flood import LogThrottle
from hardware.scale_protocols import (
    MAX_SCALE_LINE_BYTES,
    ReadingKind,
    ScaleProblem,
    ScaleProtocol,
    ScaleReading,
    parse_scale_line,
)
from hardware.scanning import DeviceState, notify
from hardware.serial_link import OnSerialLink, SerialLink
from hardware.serial_scanner import LineFramer

logger = logging.getLogger(__name__)
wire_logger = logging.getLogger("wire.scale")

__all__ = ["ScaleListener", "SerialScale"]


class ScaleListener(Protocol):
    def reading_received(self, reading: ScaleReading) -> None: ...

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None: ...


class SerialScale(OnSerialLink):
    """A scale on `port` (a device path or a pyserial URL) speaking `protocol`."""

    def __init__(
        self,
        port: str,
        listener: ScaleListener,
        protocol: ScaleProtocol = ScaleProtocol.MTSICS,
        baudrate: int = 9600,
        *,
        poll_interval_s: float = 0.2,
        answer_timeout_s: float = 1.0,
        silence_s: float = 2.0,
        reconnect_initial_s: float = 0.2,
        reconnect_max_s: float = 5.0,
        read_timeout_s: float = 0.05,
        exclusive: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not port:
            raise ValueError("a scale needs a port (e.g. /dev/ttyUSB1, COM4 or loop://)")
        if poll_interval_s <= 0 or answer_timeout_s <= 0 or silence_s <= 0:
            raise ValueError("poll_interval_s, answer_timeout_s and silence_s must be positive")
        self.port = port
        self.protocol = ScaleProtocol(protocol)
        self.source = f"scale:{port}"
        self._listener = listener
        self._poll_interval_s = poll_interval_s
        self._answer_timeout_s = answer_timeout_s
        self._silence_s = silence_s
        self._clock = clock
        self._framer = LineFramer(max_len=MAX_SCALE_LINE_BYTES)
        self._asked_at: float | None = None  # a request waits for its answer since then
        self._last_sent = 0.0
        self._heard_at = 0.0  # the last line that was the protocol (a weight or a status)
        self._silent_reported = False
        self._log_throttle = LogThrottle()
        self._link = SerialLink(
            port,
            self,
            self._report_state,
            thread_name=f"scale-{port}",
            log_name=self.source,
            baudrate=baudrate,
            reconnect_initial_s=reconnect_initial_s,
            reconnect_max_s=reconnect_max_s,
            read_timeout_s=read_timeout_s,
            exclusive=exclusive,
            wire_logger=wire_logger,
        )

    # -- reporting --------------------------------------------------------------------------------

    def _deliver(self, reading: ScaleReading) -> None:
        reading = replace(reading, source=self.source, at=self._clock())
        if reading.kind is ReadingKind.GARBAGE:
            log_it, held = self._log_throttle.admit(time.monotonic())
            if log_it:
                logger.warning(
                    "%s: not a %s line: %s (%r)%s",
                    self.source,
                    self.protocol.value,
                    reading.problem.value if reading.problem else "?",
                    reading.raw[:80],
                    f"; {held} more not logged" if held else "",
                )
        notify(self.source, self._listener.reading_received, reading)

    # -- the link's handler (called on the reader thread) -----------------------------------------

    def opened(self, port: serial.SerialBase) -> None:
        self._framer = LineFramer(max_len=MAX_SCALE_LINE_BYTES)
        now = self._clock()
        self._asked_at = None
        self._last_sent = 0.0
        self._heard_at = now
        self._silent_reported = False

    def received(self, data: bytes) -> None:
        for line in self._framer.feed(data):
            reading = parse_scale_line(line, self.protocol)
            if reading is None:
                continue  # a lone terminator (SMA answers begin with LF)
            if reading.kind is not ReadingKind.GARBAGE:
                self._heard_at = self._clock()
                self._silent_reported = False
            self._asked_at = None  # answered (even garbage is an answer: ask again)
            self._deliver(reading)

    def idle(self, port: serial.SerialBase) -> None:
        now = self._clock()
        request = self.protocol.request
        if request is not None:
            waiting = self._asked_at is not None and now - self._asked_at < self._answer_timeout_s
            if not waiting and now - self._last_sent >= self._poll_interval_s:
                port.write(request)
                self._asked_at = self._last_sent = now
        if not self._silent_reported and now - self._heard_at >= self._silence_s:
            self._silent_reported = True
            self._deliver(ScaleReading(ReadingKind.SILENT, None, ScaleProblem.NO_ANSWER))

    def closed(self, lost: str | None) -> None:
        partial = self._framer.flush()
        if partial:
            logger.info("%s: partial line dropped (%s): %r", self.source, lost or "stopped", partial[:80])
