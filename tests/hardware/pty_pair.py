"""A pty pair standing in for a USB serial device (scanner or scale), reached through a symlink the test
controls. `plug()` makes a fresh pty pair and points the link at its slave; `unplug()` removes the link
and closes the master, so the reader's open slave gets EIO (as a pulled USB device does) and reopening
the path fails until the next `plug()`."""

from __future__ import annotations

import os
import select
import tty
from pathlib import Path


class PtyDevice:
    def __init__(self, link: Path) -> None:
        self.link = link
        self._master: int | None = None
        self._slave: int | None = None

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        self._master, self._slave = master, slave
        self.link.symlink_to(os.ttyname(slave))

    def unplug(self) -> None:
        self.link.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def write(self, data: bytes) -> None:
        assert self._master is not None, "not plugged"
        os.write(self._master, data)

    def read_available(self, timeout: float) -> bytes:
        """What the host wrote to the device, waiting up to `timeout` s for the first byte (b"" if none)."""
        master = self._master
        if master is None:
            return b""
        try:
            ready, _w, _x = select.select([master], [], [], timeout)
            return os.read(master, 4096) if ready else b""
        except OSError:  # unplugged meanwhile
            return b""

    def close(self) -> None:
        if self._master is not None:
            self.unplug()
