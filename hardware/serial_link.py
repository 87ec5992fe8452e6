"""One serial device on its own thread: open, read, report the state, reopen after unplug. Shared by the
serial scanner (`hardware.serial_scanner`) and the scale (`hardware.scale`), which differ only in what they
do with the bytes (and the scale in what it sends).

Reconnect uses tenacity (`Retrying` with `wait_exponential + wait_random`) rather than a hand-written
backoff loop; its `sleep` hook is the stop event's `wait`, so `stop()` interrupts a backoff at once.

States: CONNECTING (after `start()`), CONNECTED (port open), DISCONNECTED (lost or cannot open; retrying
with backoff from `reconnect_initial_s` doubling up to `reconnect_max_s`, plus jitter), STOPPED (after
`stop()`, or when the port settings can never work).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

import serial
import tenacity

from hardware.scanning import DeviceState, notify
from hardware.worker import DeviceThread, sleeper

logger = logging.getLogger(__name__)

__all__ = ["LinkHandler", "SerialLink"]


class LinkHandler(Protocol):
    """What a device does on the link's thread."""

    def opened(self, port: serial.SerialBase) -> None:
        """The port has just (re)opened: start afresh (a new framer, a first request)."""

    def received(self, data: bytes) -> None:
        """Bytes arrived (any amount: a line may be split over several calls)."""

    def idle(self, port: serial.SerialBase) -> None:
        """Called after every read, data or not (at least every `read_timeout_s`): time to send a request.
        May raise `serial.SerialException` / `OSError` when the port is gone."""

    def closed(self, lost: str | None) -> None:
        """The port is closed: `lost` says why when it was lost, None when the device was stopped."""


class _StopRequested(Exception):
    """Raised inside the reconnect loop when `stop()` was called; never retried."""


class SerialLink:
    """Reads `port` on a thread named `thread_name`, handing bytes to `handler`; reports states to
    `report(state, detail)` (only real changes, so retries do not flood the screen)."""

    def __init__(
        self,
        port: str,
        handler: LinkHandler,
        report: Callable[[DeviceState, str], None],
        *,
        thread_name: str,
        log_name: str,
        baudrate: int = 9600,
        reconnect_initial_s: float = 0.2,
        reconnect_max_s: float = 5.0,
        read_timeout_s: float = 0.1,
        exclusive: bool = True,
        wire_logger: logging.Logger | None = None,
    ) -> None:
        if not port:
            raise ValueError("a serial device needs a port (e.g. /dev/ttyACM0, COM3 or loop://)")
        if baudrate <= 0:
            raise ValueError(f"baud rate must be positive, got {baudrate}")
        if reconnect_initial_s <= 0 or reconnect_max_s < reconnect_initial_s:
            raise ValueError("need 0 < reconnect_initial_s <= reconnect_max_s")
        self.port = port
        self.baudrate = baudrate
        self._handler = handler
        self._report = report
        self._log_name = log_name
        self._reconnect_initial_s = reconnect_initial_s
        self._reconnect_max_s = reconnect_max_s
        self._read_timeout_s = read_timeout_s
        self._exclusive = exclusive
        self._wire = wire_logger
        self._state = DeviceState.STOPPED
        self._state_lock = threading.Lock()
        self._worker = DeviceThread(thread_name, self._run)
        self.stop_event = self._worker.stop_event

    @property
    def state(self) -> DeviceState:
        return self._state

    @property
    def is_running(self) -> bool:
        return self._worker.is_running

    def start(self) -> None:
        """Start the reader thread (idempotent while running)."""
        if self.is_running:
            return
        self.set_state(DeviceState.CONNECTING, f"opening {self.port}")
        self._worker.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the thread to end and wait up to `timeout` s; True when it has ended."""
        return self._worker.stop(timeout)

    def set_state(self, state: DeviceState, detail: str) -> None:
        """The one place the state changes; reports only real changes so retries do not flood the UI."""
        with self._state_lock:
            if state is self._state and state is not DeviceState.CONNECTING:
                return
            self._state = state
        logger.info("%s: %s (%s)", self._log_name, state.value, detail)
        self._report(state, detail)

    # -- the worker thread ------------------------------------------------------------------------

    def _run(self) -> None:
        detail = "stopped"
        try:
            while not self.stop_event.is_set():
                port = self._open_with_backoff()
                if port is None:
                    break
                try:
                    self._read_until_lost(port)
                finally:
                    try:
                        port.close()
                    except (serial.SerialException, OSError) as exc:
                        logger.debug("%s: closing a lost port failed: %s", self._log_name, exc)
        except ValueError as exc:
            # pyserial raises ValueError for settings that can never work (unknown URL scheme, bad
            # baud rate for this port): retrying is pointless, so say so and stop.
            detail = f"invalid port settings: {exc}"
            logger.error("%s: %s", self._log_name, detail)
        except Exception as exc:  # a bug here must show as a stopped device, not a silent dead thread
            detail = f"internal error: {exc}"
            logger.exception("%s: reader thread failed", self._log_name)
        self.set_state(DeviceState.STOPPED, detail)

    def _open_port(self) -> serial.SerialBase:
        if self.stop_event.is_set():
            raise _StopRequested
        return serial.serial_for_url(
            self.port,
            baudrate=self.baudrate,
            timeout=self._read_timeout_s,
            write_timeout=max(self._read_timeout_s, 0.5),
            exclusive=self._exclusive,
        )

    def _open_with_backoff(self) -> serial.SerialBase | None:
        """Open the port, retrying until it opens (returned) or `stop()` is called (None)."""

        def before_sleep(retry_state: tenacity.RetryCallState) -> None:
            exc = retry_state.outcome.exception() if retry_state.outcome else None
            self.set_state(DeviceState.DISCONNECTED, f"cannot open {self.port}: {exc}")
            delay = retry_state.next_action.sleep if retry_state.next_action else 0.0
            logger.debug("%s: retry %d in %.2f s", self._log_name, retry_state.attempt_number, delay)

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((serial.SerialException, OSError)),
            wait=tenacity.wait_exponential(multiplier=self._reconnect_initial_s, max=self._reconnect_max_s)
            + tenacity.wait_random(0, self._reconnect_initial_s),
            stop=lambda _state: self.stop_event.is_set(),
            sleep=sleeper(self.stop_event),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            return retrying(self._open_port)
        except _StopRequested:
            return None
        except (serial.SerialException, OSError):
            # stop() arrived while the last attempt was failing
            return None

    def _read_until_lost(self, port: serial.SerialBase) -> None:
        self._handler.opened(port)
        self.set_state(DeviceState.CONNECTED, f"{self.port} at {self.baudrate} baud")
        lost: str | None = None
        while not self.stop_event.is_set():
            try:
                # serial_for_url's stub says SerialBase, which lacks in_waiting; every port class it returns
                # (posix, rfc2217, socket://, loop://) has it.
                data = port.read(max(1, port.in_waiting))  # type: ignore[attr-defined]
                if data:
                    if self._wire is not None:
                        self._wire.debug("%s rx %r", self._log_name, data)
                    self._handler.received(data)
                self._handler.idle(port)
            except (serial.SerialException, OSError) as exc:
                # USB unplug, tty hang-up (EIO), adapter reset: the port is gone, not just quiet.
                lost = str(exc) or exc.__class__.__name__
                break
        self._handler.closed(lost)
        if lost is not None:
            self.set_state(DeviceState.DISCONNECTED, f"lost {self.port}: {lost}")


class OnSerialLink:
    """What a device reading from one ``SerialLink`` (the scanner, the scale) shows the rest of PackGate: its
    state, start and stop, and its state changes told to its listener. The subclass sets ``source``,
    ``_listener`` (with ``state_changed``) and ``_link``."""

    source: str
    _listener: Any
    _link: SerialLink

    @property
    def state(self) -> DeviceState:
        return self._link.state

    @property
    def is_running(self) -> bool:
        return self._link.is_running

    def start(self) -> None:
        """Start the reader thread (idempotent while running)."""
        self._link.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the thread to end and wait up to `timeout` s; True when it has ended."""
        return self._link.stop(timeout)

    def _report_state(self, state: DeviceState, detail: str) -> None:
        notify(self.source, self._listener.state_changed, self.source, state, detail)
