"""What every scan source reports, and the small listener interface it reports through.

A device (keyboard wedge, serial scanner, simulated script, camera) owns its own thread and calls a
`ScanListener`; it never imports its consumer. The Qt side adapts a listener into signals
(`hardware.qt.ScannerBridge`), so the GUI thread receives scans as queued signal deliveries.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ParamSpec, Protocol

logger = logging.getLogger(__name__)

_P = ParamSpec("_P")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Scan:
    """One decoded code as a device delivered it.

    `code` is the text with any AIM symbology identifier removed and GS1 FNC1 kept as ASCII 29 (GS);
    `symbology` is the AIM identifier (e.g. "]E0", "]C1", "]d2") when the device sent or decoded one,
    else None. `source` names the device ("wedge", "serial:/dev/ttyACM0", "file:codes.txt", "camera:0").
    """

    code: str
    symbology: str | None
    source: str
    received_at: datetime = field(default_factory=utc_now)
    # The camera attaches the JPEG-encodable frame (a numpy array) that produced the scan so that an
    # incident can keep it as evidence; other sources leave it None.
    frame: object | None = field(default=None, compare=False, repr=False)

    @property
    def aim_text(self) -> str:
        """The code as a scanner with AIM prefixes enabled would send it."""
        return f"{self.symbology}{self.code}" if self.symbology else self.code


class DeviceState(enum.Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # unplugged / lost; the device keeps trying to reconnect
    STOPPED = "stopped"  # closed on purpose


class ScanListener(Protocol):
    def scan_received(self, scan: Scan) -> None: ...

    def scan_rejected(self, source: str, reason: str, raw: bytes) -> None:
        """Input that is not a usable code (garbage bytes, invalid UTF-8, overlong, empty line)."""

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None: ...


def notify(source: str, method: Callable[_P, object], *args: _P.args, **kwargs: _P.kwargs) -> None:
    """Call one listener method from a device thread. A faulty consumer must not kill the device's thread:
    what it raises is logged (with the device's name) and the device keeps reading."""
    try:
        method(*args, **kwargs)
    except Exception:
        logger.exception("%s: listener %s failed", source, getattr(method, "__name__", method))
