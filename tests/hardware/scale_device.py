"""A scale at the far end of a real pty pair: it answers each request of its protocol with what is on its
pan (MT-SICS, SMA), or streams (continuous). Tests and the window's full-flow test drive it."""

from __future__ import annotations

import threading
from pathlib import Path

from hardware.scale_protocols import ScaleProtocol
from tests.hardware.pty_pair import PtyDevice


def answer_line(protocol: ScaleProtocol, grams: float, stable: bool = True) -> bytes:
    """What a scale of `protocol` says for `grams` on its pan."""
    kg = grams / 1000
    if protocol is ScaleProtocol.MTSICS:
        return f"S {'S' if stable else 'D'} {kg:>10.3f} kg\r\n".encode()
    if protocol is ScaleProtocol.SMA:
        return f"\n 1G{' ' if stable else 'M'} {kg:>10.3f}kg \r".encode()
    return f"{'ST' if stable else 'US'},GS,{'+' if kg >= 0 else '-'}{abs(kg):>8.3f}kg\r\n".encode()


class PtyScale:
    """`pan` is the line (or lines, cycled) the scale gives next; `set_weight` and `say` change it."""

    def __init__(self, link: Path, protocol: ScaleProtocol, stream_interval_s: float = 0.05) -> None:
        self.device = PtyDevice(link)
        self.protocol = protocol
        self.requests = 0
        self._interval = stream_interval_s
        self._lock = threading.Lock()
        self._lines: list[bytes] = [answer_line(protocol, 0.0)]
        self._next = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.silent = False  # plugged in, but answers nothing

    @property
    def link(self) -> Path:
        return self.device.link

    def set_weight(self, grams: float, stable: bool = True) -> None:
        self.say(answer_line(self.protocol, grams, stable))

    def say(self, *lines: bytes) -> None:
        with self._lock:
            self._lines, self._next = list(lines), 0

    def _line(self) -> bytes:
        with self._lock:
            line = self._lines[self._next % len(self._lines)]
            self._next += 1
            return line

    def plug(self) -> None:
        self.device.plug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="pty-scale", daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        self.device.unplug()

    def _serve(self) -> None:
        request = self.protocol.request
        pending = b""
        while not self._stop.is_set():
            if request is None:
                if self._stop.wait(self._interval):
                    return
                if not self.silent:
                    self._write(self._line())
                continue
            pending += self.device.read_available(0.05)
            while request in pending:
                _before, _sep, pending = pending.partition(request)
                self.requests += 1
                if not self.silent:
                    self._write(self._line())

    def _write(self, data: bytes) -> None:
        try:
            self.device.write(data)
        except (OSError, AssertionError):
            pass  # unplugged under us

    def close(self) -> None:
        if self.device.plugged:
            self.unplug()
