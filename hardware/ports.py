"""Serial ports present on this machine, for the scanner settings dialog.

Uses pyserial's `serial.tools.list_ports.comports` (sysfs on Linux, SetupAPI on Windows, IOKit on
macOS) rather than globbing `/dev`, and turns its mutable `ListPortInfo` into a small frozen record
the UI can sort, show and store.

On Linux, `include_links=True` also lists the `/dev/serial/by-id/...` links. Prefer those in the
settings: a by-id path names the scanner itself, so it stays right when the scanner is replugged into
another USB socket and comes back as `ttyACM1` instead of `ttyACM0`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from serial.tools import list_ports

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortInfo:
    """One serial port as the settings dialog shows it; `device` is what `SerialScanner` opens."""

    device: str
    description: str
    hwid: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    manufacturer: str | None = None
    product: str | None = None

    @property
    def is_usb(self) -> bool:
        return self.vid is not None

    @property
    def is_link(self) -> bool:
        """A symlink such as `/dev/serial/by-id/...` (pyserial marks these with `LINK=` in hwid)."""
        return self.hwid.startswith("LINK=")

    @property
    def label(self) -> str:
        """One line for a combo box: device, what it is, and the USB ids when known."""
        parts = [self.device]
        if self.description and self.description != "n/a":
            parts.append(f"— {self.description}")
        if self.vid is not None and self.pid is not None:
            parts.append(f"[{self.vid:04X}:{self.pid:04X}]")
        return " ".join(parts)


def list_serial_ports(include_links: bool = True) -> list[PortInfo]:
    """The serial ports present now, USB ports first, then by device name.

    Never raises: if the operating system refuses to enumerate (permissions, a broken driver), the
    reason is logged and an empty list returned, so the dialog can still offer a typed-in path.
    """
    try:
        found = list_ports.comports(include_links=include_links)
    except (OSError, ValueError) as exc:
        logger.warning("cannot list serial ports: %s", exc)
        return []
    ports = [
        PortInfo(
            device=port.device,
            description=port.description or "n/a",
            hwid=port.hwid or "n/a",
            vid=port.vid,
            pid=port.pid,
            serial_number=port.serial_number,
            manufacturer=port.manufacturer,
            product=port.product,
        )
        for port in found
        if port.device
    ]
    ports.sort(key=lambda p: (not p.is_usb, p.device))
    logger.debug("serial ports: %s", [p.device for p in ports])
    return ports
