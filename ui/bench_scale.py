"""The bench scale as the packer screen uses it: its spec (``--scale`` or the settings section "scale"), the
device behind it, its Qt bridge and the site's weighing rules, started and stopped together.

A spec is one string:

    serial:/dev/ttyUSB1[@9600][:mtsics|sma|continuous]   a scale on a serial port (protocol default mtsics)
    sim                                                  a simulated scale (demo mode; `hardware.scale_sim`)

No spec, no scale: the bench seals as it always did.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from hardware.scale import SerialScale
from hardware.scale_protocols import ScaleProtocol
from hardware.scale_qt import ScaleBridge
from hardware.scale_sim import SimulatedScale
from station.settings import Section
from station.weighing import WeighingSettings

logger = logging.getLogger(__name__)

__all__ = ["BenchScale", "ScaleSettings", "ScaleSpec", "ScaleSpecError", "parse_scale_spec"]

DEFAULT_BAUD = 9600
EXAMPLE = "serial:/dev/ttyUSB1@9600:mtsics"


class ScaleSpecError(ValueError):
    """A `--scale` spec that cannot be used; the message says what would work."""


@dataclass(frozen=True)
class ScaleSpec:
    kind: str  # "serial" or "sim"
    port: str = ""
    baudrate: int = DEFAULT_BAUD
    protocol: ScaleProtocol = ScaleProtocol.MTSICS

    @property
    def text(self) -> str:
        if self.kind == "sim":
            return "sim"
        return f"serial:{self.port}@{self.baudrate}:{self.protocol.value}"


def parse_scale_spec(text: str) -> ScaleSpec:
    raw = (text or "").strip()
    if raw.lower() in ("sim", "simulated"):
        return ScaleSpec("sim")
    kind, sep, rest = raw.partition(":")
    if kind.lower() != "serial" or not sep or not rest.strip():
        raise ScaleSpecError(f"unknown scale {raw!r}; use serial:PORT[@BAUD][:PROTOCOL] (e.g. {EXAMPLE}) or sim")
    rest = rest.strip()
    protocol = ScaleProtocol.MTSICS
    head, colon, tail = rest.rpartition(":")
    if colon and tail.lower() in {p.value for p in ScaleProtocol}:
        protocol, rest = ScaleProtocol(tail.lower()), head
    elif colon and tail and "/" not in tail and "\\" not in tail and not tail.isdigit() and "@" not in tail:
        names = ", ".join(p.value for p in ScaleProtocol)
        raise ScaleSpecError(f"unknown scale protocol {tail!r} in {raw!r}; use one of {names}")
    port, at, baud = rest.rpartition("@")
    baudrate = DEFAULT_BAUD
    if at and port:
        if not baud.isdigit():
            raise ScaleSpecError(f"baud rate {baud!r} in {raw!r} is not a number (e.g. {EXAMPLE})")
        baudrate = int(baud)
        if not 50 <= baudrate <= 4_000_000:
            raise ScaleSpecError(f"baud rate {baudrate} in {raw!r} is outside 50..4000000")
    else:
        port = rest
    if not port.strip():
        raise ScaleSpecError(f"{raw!r} names no port (e.g. {EXAMPLE})")
    return ScaleSpec("serial", port.strip(), baudrate, protocol)


@dataclass(frozen=True)
class ScaleSettings:
    """Section "scale": the saved scale spec ("" = no scale at this bench)."""

    SECTION: ClassVar[Section] = Section.SCALE
    spec: str = ""

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ScaleSettings:
        spec = section.get("spec", "")
        if not isinstance(spec, str):
            logger.error("scale setting spec=%r is not text; no scale", spec)
            return cls()
        return cls(spec=spec.strip())

    def to_section(self) -> dict[str, Any]:
        return {"spec": self.spec}

    def parsed(self) -> ScaleSpec | None:
        if not self.spec:
            return None
        try:
            return parse_scale_spec(self.spec)
        except ScaleSpecError as exc:
            logger.error("ignoring saved scale: %s", exc)
            return None


class BenchScale:
    """The scale device, its bridge (create on the GUI thread) and the rules its readings are judged by."""

    def __init__(self, spec: ScaleSpec, weighing: WeighingSettings, bridge: ScaleBridge | None = None) -> None:
        self.spec = spec
        self.weighing = weighing
        self.bridge = bridge or ScaleBridge()
        self.device: SerialScale | SimulatedScale
        if spec.kind == "sim":
            self.device = SimulatedScale(self.bridge.listener)
        else:
            self.device = SerialScale(spec.port, self.bridge.listener, spec.protocol, spec.baudrate)
        self.source = self.device.source

    @property
    def simulated(self) -> SimulatedScale | None:
        return self.device if isinstance(self.device, SimulatedScale) else None

    def start(self) -> None:
        self.device.start()
        logger.info("scale started", extra={"source": self.source, "spec": self.spec.text})

    def stop(self) -> None:
        if not self.device.stop():
            logger.warning("scale did not stop in time", extra={"source": self.source})
